/* execute.c: running a cell, and the jk_exec interface that commands publish through.
 *
 * A cell is parsed, then its commands run in order until one fails. Commands never see
 * messages: they call jk_emit_* and jk_fail, and this file turns those calls into
 * iopub messages and the execute_reply, applying silent, the execution count and the
 * rule that only the cell's last command sends an execute_result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "help.h"
#include "history.h"
#include "kernel.h"
#include "log.h"
#include "parser.h"
#include "registry.h"
#include "utf8.h"

struct jk_exec {
    jk_publisher *publisher;
    const json_t *parent_header;
    const char *code;
    const char *msg_id; /* of the request, for logs */
    int silent;
    int execution_count;

    const jk_command *command; /* the running command */
    int is_last;
    int result_sent;

    int failed;
    char ename[64];
    char *evalue;
    int error_line, error_column; /* 1-based position for the caret; 0 when none */

    char *pager_text;
    char *result_text; /* text/plain of the execute_result, for history */
};

static int execution_count;

/*** publishing ***/

/* Makes sure a bundle has text/plain, which every frontend needs and the emit functions
 * require; a missing one is logged and replaced by an empty string. */
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
    content = json_pack("{s:o, s:o, s:{}}", "data", data, "metadata", metadata, "transient");
    if (display_id)
        json_object_set_new(json_object_get(content, "transient"), "display_id",
                            json_string(display_id));
    jk_publish(ex->publisher, msg_type, content, NULL, ex->parent_header);
}

void jk_emit_stdout(jk_exec *ex, const char *text)
{
    if (!ex->silent)
        jk_publish_stream(ex->publisher, "stdout", text, ex->parent_header);
}

void jk_emit_stderr(jk_exec *ex, const char *text)
{
    if (!ex->silent)
        jk_publish_stream(ex->publisher, "stderr", text, ex->parent_header);
}

static void emit_vprintf(jk_exec *ex, const char *name, const char *fmt, va_list args)
{
    char *text = NULL;

    if (ex->silent)
        return;
    if (vasprintf(&text, fmt, args) < 0)
        return;
    jk_publish_stream(ex->publisher, name, text, ex->parent_header);
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
    content = json_pack("{s:i, s:o, s:o}", "execution_count", ex->execution_count, "data", data,
                        "metadata", metadata ? metadata : json_object());
    jk_publish(ex->publisher, "execute_result", content, NULL, ex->parent_header);
}

void jk_emit_clear(jk_exec *ex, int wait)
{
    if (!ex->silent)
        jk_publish(ex->publisher, "clear_output", json_pack("{s:b}", "wait", wait), NULL,
                   ex->parent_header);
}

void jk_set_pager(jk_exec *ex, const char *text)
{
    free(ex->pager_text);
    ex->pager_text = jk_utf8_sanitize(text, strlen(text));
}

void jk_new_display_id(char out[37])
{
    jk_uuid_new(out);
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
    /* The caret sits under the column'th code point of the quoted text, after the
     * "  line N: " prefix. Tabs in the line would shift it, so they count as one. */
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
                       "unknown command '%s'; type help for the list of commands",
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

/*** the request ***/

static int is_blank_code(const char *code)
{
    for (; *code; code++) {
        if (*code != ' ' && *code != '\t' && *code != '\n' && *code != '\r')
            return 0;
    }
    return 1;
}

/* nnscope has no expressions, so every user expression gets an error entry. */
static json_t *user_expression_results(const json_t *expressions)
{
    json_t *results = json_object();
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)expressions, key, value) {
        (void)value;
        json_object_set_new(results, key,
                            json_pack("{s:s, s:s, s:s, s:[]}", "status", "error", "ename",
                                      JK_COMMAND_ERROR, "evalue",
                                      "nnscope has no expressions to evaluate", "traceback"));
    }
    return results;
}

json_t *jk_execute(jk_channel *shell, const jk_message *request, int *failed)
{
    const json_t *content = request->content;
    const json_t *store = json_object_get(content, "store_history");
    jk_exec ex;
    json_t *reply;
    int store_history;

    memset(&ex, 0, sizeof ex);
    ex.publisher = shell->publisher;
    ex.parent_header = request->header;
    ex.msg_id = jk_json_string(request->header, "msg_id", NULL);
    ex.code = jk_json_string(content, "code", "");
    ex.silent = json_is_true(json_object_get(content, "silent"));
    store_history = !ex.silent && (store ? json_is_true(store) : 1);

    /* A blank cell, like one with store_history false, leaves the count alone. */
    if (store_history && !is_blank_code(ex.code))
        execution_count++;
    else
        store_history = 0;
    ex.execution_count = execution_count;

    if (!ex.silent)
        jk_publish(ex.publisher, "execute_input",
                   json_pack("{s:s, s:i}", "code", ex.code, "execution_count", ex.execution_count),
                   NULL, request->header);

    /* An interrupt that arrived while the kernel was idle must not stop this cell. */
    jk_interrupt_clear();
    run_cell(&ex);

    if (ex.failed) {
        jk_log(JK_LOG_INFO, ex.msg_id, "execution failed: %s", ex.ename);
        if (!ex.silent)
            jk_publish(ex.publisher, "error",
                       json_pack("{s:s, s:s, s:o}", "ename", ex.ename, "evalue", ex.evalue,
                                 "traceback", error_traceback(&ex)),
                       NULL, request->header);
        reply = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o}", "status", "error",
                          "execution_count", ex.execution_count, "ename", ex.ename, "evalue",
                          ex.evalue, "traceback", error_traceback(&ex), "user_expressions",
                          json_object());
    } else {
        json_t *payload = json_array();
        if (ex.pager_text)
            json_array_append_new(payload,
                                  json_pack("{s:s, s:{s:s}, s:i}", "source", "page", "data",
                                            "text/plain", ex.pager_text, "start", 0));
        reply = json_pack("{s:s, s:i, s:o, s:o}", "status", "ok", "execution_count",
                          ex.execution_count, "payload", payload, "user_expressions",
                          user_expression_results(json_object_get(content, "user_expressions")));
    }
    if (store_history)
        jk_history_add(ex.execution_count, ex.code, ex.result_text);

    *failed = ex.failed;
    free(ex.evalue);
    free(ex.pager_text);
    free(ex.result_text);
    return reply;
}

void jk_execute_abort(jk_channel *shell, const jk_message *request)
{
    const char *msg_id = jk_json_string(request->header, "msg_id", NULL);

    jk_log(JK_LOG_INFO, msg_id, "aborted: an earlier execution failed with stop_on_error");
    jk_send_reply(shell, request, "execute_reply",
                  json_pack("{s:s, s:i, s:s, s:s, s:[], s:{}}", "status", "aborted",
                            "execution_count", execution_count, "ename", JK_EXECUTION_ABORTED,
                            "evalue", "not run because an earlier cell failed and the request "
                                      "set stop_on_error",
                            "traceback", "user_expressions"));
}
