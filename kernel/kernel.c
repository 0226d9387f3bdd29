/* kernel.c: start-up, the main thread's loop, and shutdown. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "comm.h"
#include "history.h"
#include "kernel.h"
#include "log.h"
#include "replay.h"
#include "socket.h"

#define WAKE_ENDPOINT "inproc://nnscope-wake"

typedef struct {
    void *context;
    jk_connection connection;
    jk_hmac *hmac;
    void *shell, *stdin_socket, *wake;
    jk_publisher *publisher;
    int signal_fd;
    int control_running, heartbeat_running, iopub_running;
} kernel_state;

static const char *user_name(void)
{
    const char *name = getenv("USER");
    struct passwd *entry;

    if (name && *name)
        return name;
    entry = getpwuid(getuid());
    return entry ? entry->pw_name : "nnscope";
}

static int bind_router(kernel_state *k, void **socket, int port, const char *channel)
{
    char endpoint[300];
    int linger = 1000;

    jk_connection_endpoint(&k->connection, port, endpoint, sizeof endpoint);
    *socket = zmq_socket(k->context, ZMQ_ROUTER);
    /* Replies sent just before shutdown (shutdown_reply) still get a second to leave. */
    zmq_setsockopt(*socket, ZMQ_LINGER, &linger, sizeof linger);
    if (jk_socket_bind(*socket, endpoint) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "cannot bind the %s socket to %s: %s", channel, endpoint,
               zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

static int start(kernel_state *k, const char *connection_file)
{
    char err[512];
    char endpoint[300];
    char session[37];
    jk_control_config control_config;

    if (jk_connection_load(connection_file, &k->connection, err, sizeof err) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "%s", err);
        return -1;
    }
    k->hmac = jk_hmac_new(k->connection.signature_scheme, k->connection.key,
                          k->connection.key_size, err, sizeof err);
    if (!k->hmac) {
        jk_log(JK_LOG_ERROR, NULL, "%s: %s", connection_file, err);
        return -1;
    }
    if (!jk_hmac_enabled(k->hmac))
        jk_log(JK_LOG_WARNING, NULL, "the connection file has an empty key; messages are "
                                     "neither signed nor verified");
    jk_uuid_new(session);
    jk_message_set_identity(session, user_name());

    k->context = zmq_ctx_new();
    if (!k->context) {
        jk_log(JK_LOG_ERROR, NULL, "cannot create a ZeroMQ context: %s",
               zmq_strerror(zmq_errno()));
        return -1;
    }

    jk_connection_endpoint(&k->connection, k->connection.iopub_port, endpoint, sizeof endpoint);
    if (jk_iopub_start(k->context, endpoint, k->hmac, err, sizeof err) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "%s", err);
        return -1;
    }
    k->iopub_running = 1;
    k->publisher = jk_publisher_open(k->context, k->hmac);
    if (!k->publisher) {
        jk_log(JK_LOG_ERROR, NULL, "cannot connect to the iopub thread");
        return -1;
    }

    k->wake = zmq_socket(k->context, ZMQ_PAIR);
    if (zmq_bind(k->wake, WAKE_ENDPOINT) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "cannot bind %s: %s", WAKE_ENDPOINT,
               zmq_strerror(zmq_errno()));
        return -1;
    }
    control_config.context = k->context;
    control_config.connection = &k->connection;
    control_config.hmac = k->hmac;
    control_config.wake_endpoint = WAKE_ENDPOINT;
    if (jk_control_start(&control_config, err, sizeof err) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "%s", err);
        return -1;
    }
    k->control_running = 1;

    jk_connection_endpoint(&k->connection, k->connection.hb_port, endpoint, sizeof endpoint);
    if (jk_heartbeat_start(k->context, endpoint, err, sizeof err) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "%s", err);
        return -1;
    }
    k->heartbeat_running = 1;

    if (bind_router(k, &k->shell, k->connection.shell_port, "shell") != 0 ||
        bind_router(k, &k->stdin_socket, k->connection.stdin_port, "stdin") != 0)
        return -1;

    k->signal_fd = jk_signals_install();
    if (k->signal_fd < 0) {
        jk_log(JK_LOG_ERROR, NULL, "cannot install the signal handlers: %s", strerror(errno));
        return -1;
    }

    jk_publish_status(k->publisher, "starting", NULL);
    jk_log(JK_LOG_INFO, NULL, "started: transport %s, ip %s, shell port %d, session %s",
           k->connection.transport, k->connection.ip, k->connection.shell_port, session);
    return 0;
}

/* Serves shell requests until a shutdown request or SIGTERM. */
static void serve(kernel_state *k)
{
    jk_channel shell = {"shell", k->shell, k->publisher, k->hmac, 0};

    for (;;) {
        zmq_pollitem_t items[4] = {{k->shell, 0, ZMQ_POLLIN, 0},
                                   {k->stdin_socket, 0, ZMQ_POLLIN, 0},
                                   {k->wake, 0, ZMQ_POLLIN, 0},
                                   {NULL, k->signal_fd, ZMQ_POLLIN, 0}};
        jk_message request;
        int received;

        if (jk_terminate_requested()) {
            jk_log(JK_LOG_INFO, NULL, "SIGTERM received; shutting down");
            return;
        }
        if (zmq_poll(items, 4, -1) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            jk_log(JK_LOG_ERROR, NULL, "shell: poll failed: %s", zmq_strerror(zmq_errno()));
            return;
        }
        if (items[2].revents & ZMQ_POLLIN) {
            jk_log(JK_LOG_INFO, NULL, "shutting down on request from the control channel");
            return;
        }
        if (items[1].revents & ZMQ_POLLIN) {
            /* No command reads input yet, so a stray stdin message is read and dropped,
             * which keeps it from queueing up. */
            jk_frames frames = {0};
            jk_socket_receive(k->stdin_socket, &frames, ZMQ_DONTWAIT);
            jk_log(JK_LOG_WARNING, NULL, "stdin: dropped an unexpected message");
            jk_frames_clear(&frames);
        }
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;

        received = jk_channel_receive(&shell, &request, ZMQ_DONTWAIT);
        if (received < 0 && zmq_errno() != EAGAIN && zmq_errno() != EINTR) {
            jk_log(JK_LOG_ERROR, NULL, "shell: receive failed: %s", zmq_strerror(zmq_errno()));
            return;
        }
        if (received != 0)
            continue;
        if (jk_shell_handle(&shell, &request)) {
            jk_message_clear(&request);
            jk_log(JK_LOG_INFO, NULL, "shutting down on request from the shell channel");
            return;
        }
        jk_message_clear(&request);
    }
}

/* Stops the threads in an order that lets every queued message out: control first (it
 * may still publish), then iopub (which drains its queue), then the heartbeat. */
static void stop(kernel_state *k)
{
    if (k->control_running)
        jk_control_stop(k->wake);
    jk_publisher_close(k->publisher);
    if (k->iopub_running)
        jk_iopub_stop(k->context);
    if (k->context)
        zmq_ctx_shutdown(k->context);
    if (k->heartbeat_running)
        jk_heartbeat_join();

    zmq_close(k->shell);
    zmq_close(k->stdin_socket);
    zmq_close(k->wake);
    if (k->context)
        zmq_ctx_term(k->context);

    jk_comm_clear();
    jk_history_clear();
    jk_replay_reset();
    jk_hmac_free(k->hmac);
    jk_connection_free(&k->connection);
}

int jk_kernel_run(const char *connection_file)
{
    kernel_state k;
    int status = 1;

    memset(&k, 0, sizeof k);
    k.signal_fd = -1;
    if (start(&k, connection_file) == 0) {
        serve(&k);
        status = 0;
    }
    stop(&k);
    jk_log(JK_LOG_INFO, NULL, "stopped");
    return status;
}
