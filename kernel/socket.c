/* socket.c: multipart message transfer over ZeroMQ.
 *
 * SIGINT may land on any thread, and a blocking ZeroMQ call it interrupts fails with
 * EINTR without having sent or received anything, so such calls are repeated.
 */
#include "socket.h"

#include <errno.h>
#include <string.h>
#include <zmq.h>

int jk_socket_receive(void *socket, jk_frames *frames, int flags)
{
    int more;
    size_t more_size = sizeof more;

    do {
        zmq_msg_t part;
        int received;

        zmq_msg_init(&part);
        do {
            received = zmq_msg_recv(&part, socket, flags);
        } while (received < 0 && zmq_errno() == EINTR);
        if (received < 0) {
            zmq_msg_close(&part);
            return -1;
        }
        if (jk_frames_push(frames, zmq_msg_data(&part), zmq_msg_size(&part)) != 0) {
            zmq_msg_close(&part);
            return -1;
        }
        zmq_msg_close(&part);

        /* The remaining parts of a multipart message have already arrived, so they are
         * read without waiting even when flags is ZMQ_DONTWAIT. */
        flags = 0;
        if (zmq_getsockopt(socket, ZMQ_RCVMORE, &more, &more_size) != 0)
            return -1;
    } while (more);
    return 0;
}

int jk_socket_send(void *socket, const jk_frames *frames)
{
    for (size_t i = 0; i < frames->count; i++) {
        int flags = i + 1 < frames->count ? ZMQ_SNDMORE : 0;
        int sent;

        do {
            sent = zmq_send(socket, frames->items[i].data, frames->items[i].size, flags);
        } while (sent < 0 && zmq_errno() == EINTR);
        if (sent < 0)
            return -1;
    }
    return 0;
}

int jk_socket_bind(void *socket, const char *endpoint)
{
    if (strncmp(endpoint, "tcp://[", 7) == 0) {
        int enabled = 1;
        zmq_setsockopt(socket, ZMQ_IPV6, &enabled, sizeof enabled);
    }
    return zmq_bind(socket, endpoint);
}

int jk_socket_send_message(void *socket, const jk_message *message, const jk_hmac *hmac)
{
    jk_frames wire = {0};
    int result = -1;

    if (jk_message_serialize(message, hmac, &wire) != 0)
        goto out;
    result = jk_socket_send(socket, &wire);

out:
    jk_frames_clear(&wire);
    return result;
}
