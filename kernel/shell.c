/* shell.c: dispatch of shell requests on the main thread.
 *
 * Every request is framed by status "busy" and "idle" here, in one place. Requests are
 * handled one at a time in arrival order. When an execute request fails and its
 * stop_on_error is true, the requests that had already arrived are taken off the socket
 * before its reply goes out. Execute requests among them get an "aborted" reply without
 * running, and the others are handled normally. A client that waits for each reply
 * before sending its next request is therefore never aborted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "comm.h"
#include "complete.h"
#include "history.h"
#include "kernel.h"
#include "log.h"
#include "parser.h"

typedef struct {
    jk_message *items;
    size_t count, capacity;
} message_queue;

enum { HANDLED, SHUTDOWN };

static int stop_on_error(const jk_message *request)
{
    const json_t *value = json_object_get(request->content, "stop_on_error");

    /* The messaging spec makes true the default when the field is missing. */
    return value ? json_is_true(value) : 1;
}

/* Moves every verified request that has already arrived into queue. */
static void take_queued(jk_channel *shell, message_queue *queue)
{
    for (;;) {
        jk_message request;
        int received = jk_channel_receive(shell, &request, ZMQ_DONTWAIT);

        if (received < 0)
            return; /* EAGAIN: nothing more has arrived */
        if (received > 0)
            continue;
        if (queue->count == queue->capacity) {
            size_t capacity = queue->capacity ? 2 * queue->capacity : 8;
            jk_message *grown = realloc(queue->items, capacity * sizeof *grown);
            if (!grown) {
                jk_log(JK_LOG_ERROR, jk_json_string(request.header, "msg_id", NULL),
                       "shell: out of memory; dropping a request");
                jk_message_clear(&request);
                return;
            }
            queue->items = grown;
            queue->capacity = capacity;
        }
        queue->items[queue->count++] = request;
    }
}

static void execute(jk_channel *shell, const jk_message *request, int aborting,
                    message_queue *aborted)
{
    json_t *reply;
    int failed = 0;

    if (aborting) {
        jk_execute_abort(shell, request);
        return;
    }
    reply = jk_execute(shell, request, &failed);
    if (failed && stop_on_error(request))
        take_queued(shell, aborted);
    jk_send_reply(shell, request, "execute_reply", reply);
}

/* Handles one request; requests that must be aborted because of it are added to
 * aborted. */
static int handle(jk_channel *shell, const jk_message *request, int aborting,
                  message_queue *aborted)
{
    const char *msg_type = jk_json_string(request->header, "msg_type", "");
    const char *msg_id = jk_json_string(request->header, "msg_id", NULL);
    int result = HANDLED;

    jk_log(JK_LOG_DEBUG, msg_id, "shell: received %s", msg_type);
    jk_publish_status(shell->publisher, "busy", request->header);

    if (strcmp(msg_type, "execute_request") == 0) {
        execute(shell, request, aborting, aborted);
    } else if (strcmp(msg_type, "kernel_info_request") == 0) {
        jk_send_reply(shell, request, "kernel_info_reply", jk_kernel_info());
    } else if (strcmp(msg_type, "complete_request") == 0) {
        jk_send_reply(shell, request, "complete_reply", jk_complete_reply(request->content));
    } else if (strcmp(msg_type, "inspect_request") == 0) {
        jk_send_reply(shell, request, "inspect_reply", jk_inspect_reply(request->content));
    } else if (strcmp(msg_type, "is_complete_request") == 0) {
        jk_send_reply(shell, request, "is_complete_reply", jk_is_complete_reply(request->content));
    } else if (strcmp(msg_type, "history_request") == 0) {
        jk_send_reply(shell, request, "history_reply", jk_history_reply(request->content));
    } else if (strcmp(msg_type, "comm_info_request") == 0 || strcmp(msg_type, "comm_open") == 0 ||
               strcmp(msg_type, "comm_msg") == 0 || strcmp(msg_type, "comm_close") == 0) {
        jk_comm_handle(shell, request);
    } else if (strcmp(msg_type, "shutdown_request") == 0) {
        jk_send_reply(shell, request, "shutdown_reply", jk_shutdown_content(request));
        result = SHUTDOWN;
    } else {
        /* The spec lets a kernel leave unknown requests unanswered; clients time out. */
        jk_log(JK_LOG_WARNING, msg_id, "shell: ignoring unknown message type '%s'", msg_type);
    }

    jk_publish_status(shell->publisher, "idle", request->header);
    return result;
}

int jk_shell_handle(jk_channel *shell, jk_message *request)
{
    message_queue aborted = {0};
    int result = handle(shell, request, 0, &aborted);

    for (size_t i = 0; i < aborted.count; i++) {
        if (result != SHUTDOWN)
            result = handle(shell, &aborted.items[i], 1, &aborted);
        jk_message_clear(&aborted.items[i]);
    }
    free(aborted.items);
    return result == SHUTDOWN;
}
