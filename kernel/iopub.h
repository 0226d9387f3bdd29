/* iopub.h: the iopub channel.
 *
 * One publisher thread owns the PUB socket. Every other thread holds a jk_publisher, a
 * PUSH socket connected to that thread over inproc, and hands it finished messages or
 * stream text. The publisher thread sends messages in the order each thread pushed
 * them, so a status "idle" pushed after a request's outputs is published after them.
 *
 * Stream text is batched: consecutive pieces for the same stream name and the same
 * request are joined and sent at most JK_STREAM_INTERVAL_MS after the first piece, or
 * before any other message, so a flood of lines cannot exceed the socket's high-water
 * mark or a frontend's message rate limit.
 */
#ifndef JK_IOPUB_H
#define JK_IOPUB_H

#include <jansson.h>

#include "hmac.h"

#define JK_STREAM_INTERVAL_MS 50

/* Starts the publisher thread and binds the PUB socket to endpoint. Returns 0, or -1
 * with a message in err. */
int jk_iopub_start(void *context, const char *endpoint, const jk_hmac *hmac, char *err,
                   size_t err_size);

/* Publishes what is queued, closes the PUB socket and joins the thread. */
void jk_iopub_stop(void *context);

typedef struct jk_publisher jk_publisher;

/* Opens a publisher for the calling thread; use it from that thread only. */
jk_publisher *jk_publisher_open(void *context, const jk_hmac *hmac);
void jk_publisher_close(jk_publisher *publisher);

/* Publishes msg_type with content (reference stolen) and parent_header (may be NULL).
 * metadata may be NULL (stolen too). */
void jk_publish(jk_publisher *publisher, const char *msg_type, json_t *content,
                json_t *metadata, const json_t *parent_header);

/* Publishes a status message: state is "busy", "idle" or "starting". */
void jk_publish_status(jk_publisher *publisher, const char *state, const json_t *parent_header);

/* Queues text (any bytes; invalid UTF-8 is replaced) for stream name "stdout" or
 * "stderr". */
void jk_publish_stream(jk_publisher *publisher, const char *name, const char *text,
                       const json_t *parent_header);

#endif /* JK_IOPUB_H */
