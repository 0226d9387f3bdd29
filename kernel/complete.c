/* complete.c: completing command and option names, inspecting commands.
 *
 * At the start of a line the word being typed is a command name. After a command it is
 * an option name (completed as "key=") or an argument. The command's complete_argument
 * hook completes arguments, such as layer and weight names.
 */
#include "complete.h"

#include <stdio.h>
#include <string.h>

#include "help.h"
#include "parser.h"
#include "registry.h"
#include "utf8.h"

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Byte offset of the cursor, from the request's cursor_pos (code points; the end of the
 * code when missing or out of range). */
static size_t cursor_offset(const char *code, const json_t *request)
{
    const json_t *position = json_object_get(request, "cursor_pos");

    if (!json_is_integer(position) || json_integer_value(position) < 0)
        return strlen(code);
    return jk_utf8_offset(code, (size_t)json_integer_value(position));
}

/* Start of the logical line containing offset: after the last newline that is not
 * preceded by a line-continuing backslash. */
static size_t logical_line_start(const char *code, size_t offset)
{
    size_t start = offset;

    while (start > 0) {
        if (code[start - 1] == '\n') {
            size_t before = start - 1;
            if (before > 0 && code[before - 1] == '\r')
                before--;
            if (before == 0 || code[before - 1] != '\\')
                break;
        }
        start--;
    }
    return start;
}

/* Copies the first word of the logical line starting at line_start into name. */
static void command_word(const char *code, size_t line_start, char *name, size_t size)
{
    size_t i = line_start, length = 0;

    while (code[i] == ' ' || code[i] == '\t')
        i++;
    while (code[i] && !is_space(code[i]) && length + 1 < size)
        name[length++] = code[i++];
    name[length] = '\0';
}

static int only_blanks(const char *code, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (code[i] != ' ' && code[i] != '\t')
            return 0;
    }
    return 1;
}

static void add_if_prefix(json_t *matches, const char *candidate, const char *prefix,
                          size_t prefix_length, const char *suffix)
{
    char completed[256];

    if (strncmp(candidate, prefix, prefix_length) != 0)
        return;
    snprintf(completed, sizeof completed, "%s%s", candidate, suffix);
    json_array_append_new(matches, json_string(completed));
}

json_t *jk_complete_reply(const json_t *request)
{
    const char *code = json_string_value(json_object_get(request, "code"));
    size_t offset, word_start, line_start;
    json_t *matches = json_array();
    char word[256];
    size_t word_length;

    if (!code)
        code = "";
    offset = cursor_offset(code, request);
    word_start = offset;
    while (word_start > 0 && !is_space(code[word_start - 1]))
        word_start--;
    word_length = offset - word_start;
    if (word_length >= sizeof word)
        word_length = sizeof word - 1;
    memcpy(word, code + word_start, word_length);
    word[word_length] = '\0';

    line_start = logical_line_start(code, word_start);
    if (only_blanks(code, line_start, word_start) && word[0] == '?') {
        /* ?COMMAND, the pager form of help: complete the name after the '?'. */
        const char *const *names = jk_command_names();
        for (size_t i = 0; names[i]; i++)
            add_if_prefix(matches, names[i], word + 1, word_length - 1, "");
        word_start++;
    } else if (only_blanks(code, line_start, word_start)) {
        const char *const *names = jk_command_names();
        for (size_t i = 0; names[i]; i++)
            add_if_prefix(matches, names[i], word, word_length, "");
    } else if (!strchr(word, '=')) {
        char name[64];
        const jk_command_spec *spec;

        command_word(code, line_start, name, sizeof name);
        spec = jk_find_command(name);
        if (spec && spec->options) {
            for (const jk_option_help *option = spec->options; option->name; option++)
                add_if_prefix(matches, option->name, word, word_length, "=");
        }
        if (spec && spec->complete_argument) {
            json_t *arguments = json_array();
            size_t i;
            json_t *match;

            spec->complete_argument(word, arguments);
            json_array_foreach(arguments, i, match) {
                if (json_is_string(match) &&
                    strncmp(json_string_value(match), word, word_length) == 0)
                    json_array_append(matches, match);
            }
            json_decref(arguments);
        }
    }

    return json_pack("{s:s, s:o, s:I, s:I, s:{}}", "status", "ok", "matches", matches,
                     "cursor_start", (json_int_t)jk_utf8_position(code, word_start),
                     "cursor_end", (json_int_t)jk_utf8_position(code, offset), "metadata");
}

json_t *jk_inspect_reply(const json_t *request)
{
    const char *code = json_string_value(json_object_get(request, "code"));
    size_t offset, start, end, line_start;
    const jk_command_spec *spec = NULL;
    char word[64];
    size_t length;
    json_t *bundle;

    if (!code)
        code = "";
    offset = cursor_offset(code, request);

    /* The word under the cursor, or just before it, without a ? of the pager forms. */
    start = end = offset;
    while (start > 0 && !is_space(code[start - 1]))
        start--;
    while (code[end] && !is_space(code[end]))
        end++;
    while (start < end && code[start] == '?')
        start++;
    while (end > start && code[end - 1] == '?')
        end--;
    length = end - start < sizeof word ? end - start : sizeof word - 1;
    memcpy(word, code + start, length);
    word[length] = '\0';
    spec = jk_find_command(word);

    /* On an option or argument, show the help of the line's command. */
    if (!spec) {
        char name[64];
        line_start = logical_line_start(code, start);
        command_word(code, line_start, name, sizeof name);
        spec = jk_find_command(name);
    }

    if (!spec)
        return json_pack("{s:s, s:b, s:{}, s:{}}", "status", "ok", "found", 0, "data",
                         "metadata");
    bundle = jk_help_bundle(spec);
    return json_pack("{s:s, s:b, s:o, s:{}}", "status", "ok", "found", bundle != NULL, "data",
                     bundle ? bundle : json_object(), "metadata");
}

json_t *jk_is_complete_reply(const json_t *request)
{
    const char *code = json_string_value(json_object_get(request, "code"));
    const char *status = jk_is_complete(code ? code : "", jk_takes_raw_text);

    if (strcmp(status, "incomplete") == 0)
        return json_pack("{s:s, s:s}", "status", status, "indent", "");
    return json_pack("{s:s}", "status", status);
}
