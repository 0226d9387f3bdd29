/* heartbeat.c: echoes every ping on the heartbeat socket from a thread of its own, so a
 * long computation on the main thread never makes the kernel look dead. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <zmq.h>

#include "kernel.h"
#include "log.h"
#include "socket.h"

static pthread_t heartbeat_thread;

static void *echo_loop(void *socket)
{
    for (;;) {
        zmq_msg_t ping;
        zmq_msg_init(&ping);
        if (zmq_msg_recv(&ping, socket, 0) < 0) {
            zmq_msg_close(&ping);
            if (zmq_errno() == EINTR)
                continue;
            break; /* ETERM: the context is shutting down */
        }
        if (zmq_msg_send(&ping, socket, 0) < 0) {
            zmq_msg_close(&ping);
            if (zmq_errno() == EINTR)
                continue;
            break;
        }
    }
    zmq_close(socket);
    return NULL;
}

int jk_heartbeat_start(void *context, const char *endpoint, char *err, size_t err_size)
{
    void *socket = zmq_socket(context, ZMQ_REP);
    int linger = 0;

    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (jk_socket_bind(socket, endpoint) != 0) {
        snprintf(err, err_size, "cannot bind the heartbeat socket to %s: %s", endpoint,
                 zmq_strerror(zmq_errno()));
        zmq_close(socket);
        return -1;
    }
    /* The socket was bound here and is used only by the new thread from now on;
     * pthread_create is the memory barrier that ZeroMQ requires for such a hand-over. */
    if (pthread_create(&heartbeat_thread, NULL, echo_loop, socket) != 0) {
        snprintf(err, err_size, "cannot start the heartbeat thread");
        zmq_close(socket);
        return -1;
    }
    return 0;
}

void jk_heartbeat_join(void)
{
    pthread_join(heartbeat_thread, NULL);
}
