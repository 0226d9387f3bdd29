/* execute.c: execute_request: the execution count, execute_input, the error output and
 * the execute_reply around a cell run by exec.c. */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "comm.h"
#include "exec.h"
#include "history.h"
#include "kernel.h"
#include "log.h"

static int execution_count;

typedef struct {
    jk_publisher *publisher;
    const json_t *parent_header;
} iopub_output;

static void publish_output(void *context, const char *msg_type, json_t *content)
{
    iopub_output *output = context;

    jk_publish(output->publisher, msg_type, content, NULL, output->parent_header);
}

static void stream_output(void *context, const char *name, const char *text)
{
    iopub_output *output = context;

    jk_publish_stream(output->publisher, name, text, output->parent_header);
}

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
    const char *code = jk_json_string(content, "code", "");
    const char *msg_id = jk_json_string(request->header, "msg_id", NULL);
    int silent = json_is_true(json_object_get(content, "silent"));
    iopub_output sink = {shell->publisher, request->header};
    jk_output output = {publish_output, stream_output, &sink};
    jk_cell_outcome outcome;
    json_t *reply;
    int store_history;

    /* silent forces store_history off; a blank cell leaves the count alone too. */
    store_history = !silent && (store ? json_is_true(store) : 1) && !is_blank_code(code);
    if (store_history)
        execution_count++;

    if (!silent)
        jk_publish(shell->publisher, "execute_input",
                   json_pack("{s:s, s:i}", "code", code, "execution_count", execution_count),
                   NULL, request->header);

    /* An interrupt that arrived while the kernel was idle must not stop this cell. */
    jk_interrupt_clear();
    jk_comm_set_context(shell, request);
    jk_run_cell(code, silent, execution_count, msg_id, &output, &outcome);
    jk_comm_set_context(NULL, NULL);

    if (outcome.failed) {
        jk_log(JK_LOG_INFO, msg_id, "execution failed: %s", outcome.ename);
        if (!silent)
            jk_publish(shell->publisher, "error",
                       json_pack("{s:s, s:s, s:O}", "ename", outcome.ename, "evalue",
                                 outcome.evalue, "traceback", outcome.traceback),
                       NULL, request->header);
        reply = json_pack("{s:s, s:i, s:s, s:s, s:O, s:{}}", "status", "error",
                          "execution_count", execution_count, "ename", outcome.ename,
                          "evalue", outcome.evalue, "traceback", outcome.traceback,
                          "user_expressions");
    } else {
        json_t *payload = json_array();
        if (outcome.pager_text)
            json_array_append_new(payload,
                                  json_pack("{s:s, s:{s:s}, s:i}", "source", "page", "data",
                                            "text/plain", outcome.pager_text, "start", 0));
        /* IPython's payload for exit and quit; jupyter-console 6.4.4 acts on it, and
         * Notebook 6 ignores it. */
        if (outcome.ask_exit)
            json_array_append_new(payload, json_pack("{s:s, s:b}", "source", "ask_exit",
                                                     "keepkernel", 0));
        reply = json_pack("{s:s, s:i, s:o, s:o}", "status", "ok", "execution_count",
                          execution_count, "payload", payload, "user_expressions",
                          user_expression_results(json_object_get(content, "user_expressions")));
    }

    if (store_history)
        jk_history_add(execution_count, code, outcome.result_text);
    *failed = outcome.failed;
    jk_cell_outcome_clear(&outcome);
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
