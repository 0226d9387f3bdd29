/* kernel.h: the running kernel, shared by its channels.
 *
 * The main thread owns the shell and stdin sockets and runs every command. The control
 * thread replies to kernel_info, interrupt and shutdown requests even while a command
 * runs. The heartbeat thread echoes pings, and the iopub thread publishes (iopub.h).
 */
#ifndef JK_KERNEL_H
#define JK_KERNEL_H

#include <jansson.h>

#include "connection.h"
#include "hmac.h"
#include "iopub.h"
#include "message.h"

/* The directory of nnscope's data files (data/mnist/ and the like): $NNSCOPE_DATA_DIR
 * when set, else the build tree's data/ when the binary runs from the build tree, else
 * the installed pkgdatadir. */
const char *jk_data_dir(void);

/* Error name in the replies to execute requests that were not run because an earlier
 * request failed with stop_on_error set. */
#define JK_EXECUTION_ABORTED "ExecutionAborted"

/* A ROUTER channel (shell or control) as seen by the thread that owns it. */
typedef struct {
    const char *name;        /* "shell" or "control", for logs */
    void *socket;
    jk_publisher *publisher; /* the owning thread's */
    const jk_hmac *hmac;
    unsigned long dropped;   /* messages dropped so far, for rate-limited logging */
} jk_channel;

/* Receives one message from the channel's socket and verifies it. Returns 0 with the
 * message, 1 when a message was dropped (bad frames, signature or replay; logged), or
 * -1 when the socket failed (errno from ZeroMQ). */
int jk_channel_receive(jk_channel *channel, jk_message *out, int flags);

/* Sends msg_type with content (stolen) to the request's sender. */
void jk_send_reply(jk_channel *channel, const jk_message *request, const char *msg_type,
                   json_t *content);

/* The content of kernel_info_reply. */
json_t *jk_kernel_info(void);

/* The content of shutdown_reply, echoing the request's restart flag. */
json_t *jk_shutdown_content(const jk_message *request);

/*** the main thread ***/

/* Runs the kernel described by the connection file until shutdown. Returns the
 * process exit status. */
int jk_kernel_run(const char *connection_file);

/* Handles one shell request (busy, handler, idle). Returns 1 after a shutdown request,
 * else 0. */
int jk_shell_handle(jk_channel *shell, jk_message *request);

/* Runs an execute_request and returns the content of its execute_reply, which the
 * caller sends; *failed is set to 1 when the cell failed, else 0. */
json_t *jk_execute(jk_channel *shell, const jk_message *request, int *failed);

/* Replies to an execute_request with status "aborted" without running it. */
void jk_execute_abort(jk_channel *shell, const jk_message *request);

/*** the control thread ***/

typedef struct {
    void *context;
    jk_connection *connection;
    const jk_hmac *hmac;
    const char *wake_endpoint; /* inproc PAIR the control thread uses to wake the main thread */
} jk_control_config;

/* Starts the control thread; it binds the control socket before this returns. Returns 0,
 * or -1 with a message in err. */
int jk_control_start(const jk_control_config *config, char *err, size_t err_size);
/* Sends "stop" on the main thread's end of the wake PAIR socket and joins the thread. */
void jk_control_stop(void *wake);

/*** the heartbeat thread ***/

int jk_heartbeat_start(void *context, const char *endpoint, char *err, size_t err_size);
/* Joins the heartbeat thread; call after zmq_ctx_shutdown, which ends its wait. */
void jk_heartbeat_join(void);

/*** signals and interrupts ***/

/* Installs the SIGINT handler, which sets the interrupt flag, and the SIGTERM handler,
 * which requests shutdown and writes to the wake pipe. Returns the pipe's read end, or
 * -1. */
int jk_signals_install(void);
int jk_terminate_requested(void);
/* Asks the running command to stop at its next safe point. Async-signal-safe. */
void jk_interrupt(void);
void jk_interrupt_clear(void);

#endif /* JK_KERNEL_H */
