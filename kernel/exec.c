/* exec.c: running a cell, and the jk_exec interface that commands publish through.
 *
 * A cell is parsed, then its commands run in order until one fails. Commands never see
 * messages: they call jk_emit_* and jk_fail, and this file turns those calls into
 * output messages for a jk_output and an outcome for the execute_reply, applying
 * silent and the rule that only the cell's last command sends an execute_result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "exec.h"
#include "help.h"
#include "log.h"
#include "message.h"
#include "parser.h"
#include "registry.h"
#include "utf8.h"

struct jk_exec {
    const jk_output *output;
    const char *code;
    const char *msg_id; /* of the request, for logs; may be NULL */
    int silent;
    int execution_count;

    const jk_command *command; /* the running command */
    int is_last;
    int result_sent;
    size_t n_outputs; /* outputs published in this cell, not counting display updates */

    int failed;
    char ename[64];
    char *evalue;
    int error_line, error_column; /* 1-based position for the caret; 0 when none */

    char *pager_text;
    char *result_text; /* text/plain of the execute_result, for history */
    int ask_exit;
};

/*** publishing ***/

/* Makes sure a bundle has text/plain, which every frontend needs and the emit functions
 * require. A missing one is logged and replaced by an empty string. */
static json_t *checked_bundle(jk_exec *ex, json_t *data)
{
    if (!json_is_object(data)) {
        json_decref(data);
        data = json_object();
    }
    if (!json_is_string(json_object_get(data, "text/plain"))) {
        jk_log(JK_LOG_WARNING, ex->msg_id, "command %s emitted a bundle without text/plain",
               ex->command ? ex->command->name.text : "?");
        json_object_set_new(data, "text/plain", json_string(""));
    }
    return data;
}

static void publish_display(jk_exec *ex, const char *msg_type, json_t *data, json_t *metadata,
                            const char *display_id)
{
    json_t *content;

    data = checked_bundle(ex, data);
    if (!metadata)
        metadata = json_object();
    if (ex->silent) {
        json_decref(data);
        json_decref(metadata);
        return;
    }
    if (strcmp(msg_type, "update_display_data") != 0)
        ex->n_outputs++;
    content = json_pack("{s:o, s:o, s:{}}", "data", data, "metadata", metadata, "transient");
    if (display_id)
        json_object_set_new(json_object_get(content, "transient"), "display_id",
                            json_string(display_id));
    ex->output->publish(ex->output->context, msg_type, content);
}

void jk_emit_stdout(jk_exec *ex, const char *text)
{
    if (ex->silent)
        return;
    ex->n_outputs++;
    ex->output->stream(ex->output->context, "stdout", text);
}

void jk_emit_stderr(jk_exec *ex, const char *text)
{
    if (ex->silent)
        return;
    ex->n_outputs++;
    ex->output->stream(ex->output->context, "stderr", text);
}

static void emit_vprintf(jk_exec *ex, const char *name, const char *fmt, va_list args)
{
    char *text = NULL;

    if (ex->silent)
        return;
    if (vasprintf(&text, fmt, args) < 0)
        return;
    ex->n_outputs++;
    ex->output->stream(ex->output->context, name, text);
    free(text);
}

void jk_emit_stdout_printf(jk_exec *ex, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    emit_vprintf(ex, "stdout", fmt, args);
    va_end(args);
}

void jk_emit_stderr_printf(jk_exec *ex, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    emit_vprintf(ex, "stderr", fmt, args);
    va_end(args);
}

void jk_emit_display(jk_exec *ex, json_t *data, json_t *metadata, const char *display_id)
{
    publish_display(ex, "display_data", data, metadata, display_id);
}

void jk_emit_update(jk_exec *ex, json_t *data, json_t *metadata, const char *display_id)
{
    publish_display(ex, "update_display_data", data, metadata, display_id);
}

void jk_emit_result(jk_exec *ex, json_t *data, json_t *metadata)
{
    json_t *content;

    if (ex->result_sent)
        jk_log(JK_LOG_WARNING, ex->msg_id, "command %s sent more than one primary result",
               ex->command ? ex->command->name.text : "?");
    ex->result_sent = 1;

    if (!ex->is_last) {
        publish_display(ex, "display_data", data, metadata, NULL);
        return;
    }

    data = checked_bundle(ex, data);
    free(ex->result_text);
    ex->result_text = strdup(json_string_value(json_object_get(data, "text/plain")));
    if (ex->silent) {
        json_decref(data);
        json_decref(metadata);
        return;
    }
    ex->n_outputs++;
    content = json_pack("{s:i, s:o, s:o}", "execution_count", ex->execution_count, "data", data,
                        "metadata", metadata ? metadata : json_object());
    ex->output->publish(ex->output->context, "execute_result", content);
}

void jk_emit_clear(jk_exec *ex, int wait)
{
    if (ex->silent)
        return;
    ex->n_outputs++;
    ex->output->publish(ex->output->context, "clear_output", json_pack("{s:b}", "wait", wait));
}

size_t jk_output_count(const jk_exec *ex)
{
    return ex->n_outputs;
}

void jk_set_pager(jk_exec *ex, const char *text)
{
    free(ex->pager_text);
    ex->pager_text = jk_utf8_sanitize(text, strlen(text));
}

void jk_request_exit(jk_exec *ex)
{
    ex->ask_exit = 1;
}

void jk_new_display_id(char out[37])
{
    jk_uuid_new(out);
}

json_t *jk_json_text(const char *text)
{
    size_t size = strlen(text);
    char *clean;
    json_t *value;

    if (jk_utf8_valid(text, size))
        return json_stringn(text, size);
    clean = jk_utf8_sanitize(text, size);
    value = clean ? json_string(clean) : json_string("");
    free(clean);
    return value;
}

int jk_interrupted(const jk_exec *ex)
{
    (void)ex;
    return *jk_interrupt_flag() != 0;
}

int jk_is_last_command(const jk_exec *ex)
{
    return ex->is_last;
}

/*** errors ***/

static int record_error(jk_exec *ex, const char *ename, int line, int column, const char *text)
{
    /* The first error wins: it is the cause, later ones are consequences. */
    if (ex->failed)
        return -1;
    ex->failed = 1;
    snprintf(ex->ename, sizeof ex->ename, "%s", ename);
    ex->evalue = jk_utf8_sanitize(text, strlen(text));
    ex->error_line = line;
    ex->error_column = column;
    return -1;
}

int jk_fail(jk_exec *ex, const char *ename, const jk_token *at, const char *fmt, ...)
{
    char *text = NULL;
    va_list args;
    int line = 0, column = 0;

    if (!at && ex->command)
        at = &ex->command->name;
    if (at) {
        line = at->line;
        column = at->column;
    }

    va_start(args, fmt);
    if (vasprintf(&text, fmt, args) < 0)
        text = NULL;
    va_end(args);
    record_error(ex, ename, line, column, text ? text : fmt);
    free(text);
    return -1;
}

/* Appends the physical line `line` of the code and a caret under `column`. */
static void append_caret(json_t *traceback, const char *code, int line, int column)
{
    const char *start = code;
    const char *end;
    char *quoted;
    char *caret;
    size_t width;

    for (int i = 1; i < line && start; i++) {
        start = strchr(start, '\n');
        if (start)
            start++;
    }
    if (!start)
        return;
    end = strchr(start, '\n');
    if (!end)
        end = start + strlen(start);
    while (end > start && end[-1] == '\r')
        end--;

    if (asprintf(&quoted, "  line %d: %.*s", line, (int)(end - start), start) < 0)
        return;
    /* A tab would render wider than the one column the caret counts for it. */
    for (char *p = quoted; *p; p++) {
        if (*p == '\t')
            *p = ' ';
    }

    /* The caret sits under the column'th code point of the quoted text, after the
     * "  line N: " prefix.
     * NOTE: East Asian wide characters before the token shift the caret left, because
     * each counts as one column here. */
    width = strlen("  line : ") + (size_t)snprintf(NULL, 0, "%d", line) + (size_t)column - 1;
    caret = malloc(width + 2);
    if (caret) {
        memset(caret, ' ', width);
        caret[width] = '^';
        caret[width + 1] = '\0';
        json_array_append_new(traceback, json_string(quoted));
        json_array_append_new(traceback, json_string(caret));
    }
    free(caret);
    free(quoted);
}

static json_t *error_traceback(const jk_exec *ex)
{
    json_t *traceback = json_array();
    char *first;

    if (asprintf(&first, "%s: %s", ex->ename, ex->evalue) >= 0) {
        json_array_append_new(traceback, json_string(first));
        free(first);
    }
    if (ex->error_line > 0 && ex->error_column > 0)
        append_caret(traceback, ex->code, ex->error_line, ex->error_column);
    return traceback;
}

/*** running commands ***/

/* `?help` or `help?`: the help of a command as a pager payload. */
static int run_pager_help(jk_exec *ex, const jk_command *command)
{
    const char *word = command->name.text;
    size_t length = strlen(word);
    char *target;
    const jk_command_spec *spec = NULL;
    char *text;

    if (word[0] == '?')
        target = strdup(word + 1);
    else
        target = strndup(word, length - 1);
    if (!target)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL, "out of memory");

    if (target[0]) {
        spec = jk_find_command(target);
        if (!spec) {
            const char *suggestion = jk_suggest(target, jk_command_names());
            jk_fail(ex, JK_COMMAND_ERROR, NULL, "no help for '%s': there is no such command%s%s%s",
                    target, suggestion ? "; did you mean '" : "", suggestion ? suggestion : "",
                    suggestion ? "'?" : "");
            free(target);
            return -1;
        }
    }
    text = jk_help_text(spec);
    jk_set_pager(ex, text ? text : "");
    free(text);
    free(target);
    return 0;
}

static int is_pager_form(const char *word)
{
    size_t length = strlen(word);

    return length > 0 && (word[0] == '?' || word[length - 1] == '?');
}

static int run_command(jk_exec *ex, const jk_command *command)
{
    const jk_command_spec *spec;
    int status;

    ex->command = command;
    ex->result_sent = 0;

    if (is_pager_form(command->name.text))
        return run_pager_help(ex, command);

    spec = jk_find_command(command->name.text);
    if (!spec) {
        const char *suggestion = jk_suggest(command->name.text, jk_command_names());
        if (suggestion)
            return jk_fail(ex, JK_COMMAND_ERROR, NULL,
                           "unknown command '%s'; did you mean '%s'? Type help for the list "
                           "of commands.", command->name.text, suggestion);
        return jk_fail(ex, JK_COMMAND_ERROR, NULL,
                       "unknown command '%s'. Type help for the list of commands.",
                       command->name.text);
    }

    jk_log(JK_LOG_DEBUG, ex->msg_id, "running %s", spec->name);
    status = spec->run(ex, command);
    if (status != 0 && !ex->failed) {
        jk_log(JK_LOG_WARNING, ex->msg_id, "command %s failed without calling jk_fail",
               spec->name);
        return jk_fail(ex, JK_COMMAND_ERROR, NULL, "%s failed", spec->name);
    }
    return ex->failed ? -1 : 0;
}

static void run_cell(jk_exec *ex)
{
    jk_program program;
    jk_parse_error parse_error;

    if (jk_parse(ex->code, jk_takes_raw_text, &program, &parse_error) != 0) {
        record_error(ex, JK_COMMAND_ERROR, parse_error.line, parse_error.column,
                     parse_error.message);
        return;
    }

    for (size_t i = 0; i < program.count; i++) {
        /* An interrupt between commands stops the cell before the next one starts. */
        if (jk_interrupted(ex)) {
            ex->command = &program.commands[i];
            jk_fail(ex, JK_KEYBOARD_INTERRUPT, NULL,
                    "interrupted before %s; the commands before it completed",
                    program.commands[i].name.text);
            break;
        }
        ex->is_last = i + 1 == program.count;
        if (run_command(ex, &program.commands[i]) != 0)
            break;
    }
    ex->command = NULL;
    jk_program_free(&program);
}

void jk_run_cell(const char *code, int silent, int execution_count, const char *msg_id,
                 const jk_output *output, jk_cell_outcome *outcome)
{
    jk_exec ex;

    memset(&ex, 0, sizeof ex);
    memset(outcome, 0, sizeof *outcome);
    ex.output = output;
    ex.code = code;
    ex.msg_id = msg_id;
    ex.silent = silent;
    ex.execution_count = execution_count;

    run_cell(&ex);

    outcome->failed = ex.failed;
    if (ex.failed) {
        snprintf(outcome->ename, sizeof outcome->ename, "%s", ex.ename);
        outcome->evalue = ex.evalue;
        outcome->traceback = error_traceback(&ex);
    }
    outcome->pager_text = ex.pager_text;
    outcome->result_text = ex.result_text;
    outcome->ask_exit = ex.ask_exit;
}

void jk_cell_outcome_clear(jk_cell_outcome *outcome)
{
    free(outcome->evalue);
    json_decref(outcome->traceback);
    free(outcome->pager_text);
    free(outcome->result_text);
    memset(outcome, 0, sizeof *outcome);
}
