/* iopub.c: the publisher thread and the per-thread publishers that feed it.
 *
 * Publishers send the thread one multipart message per item. The first frame says what
 * follows:
 *   "M"  a complete signed message, the remaining frames as they go on the wire;
 *   "S"  stream text: frames name, text, serialized parent header;
 *   "Q"  stop: publish everything queued and exit.
 */
#include "iopub.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "log.h"
#include "message.h"
#include "socket.h"
#include "utf8.h"

#define IOPUB_INPROC "inproc://nnscope-iopub"

/* A batch larger than this is sent at once rather than at the end of the interval. */
#define STREAM_BATCH_MAX (1 << 20)

/* PUB drops messages for a subscriber whose queue is full; a generous high-water mark
 * (messages, per subscriber) keeps bursts of status and output messages from being lost
 * while a frontend is slow to read. */
#define IOPUB_SEND_HWM 100000

struct jk_publisher {
    void *push;
    const jk_hmac *hmac;
};

typedef struct {
    char name[8];      /* "stdout" or "stderr"; empty when nothing is pending */
    char *parent_json; /* serialized parent header of the pending text */
    char *text;
    size_t size, capacity;
    struct timespec deadline;
} stream_batch;

static struct {
    pthread_t thread;
    void *context;
    const jk_hmac *hmac;
    char endpoint[300];

    /* Start-up handshake: the thread binds its sockets, then reports. */
    pthread_mutex_t lock;
    pthread_cond_t ready;
    int started; /* 1 bound, -1 failed */
    char error[400];
} iopub = {.lock = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER};

/*** the publisher thread ***/

static long milliseconds_until(const struct timespec *deadline)
{
    struct timespec now;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms;
}

static void send_stream_batch(void *pub, stream_batch *batch)
{
    jk_message message = {0};
    char topic[32];

    if (!batch->name[0])
        return;

    message.header = jk_header_new("stream");
    message.parent_header = json_loads(batch->parent_json, 0, NULL);
    message.metadata = json_object();
    message.content = json_pack("{s:s, s:s%}", "name", batch->name, "text", batch->text,
                                batch->size);
    snprintf(topic, sizeof topic, "stream.%s", batch->name);
    jk_frames_push_string(&message.identities, topic);
    if (!message.header || !message.content ||
        jk_socket_send_message(pub, &message, iopub.hmac) != 0)
        jk_log(JK_LOG_ERROR, NULL, "iopub: could not publish %zu bytes of %s", batch->size,
               batch->name);
    jk_message_clear(&message);

    batch->name[0] = '\0';
    batch->size = 0;
    free(batch->parent_json);
    batch->parent_json = NULL;
}

static void add_to_stream_batch(void *pub, stream_batch *batch, const jk_frames *item)
{
    const char *name = (const char *)item->items[1].data;
    const jk_frame *text = &item->items[2];
    const char *parent_json = (const char *)item->items[3].data;

    if (batch->name[0] &&
        (strcmp(batch->name, name) != 0 || strcmp(batch->parent_json, parent_json) != 0))
        send_stream_batch(pub, batch);

    if (!batch->name[0]) {
        snprintf(batch->name, sizeof batch->name, "%s", name);
        batch->parent_json = strdup(parent_json);
        clock_gettime(CLOCK_MONOTONIC, &batch->deadline);
        batch->deadline.tv_nsec += JK_STREAM_INTERVAL_MS * 1000000L;
        if (batch->deadline.tv_nsec >= 1000000000L) {
            batch->deadline.tv_sec++;
            batch->deadline.tv_nsec -= 1000000000L;
        }
    }

    if (batch->size + text->size + 1 > batch->capacity) {
        size_t capacity = 2 * (batch->size + text->size + 1);
        char *grown = realloc(batch->text, capacity);
        if (!grown) {
            jk_log(JK_LOG_ERROR, NULL, "iopub: out of memory; dropping %zu bytes of %s",
                   text->size, name);
            return;
        }
        batch->text = grown;
        batch->capacity = capacity;
    }
    memcpy(batch->text + batch->size, text->data, text->size);
    batch->size += text->size;
    batch->text[batch->size] = '\0';

    if (batch->size >= STREAM_BATCH_MAX)
        send_stream_batch(pub, batch);
}

/* Handles one queued item; returns 1 when it asks the thread to stop. */
static int handle_item(void *pub, stream_batch *batch, jk_frames *item)
{
    jk_frames wire = {0};
    char kind;

    if (item->count == 0 || item->items[0].size != 1)
        return 0;
    kind = (char)item->items[0].data[0];

    if (kind == 'S' && item->count == 4) {
        add_to_stream_batch(pub, batch, item);
        return 0;
    }
    if (kind == 'Q')
        return 1;
    if (kind != 'M')
        return 0;

    /* Pending stream text was pushed before this message, so it goes out first. */
    send_stream_batch(pub, batch);
    wire.items = item->items + 1;
    wire.count = item->count - 1;
    if (jk_socket_send(pub, &wire) != 0)
        jk_log(JK_LOG_ERROR, NULL, "iopub: send failed: %s", zmq_strerror(zmq_errno()));
    return 0;
}

static void report_start(int started, const char *error)
{
    pthread_mutex_lock(&iopub.lock);
    iopub.started = started;
    if (error)
        snprintf(iopub.error, sizeof iopub.error, "%s", error);
    pthread_cond_signal(&iopub.ready);
    pthread_mutex_unlock(&iopub.lock);
}

static void *publisher_thread(void *unused)
{
    void *pub = zmq_socket(iopub.context, ZMQ_PUB);
    void *pull = zmq_socket(iopub.context, ZMQ_PULL);
    stream_batch batch = {0};
    int hwm = IOPUB_SEND_HWM, linger = 1000;
    int stopping = 0;

    (void)unused;
    zmq_setsockopt(pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
    if (jk_socket_bind(pub, iopub.endpoint) != 0 || zmq_bind(pull, IOPUB_INPROC) != 0) {
        char error[sizeof iopub.error];
        snprintf(error, sizeof error, "cannot bind iopub to %s: %s", iopub.endpoint,
                 zmq_strerror(zmq_errno()));
        report_start(-1, error);
        goto out;
    }
    report_start(1, NULL);

    while (!stopping) {
        zmq_pollitem_t item = {pull, 0, ZMQ_POLLIN, 0};
        long timeout = batch.name[0] ? milliseconds_until(&batch.deadline) : -1;
        jk_frames frames = {0};
        int ready = zmq_poll(&item, 1, timeout);

        if (ready < 0) {
            if (zmq_errno() == EINTR)
                continue;
            jk_log(JK_LOG_ERROR, NULL, "iopub: poll failed: %s", zmq_strerror(zmq_errno()));
            break;
        }
        if (ready == 0) {
            send_stream_batch(pub, &batch);
            continue;
        }
        if (jk_socket_receive(pull, &frames, 0) == 0)
            stopping = handle_item(pub, &batch, &frames);
        jk_frames_clear(&frames);
    }

    /* Items that other threads pushed before the stop request may still be queued on
     * their pipes, since PULL reads its pipes in turn rather than in global order. */
    for (;;) {
        jk_frames frames = {0};
        int received = jk_socket_receive(pull, &frames, ZMQ_DONTWAIT);
        if (received == 0)
            handle_item(pub, &batch, &frames);
        jk_frames_clear(&frames);
        if (received != 0)
            break;
    }
    send_stream_batch(pub, &batch);

out:
    free(batch.text);
    free(batch.parent_json);
    zmq_close(pull);
    zmq_close(pub);
    return NULL;
}

int jk_iopub_start(void *context, const char *endpoint, const jk_hmac *hmac, char *err,
                   size_t err_size)
{
    int started;

    iopub.context = context;
    iopub.hmac = hmac;
    iopub.started = 0;
    snprintf(iopub.endpoint, sizeof iopub.endpoint, "%s", endpoint);
    if (pthread_create(&iopub.thread, NULL, publisher_thread, NULL) != 0) {
        snprintf(err, err_size, "cannot start the iopub thread");
        return -1;
    }

    pthread_mutex_lock(&iopub.lock);
    while (iopub.started == 0)
        pthread_cond_wait(&iopub.ready, &iopub.lock);
    started = iopub.started;
    pthread_mutex_unlock(&iopub.lock);

    if (started < 0) {
        pthread_join(iopub.thread, NULL);
        snprintf(err, err_size, "%s", iopub.error);
        return -1;
    }
    return 0;
}

void jk_iopub_stop(void *context)
{
    void *push = zmq_socket(context, ZMQ_PUSH);

    if (push && zmq_connect(push, IOPUB_INPROC) == 0)
        zmq_send(push, "Q", 1, 0);
    zmq_close(push);
    pthread_join(iopub.thread, NULL);
}

/*** publishers ***/

jk_publisher *jk_publisher_open(void *context, const jk_hmac *hmac)
{
    jk_publisher *publisher = calloc(1, sizeof *publisher);

    if (!publisher)
        return NULL;
    publisher->hmac = hmac;
    publisher->push = zmq_socket(context, ZMQ_PUSH);
    if (!publisher->push || zmq_connect(publisher->push, IOPUB_INPROC) != 0) {
        zmq_close(publisher->push);
        free(publisher);
        return NULL;
    }
    return publisher;
}

void jk_publisher_close(jk_publisher *publisher)
{
    if (!publisher)
        return;
    zmq_close(publisher->push);
    free(publisher);
}

void jk_publish(jk_publisher *publisher, const char *msg_type, json_t *content,
                json_t *metadata, const json_t *parent_header)
{
    jk_message message = {0};
    jk_frames item = {0};

    message.header = jk_header_new(msg_type);
    message.parent_header = parent_header ? json_deep_copy(parent_header) : json_object();
    message.metadata = metadata ? metadata : json_object();
    message.content = content ? content : json_object();
    jk_frames_push_string(&message.identities, msg_type);

    if (jk_frames_push(&item, "M", 1) != 0 ||
        jk_message_serialize(&message, publisher->hmac, &item) != 0 ||
        jk_socket_send(publisher->push, &item) != 0)
        jk_log(JK_LOG_ERROR, jk_json_string(message.header, "msg_id", NULL),
               "iopub: could not queue %s", msg_type);

    jk_frames_clear(&item);
    jk_message_clear(&message);
}

void jk_publish_status(jk_publisher *publisher, const char *state, const json_t *parent_header)
{
    jk_publish(publisher, "status", json_pack("{s:s}", "execution_state", state), NULL,
               parent_header);
}

void jk_publish_stream(jk_publisher *publisher, const char *name, const char *text,
                       const json_t *parent_header)
{
    size_t size = strlen(text);
    char *clean = NULL;
    char *parent_json = NULL;
    jk_frames item = {0};

    if (size == 0)
        return;
    if (!jk_utf8_valid(text, size)) {
        clean = jk_utf8_sanitize(text, size);
        if (!clean)
            goto err;
        text = clean;
        size = strlen(clean);
    }
    parent_json = parent_header ? json_dumps(parent_header, JSON_COMPACT | JSON_SORT_KEYS)
                                : strdup("{}");
    if (!parent_json)
        goto err;

    if (jk_frames_push(&item, "S", 1) != 0 || jk_frames_push_string(&item, name) != 0 ||
        jk_frames_push(&item, text, size) != 0 || jk_frames_push_string(&item, parent_json) != 0 ||
        jk_socket_send(publisher->push, &item) != 0)
        goto err;
    goto out;

err:
    jk_log(JK_LOG_ERROR, NULL, "iopub: could not queue %zu bytes of %s", size, name);
out:
    jk_frames_clear(&item);
    free(parent_json);
    free(clean);
}
