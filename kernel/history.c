/* history.c: the inputs and outputs of this kernel's session, for history_request.
 *
 * Entries are (session, line, input) or (session, line, [input, output]) triples, as
 * IPython's kernel returns them, where line is the cell's execution count and output the
 * text/plain of its execute_result (null when it had none). Only the main thread
 * touches this list.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int line;
    char *input;
    char *output; /* may be NULL */
} history_entry;

static history_entry *entries;
static size_t entry_count, entry_capacity;

/* Tail and search requests without n get this many entries, as IPython's default. */
#define DEFAULT_COUNT 10

void jk_history_add(int line, const char *input, const char *output)
{
    history_entry entry = {line, strdup(input), output ? strdup(output) : NULL};

    if (!entry.input || (output && !entry.output))
        goto err;
    if (entry_count == entry_capacity) {
        size_t capacity = entry_capacity ? 2 * entry_capacity : 64;
        history_entry *grown = realloc(entries, capacity * sizeof *grown);
        if (!grown)
            goto err;
        entries = grown;
        entry_capacity = capacity;
    }
    entries[entry_count++] = entry;
    return;

err:
    free(entry.input);
    free(entry.output);
}

void jk_history_clear(void)
{
    for (size_t i = 0; i < entry_count; i++) {
        free(entries[i].input);
        free(entries[i].output);
    }
    free(entries);
    entries = NULL;
    entry_count = entry_capacity = 0;
}

/*** glob patterns ***/

/* Matches a [...] set starting at pattern (just after '['); sets *after to the
 * character after the closing ']'. Returns -1 when the set has no closing bracket. */
static int match_set(const char *pattern, char ch, const char **after)
{
    int negate = 0, matched = 0;
    const char *p = pattern;

    if (*p == '^') {
        negate = 1;
        p++;
    }
    /* A ']' right after the opening (or after ^) is a member, as in SQLite. */
    if (*p == ']') {
        matched |= ch == ']';
        p++;
    }
    while (*p && *p != ']') {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            matched |= (unsigned char)ch >= (unsigned char)p[0] &&
                       (unsigned char)ch <= (unsigned char)p[2];
            p += 3;
        } else {
            matched |= ch == *p;
            p++;
        }
    }
    if (*p != ']')
        return -1;
    *after = p + 1;
    return matched != negate;
}

int jk_glob_match(const char *pattern, const char *text)
{
    /* Iterative matching with one backtrack point for the last '*', which is linear
     * for patterns without sets and never recurses. */
    const char *star = NULL, *star_text = NULL;

    while (*text) {
        const char *after = NULL;
        int step = 0;

        if (*pattern == '*') {
            star = ++pattern;
            star_text = text;
            continue;
        }
        if (*pattern == '?') {
            step = 1;
            after = pattern + 1;
        } else if (*pattern == '[') {
            int matched = match_set(pattern + 1, *text, &after);
            if (matched < 0) {
                step = *text == '[';
                after = pattern + 1;
            } else {
                step = matched;
            }
        } else if (*pattern && *pattern == *text) {
            step = 1;
            after = pattern + 1;
        }

        if (step) {
            pattern = after;
            text++;
            continue;
        }
        if (!star)
            return 0;
        pattern = star;
        text = ++star_text;
    }
    while (*pattern == '*')
        pattern++;
    return *pattern == '\0';
}

/*** requests ***/

static json_t *entry_json(const history_entry *entry, int output)
{
    if (output)
        return json_pack("[i, i, [s, s?]]", JK_HISTORY_SESSION, entry->line, entry->input,
                         entry->output);
    return json_pack("[i, i, s]", JK_HISTORY_SESSION, entry->line, entry->input);
}

static long integer_field(const json_t *request, const char *key, long fallback)
{
    const json_t *value = json_object_get(request, key);

    return json_is_integer(value) ? (long)json_integer_value(value) : fallback;
}

/* Appends the last n of the selected entries (selected[i] non-zero), in order. */
static void append_last(json_t *history, const unsigned char *selected, long n, int output)
{
    size_t skip = 0, total = 0;

    for (size_t i = 0; i < entry_count; i++)
        total += selected[i] != 0;
    if (n >= 0 && (size_t)n < total)
        skip = total - (size_t)n;
    for (size_t i = 0; i < entry_count; i++) {
        if (!selected[i])
            continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        json_array_append_new(history, entry_json(&entries[i], output));
    }
}

json_t *jk_history_reply(const json_t *request)
{
    const char *access = json_string_value(json_object_get(request, "hist_access_type"));
    int output = json_is_true(json_object_get(request, "output"));
    json_t *history = json_array();
    unsigned char *selected = calloc(entry_count + 1, 1);

    if (!access || !selected)
        goto out;

    if (strcmp(access, "tail") == 0) {
        memset(selected, 1, entry_count);
        append_last(history, selected, integer_field(request, "n", DEFAULT_COUNT), output);
    } else if (strcmp(access, "range") == 0) {
        /* Session numbers count up per kernel start; 0 and negative numbers are relative
         * to the current one. Only the current session is kept. */
        long session = integer_field(request, "session", 0);
        long start = integer_field(request, "start", 0);
        long stop = integer_field(request, "stop", 0);

        if (session <= 0)
            session += JK_HISTORY_SESSION;
        if (session != JK_HISTORY_SESSION)
            goto out;
        for (size_t i = 0; i < entry_count; i++) {
            if (entries[i].line >= start && (stop <= 0 || entries[i].line < stop))
                json_array_append_new(history, entry_json(&entries[i], output));
        }
    } else if (strcmp(access, "search") == 0) {
        const char *pattern = json_string_value(json_object_get(request, "pattern"));
        int unique = json_is_true(json_object_get(request, "unique"));

        for (size_t i = 0; i < entry_count; i++)
            selected[i] = jk_glob_match(pattern ? pattern : "*", entries[i].input);
        /* With unique, an input keeps only its latest occurrence. */
        if (unique) {
            for (size_t i = 0; i < entry_count; i++) {
                for (size_t j = i + 1; selected[i] && j < entry_count; j++) {
                    if (selected[j] && strcmp(entries[i].input, entries[j].input) == 0)
                        selected[i] = 0;
                }
            }
        }
        append_last(history, selected, integer_field(request, "n", -1), output);
    }

out:
    free(selected);
    return json_pack("{s:s, s:o}", "status", "ok", "history", history);
}
