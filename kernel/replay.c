/* replay.c: a bounded set of seen signatures.
 *
 * An open-addressing hash table holds indexes into a ring of stored signatures; the ring
 * gives the eviction order. The table has twice as many slots as the ring, so probes
 * stay short, and a deleted entry is re-inserted by backward shifting, so no tombstones
 * build up.
 */
#include "replay.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

#define TABLE_SLOTS (2 * JK_REPLAY_CAPACITY)
#define EMPTY_SLOT UINT32_MAX

static pthread_mutex_t replay_lock = PTHREAD_MUTEX_INITIALIZER;
static char (*ring)[JK_HMAC_HEX_MAX + 1]; /* JK_REPLAY_CAPACITY signatures */
static uint32_t *table;                   /* TABLE_SLOTS ring indexes or EMPTY_SLOT */
static size_t ring_next, ring_count;

/* FNV-1a over the signature text. */
static size_t slot_of(const char *signature)
{
    uint64_t hash = 1469598103934665603ULL;

    for (const unsigned char *s = (const unsigned char *)signature; *s; s++)
        hash = (hash ^ *s) * 1099511628211ULL;
    return (size_t)(hash % TABLE_SLOTS);
}

static int ensure_storage(void)
{
    if (table)
        return 0;
    ring = calloc(JK_REPLAY_CAPACITY, sizeof *ring);
    table = malloc(TABLE_SLOTS * sizeof *table);
    if (!ring || !table) {
        free(ring);
        free(table);
        ring = NULL;
        table = NULL;
        return -1;
    }
    for (size_t i = 0; i < TABLE_SLOTS; i++)
        table[i] = EMPTY_SLOT;
    return 0;
}

static void remove_from_table(uint32_t ring_index)
{
    size_t slot = slot_of(ring[ring_index]);

    while (table[slot] != ring_index)
        slot = (slot + 1) % TABLE_SLOTS;
    table[slot] = EMPTY_SLOT;

    /* Backward-shift deletion: move later entries of the probe run into the hole when
     * their home slot does not lie cyclically between the hole and their position. */
    for (size_t next = (slot + 1) % TABLE_SLOTS; table[next] != EMPTY_SLOT;
         next = (next + 1) % TABLE_SLOTS) {
        size_t home = slot_of(ring[table[next]]);
        int between = slot <= next ? (slot < home && home <= next)
                                   : (slot < home || home <= next);
        if (!between) {
            table[slot] = table[next];
            table[next] = EMPTY_SLOT;
            slot = next;
        }
    }
}

int jk_replay_check(const char *signature)
{
    size_t slot;
    int seen = 0;

    if (!signature[0])
        return 0;

    pthread_mutex_lock(&replay_lock);
    if (ensure_storage() != 0)
        goto out; /* without memory no replay check is possible; accept the message */

    for (slot = slot_of(signature); table[slot] != EMPTY_SLOT; slot = (slot + 1) % TABLE_SLOTS) {
        if (strcmp(ring[table[slot]], signature) == 0) {
            seen = 1;
            goto out;
        }
    }

    if (ring_count == JK_REPLAY_CAPACITY) {
        remove_from_table((uint32_t)ring_next);
        ring_count--;
        /* The removal may have shifted entries into the probe run of the new signature,
         * so look for its free slot again. */
        for (slot = slot_of(signature); table[slot] != EMPTY_SLOT;
             slot = (slot + 1) % TABLE_SLOTS)
            ;
    }
    strncpy(ring[ring_next], signature, JK_HMAC_HEX_MAX);
    ring[ring_next][JK_HMAC_HEX_MAX] = '\0';
    table[slot] = (uint32_t)ring_next;
    ring_next = (ring_next + 1) % JK_REPLAY_CAPACITY;
    ring_count++;

out:
    pthread_mutex_unlock(&replay_lock);
    return seen;
}

void jk_replay_reset(void)
{
    pthread_mutex_lock(&replay_lock);
    free(ring);
    free(table);
    ring = NULL;
    table = NULL;
    ring_next = ring_count = 0;
    pthread_mutex_unlock(&replay_lock);
}
