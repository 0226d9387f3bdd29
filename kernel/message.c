/* message.c: splitting, joining, signing and verifying Jupyter wire messages. */
#include "message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "utf8.h"

/*** frames ***/

int jk_frames_push(jk_frames *frames, const void *data, size_t size)
{
    unsigned char *copy;

    if (frames->count == frames->capacity) {
        size_t capacity = frames->capacity ? 2 * frames->capacity : 8;
        jk_frame *items = realloc(frames->items, capacity * sizeof *items);
        if (!items)
            return -1;
        frames->items = items;
        frames->capacity = capacity;
    }

    /* One extra byte keeps a NUL after the data, so a frame can be read as a string. */
    copy = malloc(size + 1);
    if (!copy)
        return -1;
    if (size)
        memcpy(copy, data, size);
    copy[size] = '\0';
    frames->items[frames->count].data = copy;
    frames->items[frames->count].size = size;
    frames->count++;
    return 0;
}

int jk_frames_push_string(jk_frames *frames, const char *text)
{
    return jk_frames_push(frames, text, strlen(text));
}

void jk_frames_clear(jk_frames *frames)
{
    for (size_t i = 0; i < frames->count; i++)
        free(frames->items[i].data);
    free(frames->items);
    frames->items = NULL;
    frames->count = frames->capacity = 0;
}

void jk_message_clear(jk_message *message)
{
    jk_frames_clear(&message->identities);
    jk_frames_clear(&message->buffers);
    json_decref(message->header);
    json_decref(message->parent_header);
    json_decref(message->metadata);
    json_decref(message->content);
    memset(message, 0, sizeof *message);
}

/*** parsing ***/

static int hex_value(const char *text, unsigned *out)
{
    unsigned value = 0;

    for (int i = 0; i < 4; i++) {
        char ch = text[i];
        value <<= 4;
        if (ch >= '0' && ch <= '9')
            value |= (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            value |= (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            value |= (unsigned)(ch - 'A' + 10);
        else
            return -1;
    }
    *out = value;
    return 0;
}

/* Replaces, in place, every \u escape of a lone UTF-16 surrogate in the JSON text with
 * \ufffd. Jansson rejects such escapes, which some clients produce from broken text. */
static void replace_lone_surrogates(char *json)
{
    int in_string = 0;

    for (char *p = json; *p; p++) {
        unsigned value, next;

        if (*p == '"') {
            in_string = !in_string;
            continue;
        }
        if (!in_string || *p != '\\')
            continue;
        if (p[1] != 'u' || hex_value(p + 2, &value) != 0) {
            if (p[1])
                p++; /* skip the escaped character, which may be a quote */
            continue;
        }
        if (value >= 0xD800 && value <= 0xDBFF && p[6] == '\\' && p[7] == 'u' &&
            hex_value(p + 8, &next) == 0 && next >= 0xDC00 && next <= 0xDFFF) {
            p += 11; /* a valid pair */
            continue;
        }
        if (value >= 0xD800 && value <= 0xDFFF)
            memcpy(p + 2, "fffd", 4);
        p += 5;
    }
}

static json_t *parse_object(const jk_frame *frame, int *repaired)
{
    json_t *value = json_loadb((const char *)frame->data, frame->size, 0, NULL);

    /* Text that is not valid UTF-8 is repaired rather than rejected, so the client still
     * gets a reply. The signature has already been checked on the original bytes. */
    if (!value) {
        char *clean = jk_utf8_sanitize((const char *)frame->data, frame->size);
        if (!clean)
            return NULL;
        replace_lone_surrogates(clean);
        value = json_loads(clean, 0, NULL);
        free(clean);
        if (value)
            *repaired = 1;
    }
    if (value && !json_is_object(value)) {
        json_decref(value);
        return NULL;
    }
    return value;
}

jk_parse_status jk_message_parse(const jk_frames *wire, const jk_hmac *hmac, jk_message *out,
                                 char *detail, size_t detail_size)
{
    const void *parts[4];
    size_t sizes[4];
    const jk_frame *signature;
    size_t delimiter = 0;
    size_t first;

    memset(out, 0, sizeof *out);
    if (detail && detail_size)
        detail[0] = '\0';

    while (delimiter < wire->count) {
        const jk_frame *frame = &wire->items[delimiter];
        if (frame->size == strlen(JK_DELIMITER) &&
            memcmp(frame->data, JK_DELIMITER, frame->size) == 0)
            break;
        delimiter++;
    }
    if (delimiter == wire->count)
        return JK_PARSE_NO_DELIMITER;
    if (wire->count - delimiter < 6) {
        if (detail)
            snprintf(detail, detail_size, "%zu frames after the delimiter, expected at least 5",
                     wire->count - delimiter - 1);
        return JK_PARSE_TRUNCATED;
    }

    /* Verify before decoding: JSON from an unauthenticated sender is never parsed. */
    signature = &wire->items[delimiter + 1];
    first = delimiter + 2;
    for (size_t i = 0; i < 4; i++) {
        parts[i] = wire->items[first + i].data;
        sizes[i] = wire->items[first + i].size;
    }
    if (signature->size > JK_HMAC_HEX_MAX ||
        !jk_hmac_verify(hmac, parts, sizes, 4, signature->data, signature->size)) {
        if (detail)
            snprintf(detail, detail_size, "%s signature of %zu bytes",
                     signature->size == 0 ? "missing" : "invalid", signature->size);
        return JK_PARSE_BAD_SIGNATURE;
    }
    memcpy(out->signature, signature->data, signature->size);
    out->signature[signature->size] = '\0';

    out->header = parse_object(&wire->items[first], &out->repaired);
    out->parent_header = parse_object(&wire->items[first + 1], &out->repaired);
    out->metadata = parse_object(&wire->items[first + 2], &out->repaired);
    out->content = parse_object(&wire->items[first + 3], &out->repaired);
    if (!out->header || !out->parent_header || !out->metadata || !out->content) {
        if (detail)
            snprintf(detail, detail_size, "a header, parent header, metadata or content frame "
                                          "is not a JSON object");
        goto bad_json;
    }

    for (size_t i = 0; i < delimiter; i++) {
        if (jk_frames_push(&out->identities, wire->items[i].data, wire->items[i].size) != 0)
            goto bad_json;
    }
    for (size_t i = first + 4; i < wire->count; i++) {
        if (jk_frames_push(&out->buffers, wire->items[i].data, wire->items[i].size) != 0)
            goto bad_json;
    }
    return JK_PARSE_OK;

bad_json:
    jk_message_clear(out);
    return JK_PARSE_BAD_JSON;
}

/*** serializing ***/

int jk_message_serialize(const jk_message *message, const jk_hmac *hmac, jk_frames *wire)
{
    const json_t *dictionaries[4] = {message->header, message->parent_header,
                                     message->metadata, message->content};
    char *texts[4] = {NULL, NULL, NULL, NULL};
    const void *parts[4];
    size_t sizes[4];
    char signature[JK_HMAC_HEX_MAX + 1];
    json_t *empty = json_object();
    int result = -1;

    for (size_t i = 0; i < 4; i++) {
        /* JSON_ENSURE_ASCII is off: the text is UTF-8, which every client decodes. */
        texts[i] = json_dumps(dictionaries[i] ? dictionaries[i] : empty, JSON_COMPACT);
        if (!texts[i])
            goto out;
        parts[i] = texts[i];
        sizes[i] = strlen(texts[i]);
    }
    if (jk_hmac_sign(hmac, parts, sizes, 4, signature) != 0)
        goto out;

    for (size_t i = 0; i < message->identities.count; i++) {
        const jk_frame *identity = &message->identities.items[i];
        if (jk_frames_push(wire, identity->data, identity->size) != 0)
            goto out;
    }
    if (jk_frames_push_string(wire, JK_DELIMITER) != 0 ||
        jk_frames_push_string(wire, signature) != 0)
        goto out;
    for (size_t i = 0; i < 4; i++) {
        if (jk_frames_push(wire, texts[i], sizes[i]) != 0)
            goto out;
    }
    for (size_t i = 0; i < message->buffers.count; i++) {
        const jk_frame *buffer = &message->buffers.items[i];
        if (jk_frames_push(wire, buffer->data, buffer->size) != 0)
            goto out;
    }
    result = 0;

out:
    for (size_t i = 0; i < 4; i++)
        free(texts[i]);
    json_decref(empty);
    return result;
}

/*** headers ***/

static char session_id[64] = "";
static char user_name[64] = "nnscope";

void jk_message_set_identity(const char *session, const char *username)
{
    snprintf(session_id, sizeof session_id, "%s", session);
    snprintf(user_name, sizeof user_name, "%s", username);
}

const char *jk_message_session(void)
{
    return session_id;
}

void jk_uuid_new(char out[37])
{
    uuid_t id;

    uuid_generate_random(id);
    uuid_unparse_lower(id, out);
}

void jk_timestamp_now(char out[32])
{
    struct timespec now;
    struct tm utc;
    size_t used;

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &utc);
    used = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(out + used, 32 - used, ".%06ldZ", now.tv_nsec / 1000);
}

json_t *jk_header_new(const char *msg_type)
{
    char msg_id[37];
    char date[32];

    jk_uuid_new(msg_id);
    jk_timestamp_now(date);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", msg_id, "session", session_id,
                     "username", user_name, "date", date, "msg_type", msg_type, "version",
                     JK_PROTOCOL_VERSION);
}

const char *jk_json_string(const json_t *object, const char *key, const char *fallback)
{
    const json_t *value = json_object_get(object, key);

    return json_is_string(value) ? json_string_value(value) : fallback;
}
