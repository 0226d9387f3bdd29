/* parser.c: lexer and parser of the nnscope command language (grammar in parser.h). */
#include "parser.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*** growing strings ***/

typedef struct {
    char *data;
    size_t size, capacity;
} text_buffer;

static int buffer_append(text_buffer *buffer, const char *bytes, size_t size)
{
    if (buffer->size + size + 1 > buffer->capacity) {
        size_t capacity = 2 * (buffer->size + size + 1) + 16;
        char *grown = realloc(buffer->data, capacity);
        if (!grown)
            return -1;
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, size);
    buffer->size += size;
    buffer->data[buffer->size] = '\0';
    return 0;
}

/* Returns the buffer's string (an empty string for an empty buffer) and resets it. */
static char *buffer_take(text_buffer *buffer)
{
    char *data = buffer->data ? buffer->data : strdup("");

    buffer->data = NULL;
    buffer->size = buffer->capacity = 0;
    return data;
}

/*** the cursor ***/

typedef struct {
    const char *code;
    size_t pos;       /* byte offset of the current character */
    int line, column; /* its 1-based position, in code points */
    int continued;    /* 1 once a backslash at the very end of the code was read */
} cursor;

static char peek(const cursor *c, size_t ahead)
{
    for (size_t i = 0; i < ahead; i++) {
        if (!c->code[c->pos + i])
            return '\0';
    }
    return c->code[c->pos + ahead];
}

static size_t code_point_size(const cursor *c)
{
    size_t size = 1;

    while ((c->code[c->pos + size] & 0xC0) == 0x80)
        size++;
    return size;
}

static void advance(cursor *c)
{
    if (!c->code[c->pos])
        return;
    if (c->code[c->pos] == '\n') {
        c->pos++;
        c->line++;
        c->column = 1;
        return;
    }
    c->pos += code_point_size(c);
    c->column++;
}

/* Size in bytes of a line continuation at the cursor (a backslash followed by the end of
 * the line or of the code), or 0. */
static size_t continuation_size(const cursor *c)
{
    if (peek(c, 0) != '\\')
        return 0;
    if (peek(c, 1) == '\n')
        return 2;
    if (peek(c, 1) == '\r' && peek(c, 2) == '\n')
        return 3;
    if (peek(c, 1) == '\0')
        return 1;
    return 0;
}

static void skip_continuation(cursor *c)
{
    size_t size = continuation_size(c);

    if (size == 1)
        c->continued = 1;
    for (size_t i = 0; i < size; i++)
        advance(c);
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Skips spaces, tabs and line continuations (not newlines). */
static void skip_blanks(cursor *c)
{
    for (;;) {
        if (is_blank(peek(c, 0)))
            advance(c);
        else if (continuation_size(c))
            skip_continuation(c);
        else
            return;
    }
}

static void skip_to_line_end(cursor *c)
{
    while (peek(c, 0) && peek(c, 0) != '\n')
        advance(c);
}

static int fail(jk_parse_error *err, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(jk_parse_error *err, int line, int column, const char *fmt, ...)
{
    va_list args;

    err->line = line;
    err->column = column;
    va_start(args, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, args);
    va_end(args);
    return -1;
}

/*** tokens ***/

typedef struct {
    jk_token token;     /* the whole token, unquoted */
    long equals;        /* byte index in token.text of the first unquoted '=', or -1 */
    int value_line, value_column;
    int value_quoted;
} raw_token;

/* Reads a quoted part whose opening quote is at the cursor into buffer. */
static int read_quoted(cursor *c, text_buffer *buffer, jk_parse_error *err)
{
    char quote = peek(c, 0);
    int line = c->line, column = c->column;

    advance(c);
    for (;;) {
        char ch = peek(c, 0);
        size_t size;

        if (ch == '\0') {
            fail(err, line, column, "unclosed quote: the string starting here has no closing %c",
                 quote);
            err->unclosed_quote = 1;
            return -1;
        }
        if (ch == quote) {
            advance(c);
            return 0;
        }
        if (ch == '\\' && peek(c, 1) != '\0') {
            char escaped = peek(c, 1);
            const char *replacement = NULL;

            if (escaped == 'n')
                replacement = "\n";
            else if (escaped == 't')
                replacement = "\t";
            else if (escaped == '\\' || escaped == '"' || escaped == '\'')
                replacement = escaped == '\\' ? "\\" : escaped == '"' ? "\"" : "'";

            if (continuation_size(c)) {
                skip_continuation(c);
                continue;
            }
            if (replacement) {
                if (buffer_append(buffer, replacement, 1) != 0)
                    goto no_memory;
                advance(c);
                advance(c);
                continue;
            }
            /* Any other backslash is kept as written, so paths such as C:\data survive. */
        }
        size = code_point_size(c);
        if (buffer_append(buffer, c->code + c->pos, size) != 0)
            goto no_memory;
        advance(c);
    }

no_memory:
    return fail(err, line, column, "out of memory");
}

static int read_token(cursor *c, raw_token *out, jk_parse_error *err)
{
    text_buffer buffer = {0};

    memset(out, 0, sizeof *out);
    out->token.line = c->line;
    out->token.column = c->column;
    out->equals = -1;

    for (;;) {
        char ch = peek(c, 0);

        if (ch == '\0' || ch == '\n' || is_blank(ch) || continuation_size(c))
            break;
        if (ch == '"' || ch == '\'') {
            if (read_quoted(c, &buffer, err) != 0)
                goto err;
            out->token.quoted = 1;
            if (out->equals >= 0)
                out->value_quoted = 1;
            continue;
        }
        if (ch == '=' && out->equals < 0) {
            out->equals = (long)buffer.size;
            advance(c);
            out->value_line = c->line;
            out->value_column = c->column;
            if (buffer_append(&buffer, "=", 1) != 0)
                goto no_memory;
            continue;
        }
        if (buffer_append(&buffer, c->code + c->pos, code_point_size(c)) != 0)
            goto no_memory;
        advance(c);
    }
    out->token.text = buffer_take(&buffer);
    return out->token.text ? 0 : fail(err, out->token.line, out->token.column, "out of memory");

no_memory:
    fail(err, c->line, c->column, "out of memory");
err:
    free(buffer.data);
    return -1;
}

static int is_option_name(const char *text, size_t size)
{
    if (size == 0 || !(text[0] == '_' || (text[0] >= 'a' && text[0] <= 'z') ||
                       (text[0] >= 'A' && text[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < size; i++) {
        char ch = text[i];
        if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9')))
            return 0;
    }
    return 1;
}

/*** commands ***/

/* Copies code[start, end) without line continuations and without blanks at either end. */
static char *copy_joined(const char *code, size_t start, size_t end)
{
    text_buffer buffer = {0};
    cursor c = {code, start, 1, 1, 0};

    while (c.pos < end && is_blank(code[c.pos]))
        c.pos++;
    while (c.pos < end) {
        size_t size = continuation_size(&c);
        if (size) {
            c.pos += size;
            continue;
        }
        if (buffer_append(&buffer, code + c.pos, 1) != 0) {
            free(buffer.data);
            return NULL;
        }
        c.pos++;
    }
    while (buffer.size > 0 && (is_blank(buffer.data[buffer.size - 1]) ||
                               buffer.data[buffer.size - 1] == '\n')) {
        buffer.size--;
        buffer.data[buffer.size] = '\0';
    }
    return buffer_take(&buffer);
}

static void command_free(jk_command *command)
{
    free(command->name.text);
    for (size_t i = 0; i < command->n_args; i++)
        free(command->args[i].text);
    free(command->args);
    for (size_t i = 0; i < command->n_options; i++) {
        free(command->options[i].key.text);
        free(command->options[i].value.text);
    }
    free(command->options);
    free(command->rest);
    free((char *)command->source_line);
}

static int add_argument(jk_command *command, raw_token *raw)
{
    jk_token *args = realloc(command->args, (command->n_args + 1) * sizeof *args);

    if (!args)
        return -1;
    command->args = args;
    args[command->n_args++] = raw->token;
    raw->token.text = NULL;
    return 0;
}

static int add_option(jk_command *command, raw_token *raw)
{
    jk_option *options = realloc(command->options, (command->n_options + 1) * sizeof *options);
    jk_option *option;
    char *text = raw->token.text;

    if (!options)
        return -1;
    command->options = options;
    option = &options[command->n_options];
    memset(option, 0, sizeof *option);
    option->key = raw->token;
    option->key.quoted = 0;
    option->key.text = strndup(text, (size_t)raw->equals);
    option->value.text = strdup(text + raw->equals + 1);
    option->value.line = raw->value_line;
    option->value.column = raw->value_column;
    option->value.quoted = raw->value_quoted;
    if (!option->key.text || !option->value.text) {
        free(option->key.text);
        free(option->value.text);
        return -1;
    }
    command->n_options++;
    free(text);
    raw->token.text = NULL;
    return 0;
}

/* Reads the rest of a raw-text command: up to the end of the physical line, following
 * line continuations. */
static void skip_raw_text(cursor *c)
{
    for (;;) {
        char ch = peek(c, 0);
        if (ch == '\0' || ch == '\n')
            return;
        if (continuation_size(c))
            skip_continuation(c);
        else
            advance(c);
    }
}

/* Returns 1 when the next token on this line, after blanks, is an argument (no '='). The
 * cursor does not move. */
static int next_is_argument(const cursor *c)
{
    size_t pos = c->pos;

    while (is_blank(c->code[pos]))
        pos++;
    if (c->code[pos] == '\0' || c->code[pos] == '\n' || c->code[pos] == '#' ||
        c->code[pos] == '=')
        return 0;
    for (; c->code[pos] && c->code[pos] != '\n' && !is_blank(c->code[pos]); pos++)
        if (c->code[pos] == '=')
            return 0;
    return 1;
}

/* Reports `key = value`, `key =value` or `key= value`: key is the token before the '=',
 * value what follows it in the same token, or else the next word on the line. */
static void spaced_equals_error(const cursor *c, const jk_token *key, const char *value,
                                jk_parse_error *err)
{
    size_t pos = c->pos, end;

    if (!is_option_name(key->text, strlen(key->text))) {
        fail(err, key->line, key->column,
             "missing option name before '='; write options as name=value, without spaces");
        return;
    }
    if (*value) {
        fail(err, key->line, key->column, "spaces around '=' are not allowed; write %s=%s",
             key->text, value);
        return;
    }

    while (is_blank(c->code[pos]))
        pos++;
    for (end = pos; c->code[end] && c->code[end] != '\n' && c->code[end] != '#' &&
                    !is_blank(c->code[end]);
         end++)
        ;
    if (end > pos)
        fail(err, key->line, key->column, "spaces around '=' are not allowed; write %s=%.*s",
             key->text, (int)(end - pos), c->code + pos);
    else
        fail(err, key->line, key->column,
             "spaces around '=' are not allowed; write %s=VALUE", key->text);
}

/* Parses the command whose name starts at the cursor. */
static int parse_command(cursor *c, size_t line_start, jk_raw_text_predicate takes_raw_text,
                         jk_command *command, jk_parse_error *err)
{
    raw_token raw;
    size_t rest_start;

    memset(command, 0, sizeof *command);
    command->line = c->line;
    if (read_token(c, &raw, err) != 0)
        return -1;
    if (raw.equals >= 0) {
        fail(err, raw.token.line, raw.token.column,
             "expected a command name, found the option '%s'; options follow the command, "
             "as in: train epochs=3", raw.token.text);
        free(raw.token.text);
        return -1;
    }
    command->name = raw.token;
    rest_start = c->pos;

    if (takes_raw_text && takes_raw_text(command->name.text)) {
        skip_raw_text(c);
    } else {
        for (;;) {
            skip_blanks(c);
            if (peek(c, 0) == '\0' || peek(c, 0) == '\n')
                break;
            if (peek(c, 0) == '#') {
                skip_to_line_end(c);
                break;
            }
            if (read_token(c, &raw, err) != 0)
                goto err;

            if (raw.equals < 0) {
                if (add_argument(command, &raw) != 0)
                    goto no_memory;
                continue;
            }
            if (raw.equals == 0 && command->n_args > 0) {
                spaced_equals_error(c, &command->args[command->n_args - 1], raw.token.text + 1,
                                    err);
                free(raw.token.text);
                goto err;
            }
            if (raw.token.text[raw.equals + 1] == '\0' && !raw.value_quoted &&
                is_blank(peek(c, 0)) && is_option_name(raw.token.text, (size_t)raw.equals) &&
                next_is_argument(c)) {
                raw.token.text[raw.equals] = '\0';
                spaced_equals_error(c, &raw.token, "", err);
                free(raw.token.text);
                goto err;
            }
            if (!is_option_name(raw.token.text, (size_t)raw.equals)) {
                if (raw.equals == 0)
                    fail(err, raw.token.line, raw.token.column,
                         "missing option name before '=' in '%s'; write options as "
                         "name=value, without spaces around '='",
                         raw.token.text);
                else
                    fail(err, raw.token.line, raw.token.column,
                         "invalid option name '%.*s'; option names start with a letter and "
                         "contain letters, digits and _",
                         (int)raw.equals, raw.token.text);
                free(raw.token.text);
                goto err;
            }
            if (add_option(command, &raw) != 0) {
                free(raw.token.text);
                goto no_memory;
            }
        }
    }

    command->rest = copy_joined(c->code, rest_start, c->pos);
    command->source_line = copy_joined(c->code, line_start, c->pos);
    if (!command->rest || !command->source_line)
        goto no_memory;
    return 0;

no_memory:
    fail(err, command->line, 1, "out of memory");
err:
    command_free(command);
    memset(command, 0, sizeof *command);
    return -1;
}

int jk_parse(const char *code, jk_raw_text_predicate takes_raw_text, jk_program *out,
             jk_parse_error *err)
{
    cursor c = {code, 0, 1, 1, 0};

    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);

    for (;;) {
        size_t line_start = c.pos;
        jk_command command;
        jk_command *commands;

        skip_blanks(&c);
        if (peek(&c, 0) == '\0') {
            out->continued = c.continued;
            return 0;
        }
        if (peek(&c, 0) == '\n') {
            advance(&c);
            continue;
        }
        if (peek(&c, 0) == '#') {
            skip_to_line_end(&c);
            continue;
        }

        if (parse_command(&c, line_start, takes_raw_text, &command, err) != 0)
            goto err;
        commands = realloc(out->commands, (out->count + 1) * sizeof *commands);
        if (!commands) {
            command_free(&command);
            fail(err, c.line, c.column, "out of memory");
            goto err;
        }
        out->commands = commands;
        out->commands[out->count++] = command;
    }

err:
    jk_program_free(out);
    return -1;
}

void jk_program_free(jk_program *program)
{
    for (size_t i = 0; i < program->count; i++)
        command_free(&program->commands[i]);
    free(program->commands);
    program->commands = NULL;
    program->count = 0;
}

/*** completeness ***/

const char *jk_is_complete(const char *code, jk_raw_text_predicate takes_raw_text)
{
    jk_program program;
    jk_parse_error err;
    int continued;

    /* Other syntax errors make the code "complete": running it shows the error at once,
     * which helps more than a continuation prompt. */
    if (jk_parse(code, takes_raw_text, &program, &err) != 0)
        return err.unclosed_quote ? "incomplete" : "complete";
    continued = program.continued;
    jk_program_free(&program);
    return continued ? "incomplete" : "complete";
}

/*** suggestions ***/

/* Compares ASCII letters without case, so `TRAIN` is zero edits from `train`. */
static int same_letter(char a, char b)
{
    return tolower((unsigned char)a) == tolower((unsigned char)b);
}

size_t jk_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    size_t *rows = malloc(3 * (m + 1) * sizeof *rows);
    size_t *before = rows, *previous = rows + (m + 1), *current = rows + 2 * (m + 1);
    size_t distance;

    if (!rows)
        return (size_t)-1;
    for (size_t j = 0; j <= m; j++)
        previous[j] = j;

    for (size_t i = 1; i <= n; i++) {
        current[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = same_letter(a[i - 1], b[j - 1]) ? 0 : 1;
            size_t best = previous[j] + 1;
            if (current[j - 1] + 1 < best)
                best = current[j - 1] + 1;
            if (previous[j - 1] + cost < best)
                best = previous[j - 1] + cost;
            if (i > 1 && j > 1 && same_letter(a[i - 1], b[j - 2]) &&
                same_letter(a[i - 2], b[j - 1]) &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            current[j] = best;
        }
        size_t *recycled = before;
        before = previous;
        previous = current;
        current = recycled;
    }
    distance = previous[m];
    free(rows);
    return distance;
}

const char *jk_suggest(const char *word, const char *const *candidates)
{
    size_t limit = strlen(word) <= 4 ? 1 : 2;
    const char *best = NULL;
    size_t best_distance = limit + 1;

    for (size_t i = 0; candidates[i]; i++) {
        size_t distance = jk_edit_distance(word, candidates[i]);
        if (distance < best_distance) {
            best = candidates[i];
            best_distance = distance;
        }
    }
    return best;
}
