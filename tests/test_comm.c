/* test_comm.c: the comm target registry, driven through a real shell ROUTER socket and
 * the real iopub thread, with a DEALER as the frontend's shell and a SUB as its iopub. */
#include <stdlib.h>
#include <time.h>
#include <zmq.h>

#include "check.h"
#include "kernel/comm.h"
#include "kernel/replay.h"
#include "kernel/socket.h"

#define SHELL_ENDPOINT "inproc://test-shell"
#define IOPUB_ENDPOINT "inproc://test-iopub-pub"

static void *context;
static jk_hmac *hmac;
static void *shell_socket, *frontend_shell, *frontend_iopub;
static jk_channel shell;

/*** a target that records its callbacks ***/

static int opened, messages, closed;
static char last_data[256];
static jk_comm *last_opened;

static void remember(const json_t *data)
{
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

    snprintf(last_data, sizeof last_data, "%s", text ? text : "");
    free(text);
}

static int echo_open(jk_comm *comm, const json_t *data)
{
    opened++;
    last_opened = comm;
    remember(data);
    jk_comm_set_state(comm, &opened);
    return 0;
}

/* Replies to every message with {"echo": data}, and closes itself on {"bye": true}. */
static void echo_message(jk_comm *comm, const json_t *data)
{
    messages++;
    remember(data);
    CHECK(jk_comm_state(comm) == &opened);
    if (json_is_true(json_object_get(data, "bye"))) {
        jk_comm_close(comm, json_pack("{s:s}", "reason", "bye"));
        return;
    }
    jk_comm_send(comm, json_pack("{s:O}", "echo", data));
}

static void echo_close(jk_comm *comm, const json_t *data)
{
    closed++;
    remember(data);
}

static const jk_comm_target echo_target = {"test.echo", echo_open, echo_message, echo_close};

static int refuse_open(jk_comm *comm, const json_t *data)
{
    return -1;
}

static const jk_comm_target refusing_target = {"test.refuse", refuse_open, NULL, NULL};

/*** the frontend side ***/

/* Sends msg_type with content (stolen) from the frontend and lets the kernel handle it. */
static void frontend_send(const char *msg_type, json_t *content)
{
    jk_message message = {0};
    jk_message received;

    message.header = jk_header_new(msg_type);
    message.parent_header = json_object();
    message.metadata = json_object();
    message.content = content;
    jk_socket_send_message(frontend_shell, &message, hmac);
    jk_message_clear(&message);

    CHECK_INT_EQ(jk_channel_receive(&shell, &received, 0), 0);
    jk_comm_handle(&shell, &received);
    jk_message_clear(&received);
}

/* Receives the next iopub message other than a status message, or returns NULL after
 * two seconds without one. */
static jk_message *frontend_iopub_next(void)
{
    static jk_message message;
    int timeout = 2000;

    zmq_setsockopt(frontend_iopub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    for (;;) {
        jk_frames wire = {0};
        jk_parse_status status;

        jk_message_clear(&message);
        if (jk_socket_receive(frontend_iopub, &wire, 0) != 0) {
            jk_frames_clear(&wire);
            return NULL;
        }
        status = jk_message_parse(&wire, hmac, &message, NULL, 0);
        jk_frames_clear(&wire);
        if (status != JK_PARSE_OK)
            return NULL;
        if (strcmp(jk_json_string(message.header, "msg_type", ""), "status") != 0)
            return &message;
    }
}

static json_t *frontend_request_reply(const char *msg_type, json_t *content)
{
    jk_frames wire = {0};
    jk_message reply;
    json_t *reply_content = NULL;

    frontend_send(msg_type, content);
    if (jk_socket_receive(frontend_shell, &wire, 0) == 0 &&
        jk_message_parse(&wire, hmac, &reply, NULL, 0) == JK_PARSE_OK) {
        reply_content = json_incref(reply.content);
        jk_message_clear(&reply);
    }
    jk_frames_clear(&wire);
    return reply_content;
}

/* PUB drops messages until the subscription has reached it, so publish status
 * messages until the subscriber receives one. */
static void wait_for_subscription(void)
{
    int timeout = 20;

    zmq_setsockopt(frontend_iopub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    for (int attempt = 0; attempt < 250; attempt++) {
        jk_frames wire = {0};
        int received;

        jk_publish_status(shell.publisher, "idle", NULL);
        received = jk_socket_receive(frontend_iopub, &wire, 0) == 0;
        jk_frames_clear(&wire);
        if (received)
            break;
    }
    /* Drain the extra status messages. */
    for (;;) {
        jk_frames wire = {0};
        int received = jk_socket_receive(frontend_iopub, &wire, 0) == 0;
        jk_frames_clear(&wire);
        if (!received)
            break;
    }
}

static void set_up(void)
{
    char err[256];

    context = zmq_ctx_new();
    hmac = jk_hmac_new("hmac-sha256", "comm-test", 9, err, sizeof err);
    jk_message_set_identity("test-session", "tester");
    if (jk_iopub_start(context, IOPUB_ENDPOINT, hmac, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }

    shell_socket = zmq_socket(context, ZMQ_ROUTER);
    zmq_bind(shell_socket, SHELL_ENDPOINT);
    frontend_shell = zmq_socket(context, ZMQ_DEALER);
    zmq_connect(frontend_shell, SHELL_ENDPOINT);
    frontend_iopub = zmq_socket(context, ZMQ_SUB);
    zmq_setsockopt(frontend_iopub, ZMQ_SUBSCRIBE, "", 0);
    zmq_connect(frontend_iopub, IOPUB_ENDPOINT);

    shell.name = "shell";
    shell.socket = shell_socket;
    shell.hmac = hmac;
    shell.publisher = jk_publisher_open(context, hmac);
    wait_for_subscription();
}

static void tear_down(void)
{
    int linger = 0;

    jk_comm_clear();
    jk_publisher_close(shell.publisher);
    jk_iopub_stop(context);
    zmq_setsockopt(frontend_shell, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(shell_socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(frontend_iopub);
    zmq_close(frontend_shell);
    zmq_close(shell_socket);
    zmq_ctx_term(context);
    jk_replay_reset();
    jk_hmac_free(hmac);
}

/*** tests ***/

static void test_register_rejects_duplicate(void)
{
    CHECK_INT_EQ(jk_comm_register_target(&echo_target), 0);
    CHECK_INT_EQ(jk_comm_register_target(&refusing_target), 0);
    CHECK_INT_EQ(jk_comm_register_target(&echo_target), -1);
}

static void test_open_message_close_cycle(void)
{
    jk_message *published;
    json_t *info;

    frontend_send("comm_open", json_pack("{s:s, s:s, s:{s:i}}", "comm_id", "c-1", "target_name",
                                         "test.echo", "data", "width", 28));
    CHECK_INT_EQ(opened, 1);
    CHECK_STR_EQ(last_data, "{\"width\":28}");

    info = frontend_request_reply("comm_info_request", json_object());
    CHECK(json_object_get(json_object_get(info, "comms"), "c-1") != NULL);
    CHECK_STR_EQ(jk_json_string(json_object_get(json_object_get(info, "comms"), "c-1"),
                                "target_name", NULL), "test.echo");
    json_decref(info);

    frontend_send("comm_msg", json_pack("{s:s, s:{s:[i, i]}}", "comm_id", "c-1", "data",
                                        "stroke", 3, 4));
    CHECK_INT_EQ(messages, 1);
    published = frontend_iopub_next();
    CHECK(published != NULL);
    if (published) {
        CHECK_STR_EQ(jk_json_string(published->header, "msg_type", NULL), "comm_msg");
        CHECK_STR_EQ(jk_json_string(published->content, "comm_id", NULL), "c-1");
        CHECK(json_object_get(json_object_get(json_object_get(published->content, "data"),
                                              "echo"), "stroke") != NULL);
        /* The comm's output belongs to the request that caused it. */
        CHECK_STR_EQ(jk_json_string(published->parent_header, "msg_type", NULL), "comm_msg");
    }

    frontend_send("comm_close", json_pack("{s:s, s:{}}", "comm_id", "c-1", "data"));
    CHECK_INT_EQ(closed, 1);
    info = frontend_request_reply("comm_info_request", json_object());
    CHECK_INT_EQ(json_object_size(json_object_get(info, "comms")), 0);
    json_decref(info);
}

static void test_kernel_side_close(void)
{
    jk_message *published;

    frontend_send("comm_open", json_pack("{s:s, s:s, s:{}}", "comm_id", "c-2", "target_name",
                                         "test.echo", "data"));
    frontend_send("comm_msg", json_pack("{s:s, s:{s:b}}", "comm_id", "c-2", "data", "bye", 1));
    published = frontend_iopub_next();
    CHECK(published != NULL);
    if (published) {
        CHECK_STR_EQ(jk_json_string(published->header, "msg_type", NULL), "comm_close");
        CHECK_STR_EQ(jk_json_string(published->content, "comm_id", NULL), "c-2");
    }
    /* The comm is gone: a later message for it is ignored. */
    frontend_send("comm_msg", json_pack("{s:s, s:{}}", "comm_id", "c-2", "data"));
    CHECK_INT_EQ(messages, 2);
}

static void test_refused_open_closed(void)
{
    jk_message *published;
    json_t *info;

    frontend_send("comm_open", json_pack("{s:s, s:s, s:{}}", "comm_id", "c-3", "target_name",
                                         "test.refuse", "data"));
    published = frontend_iopub_next();
    CHECK(published != NULL);
    if (published)
        CHECK_STR_EQ(jk_json_string(published->header, "msg_type", NULL), "comm_close");
    info = frontend_request_reply("comm_info_request", json_pack("{s:s}", "target_name",
                                                                  "test.refuse"));
    CHECK_INT_EQ(json_object_size(json_object_get(info, "comms")), 0);
    json_decref(info);
}

static void test_unknown_target_closed(void)
{
    jk_message *published;

    frontend_send("comm_open", json_pack("{s:s, s:s, s:{}}", "comm_id", "c-4", "target_name",
                                         "no.such.target", "data"));
    published = frontend_iopub_next();
    CHECK(published != NULL);
    if (published) {
        CHECK_STR_EQ(jk_json_string(published->header, "msg_type", NULL), "comm_close");
        CHECK_STR_EQ(jk_json_string(published->content, "comm_id", NULL), "c-4");
    }
}

static void test_command_sends_with_context(void)
{
    jk_message request = {0};
    jk_message *published;

    frontend_send("comm_open", json_pack("{s:s, s:s, s:{}}", "comm_id", "c-6", "target_name",
                                         "test.echo", "data"));
    request.header = jk_header_new("execute_request");
    jk_comm_set_context(&shell, &request);
    jk_comm_send(last_opened, json_pack("{s:s}", "from", "command"));
    jk_comm_set_context(NULL, NULL);

    published = frontend_iopub_next();
    CHECK(published != NULL);
    if (published) {
        CHECK_STR_EQ(jk_json_string(published->header, "msg_type", NULL), "comm_msg");
        CHECK_STR_EQ(jk_json_string(published->content, "comm_id", NULL), "c-6");
        CHECK_STR_EQ(jk_json_string(published->parent_header, "msg_type", NULL),
                     "execute_request");
    }
    json_decref(request.header);
    frontend_send("comm_close", json_pack("{s:s, s:{}}", "comm_id", "c-6", "data"));
}

static void test_open_comm_closed_at_exit(void)
{
    int before = closed;

    frontend_send("comm_open", json_pack("{s:s, s:s, s:{}}", "comm_id", "c-5", "target_name",
                                         "test.echo", "data"));
    jk_comm_clear();
    CHECK_INT_EQ(closed, before + 1);
}

int main(void)
{
    set_up();
    RUN(test_register_rejects_duplicate);
    RUN(test_open_message_close_cycle);
    RUN(test_kernel_side_close);
    RUN(test_refused_open_closed);
    RUN(test_unknown_target_closed);
    RUN(test_command_sends_with_context);
    RUN(test_open_comm_closed_at_exit);
    tear_down();
    return check_summary();
}
