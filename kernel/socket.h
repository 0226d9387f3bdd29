/* socket.h: multipart sends and receives on ZeroMQ sockets, with jk_frames. */
#ifndef JK_SOCKET_H
#define JK_SOCKET_H

#include "message.h"

/* Receives all parts of one message into frames (appended). flags as for zmq_msg_recv
 * (0 or ZMQ_DONTWAIT). Returns 0, or -1 with errno set by ZeroMQ. */
int jk_socket_receive(void *socket, jk_frames *frames, int flags);

/* Sends frames as one multipart message. Returns 0, or -1 with errno set. */
int jk_socket_send(void *socket, const jk_frames *frames);

/* Serializes, signs and sends a message. Returns 0, or -1. */
int jk_socket_send_message(void *socket, const jk_message *message, const jk_hmac *hmac);

/* Binds socket to endpoint, enabling IPv6 first when the endpoint is a bracketed IPv6
 * address such as tcp://[::1]:5555. Returns 0, or -1 with errno set by ZeroMQ. */
int jk_socket_bind(void *socket, const char *endpoint);

#endif /* JK_SOCKET_H */
