/* control.c: the control channel's thread.
 *
 * It replies to kernel_info, interrupt and shutdown requests while the main thread may
 * be busy running a command. It talks to the main thread through an inproc PAIR socket.
 * It sends "shutdown" after a client's shutdown request, and it receives "stop" when the
 * main thread shuts the kernel down.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "kernel.h"
#include "log.h"
#include "socket.h"

static struct {
    pthread_t thread;
    void *context;
    void *socket; /* ROUTER, bound by jk_control_start, then used by the thread only */
    const jk_hmac *hmac;
    const char *wake_endpoint;
} control;

static void handle_request(jk_channel *channel, jk_message *request, void *wake)
{
    const char *msg_type = jk_json_string(request->header, "msg_type", "");
    const char *msg_id = jk_json_string(request->header, "msg_id", NULL);

    jk_log(JK_LOG_DEBUG, msg_id, "control: received %s", msg_type);
    jk_publish_status(channel->publisher, "busy", request->header);

    if (strcmp(msg_type, "kernel_info_request") == 0) {
        jk_send_reply(channel, request, "kernel_info_reply", jk_kernel_info());
    } else if (strcmp(msg_type, "interrupt_request") == 0) {
        jk_interrupt();
        jk_log(JK_LOG_INFO, msg_id, "control: interrupt requested");
        jk_send_reply(channel, request, "interrupt_reply", json_pack("{s:s}", "status", "ok"));
    } else if (strcmp(msg_type, "shutdown_request") == 0) {
        jk_log(JK_LOG_INFO, msg_id, "control: shutdown requested (restart=%s)",
               json_is_true(json_object_get(request->content, "restart")) ? "true" : "false");
        jk_send_reply(channel, request, "shutdown_reply", jk_shutdown_content(request));
        /* A running command stops at its next safe point, so the main thread reads the
         * shutdown message soon. */
        jk_interrupt();
        zmq_send(wake, "shutdown", 8, 0);
    } else {
        jk_log(JK_LOG_WARNING, msg_id, "control: ignoring unknown message type '%s'", msg_type);
    }

    jk_publish_status(channel->publisher, "idle", request->header);
}

static void *control_loop(void *unused)
{
    jk_channel channel = {"control", control.socket, NULL, control.hmac, 0};
    void *wake = zmq_socket(control.context, ZMQ_PAIR);

    (void)unused;
    channel.publisher = jk_publisher_open(control.context, control.hmac);
    if (!wake || !channel.publisher || zmq_connect(wake, control.wake_endpoint) != 0) {
        jk_log(JK_LOG_ERROR, NULL, "control: cannot connect to the main thread: %s",
               zmq_strerror(zmq_errno()));
        goto out;
    }

    for (;;) {
        zmq_pollitem_t items[2] = {{control.socket, 0, ZMQ_POLLIN, 0},
                                   {wake, 0, ZMQ_POLLIN, 0}};
        jk_message request;
        int received;

        if (zmq_poll(items, 2, -1) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            jk_log(JK_LOG_ERROR, NULL, "control: poll failed: %s", zmq_strerror(zmq_errno()));
            break;
        }
        if (items[1].revents & ZMQ_POLLIN)
            break; /* "stop" from the main thread */

        received = jk_channel_receive(&channel, &request, ZMQ_DONTWAIT);
        if (received < 0 && zmq_errno() != EAGAIN && zmq_errno() != EINTR) {
            jk_log(JK_LOG_ERROR, NULL, "control: receive failed: %s", zmq_strerror(zmq_errno()));
            break;
        }
        if (received != 0)
            continue;
        handle_request(&channel, &request, wake);
        jk_message_clear(&request);
    }

out:
    jk_publisher_close(channel.publisher);
    zmq_close(wake);
    zmq_close(control.socket);
    return NULL;
}

int jk_control_start(const jk_control_config *config, char *err, size_t err_size)
{
    char endpoint[300];
    int linger = 1000;

    control.context = config->context;
    control.hmac = config->hmac;
    control.wake_endpoint = config->wake_endpoint;
    jk_connection_endpoint(config->connection, config->connection->control_port, endpoint,
                           sizeof endpoint);

    control.socket = zmq_socket(config->context, ZMQ_ROUTER);
    zmq_setsockopt(control.socket, ZMQ_LINGER, &linger, sizeof linger);
    if (jk_socket_bind(control.socket, endpoint) != 0) {
        snprintf(err, err_size, "cannot bind the control socket to %s: %s", endpoint,
                 zmq_strerror(zmq_errno()));
        zmq_close(control.socket);
        return -1;
    }
    /* pthread_create is the full memory barrier ZeroMQ requires when a socket moves to
     * another thread. */
    if (pthread_create(&control.thread, NULL, control_loop, NULL) != 0) {
        snprintf(err, err_size, "cannot start the control thread");
        zmq_close(control.socket);
        return -1;
    }
    return 0;
}

void jk_control_stop(void *wake)
{
    /* Without DONTWAIT the send would block forever if the thread failed to connect. */
    zmq_send(wake, "stop", 4, ZMQ_DONTWAIT);
    pthread_join(control.thread, NULL);
}
