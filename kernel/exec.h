/* exec.h: running a cell's commands, apart from the messaging protocol.
 *
 * execute.c runs cells with an output that publishes on iopub; the unit tests run them
 * with one that records what the commands emit.
 */
#ifndef JK_EXEC_H
#define JK_EXEC_H

#include <jansson.h>

/* Where a cell's outputs go. */
typedef struct {
    /* Publishes an output message (display_data, update_display_data, execute_result,
     * clear_output) with content, whose reference is stolen. */
    void (*publish)(void *context, const char *msg_type, json_t *content);
    /* Writes text to stream name ("stdout" or "stderr"). */
    void (*stream)(void *context, const char *name, const char *text);
    void *context;
} jk_output;

/* What the execute_reply needs to know about a cell that ran. */
typedef struct {
    int failed;
    char ename[64];
    char *evalue;       /* when failed */
    json_t *traceback;  /* when failed: the message, then the failing line and a caret */
    char *pager_text;   /* help requested with ?COMMAND, or NULL */
    char *result_text;  /* text/plain of the execute_result, or NULL */
    int ask_exit;       /* exit or quit ran: the reply carries the ask_exit payload */
} jk_cell_outcome;

/* Parses and runs code (valid UTF-8). silent suppresses every output; execution_count
 * goes into the execute_result; msg_id (may be NULL) labels log lines. */
void jk_run_cell(const char *code, int silent, int execution_count, const char *msg_id,
                 const jk_output *output, jk_cell_outcome *outcome);
void jk_cell_outcome_clear(jk_cell_outcome *outcome);

#endif /* JK_EXEC_H */
