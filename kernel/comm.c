/* comm.c: the comm target registry and the open comms. */
#include "comm.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAX_TARGETS 16

struct jk_comm {
    char id[128];
    const jk_comm_target *target;
    void *state;
    int closing; /* closed by the kernel inside a callback; freed after it returns */
    jk_comm *next;
};

static const jk_comm_target *targets[MAX_TARGETS];
static size_t target_count;
static jk_comm *open_comms;

/* The shell channel and request being handled, for what callbacks send. */
static jk_channel *current_shell;
static const jk_message *current_request;

int jk_comm_register_target(const jk_comm_target *target)
{
    for (size_t i = 0; i < target_count; i++) {
        if (strcmp(targets[i]->target_name, target->target_name) == 0)
            return -1;
    }
    if (target_count == MAX_TARGETS)
        return -1;
    targets[target_count++] = target;
    return 0;
}

static const jk_comm_target *find_target(const char *name)
{
    for (size_t i = 0; i < target_count; i++) {
        if (strcmp(targets[i]->target_name, name) == 0)
            return targets[i];
    }
    return NULL;
}

static jk_comm *find_comm(const char *id)
{
    for (jk_comm *comm = open_comms; comm; comm = comm->next) {
        if (strcmp(comm->id, id) == 0)
            return comm;
    }
    return NULL;
}

static void forget_comm(jk_comm *comm)
{
    for (jk_comm **link = &open_comms; *link; link = &(*link)->next) {
        if (*link == comm) {
            *link = comm->next;
            free(comm);
            return;
        }
    }
}

static void publish(const char *msg_type, json_t *content)
{
    if (!current_shell) {
        jk_log(JK_LOG_WARNING, NULL, "%s dropped: comms can send only while a request runs",
               msg_type);
        json_decref(content);
        return;
    }
    jk_publish(current_shell->publisher, msg_type, content, NULL,
               current_request ? current_request->header : NULL);
}

void jk_comm_send(jk_comm *comm, json_t *data)
{
    publish("comm_msg", json_pack("{s:s, s:o}", "comm_id", comm->id, "data",
                                  data ? data : json_object()));
}

void jk_comm_close(jk_comm *comm, json_t *data)
{
    if (comm->closing) {
        json_decref(data);
        return;
    }
    comm->closing = 1;
    publish("comm_close", json_pack("{s:s, s:o}", "comm_id", comm->id, "data",
                                    data ? data : json_object()));
}

const char *jk_comm_id(const jk_comm *comm)
{
    return comm->id;
}

const char *jk_comm_target_name(const jk_comm *comm)
{
    return comm->target->target_name;
}

void jk_comm_set_state(jk_comm *comm, void *state)
{
    comm->state = state;
}

void *jk_comm_state(const jk_comm *comm)
{
    return comm->state;
}

/*** messages from the frontend ***/

static void handle_open(const json_t *content, const char *msg_id)
{
    const char *id = jk_json_string(content, "comm_id", NULL);
    const char *name = jk_json_string(content, "target_name", "");
    const json_t *data = json_object_get(content, "data");
    const jk_comm_target *target = find_target(name);
    jk_comm *comm;

    if (!id || strlen(id) >= sizeof comm->id) {
        jk_log(JK_LOG_WARNING, msg_id, "comm_open without a valid comm_id; ignored");
        return;
    }
    if (!target) {
        jk_log(JK_LOG_WARNING, msg_id, "comm_open for unknown target '%s'; closing it", name);
        publish("comm_close", json_pack("{s:s, s:{}}", "comm_id", id, "data"));
        return;
    }
    if (find_comm(id)) {
        jk_log(JK_LOG_WARNING, msg_id, "comm_open for comm %s, which is already open; ignored",
               id);
        return;
    }

    comm = calloc(1, sizeof *comm);
    if (!comm)
        return;
    strcpy(comm->id, id);
    comm->target = target;
    comm->next = open_comms;
    open_comms = comm;

    if (target->on_open && target->on_open(comm, data ? data : json_null()) != 0)
        jk_comm_close(comm, NULL);
    if (comm->closing)
        forget_comm(comm);
}

static void handle_message(const json_t *content, const char *msg_id)
{
    const char *id = jk_json_string(content, "comm_id", "");
    const json_t *data = json_object_get(content, "data");
    jk_comm *comm = find_comm(id);

    if (!comm) {
        jk_log(JK_LOG_WARNING, msg_id, "comm_msg for unknown comm %s; ignored", id);
        return;
    }
    if (comm->target->on_message)
        comm->target->on_message(comm, data ? data : json_null());
    if (comm->closing)
        forget_comm(comm);
}

static void handle_close(const json_t *content, const char *msg_id)
{
    const char *id = jk_json_string(content, "comm_id", "");
    const json_t *data = json_object_get(content, "data");
    jk_comm *comm = find_comm(id);

    if (!comm) {
        jk_log(JK_LOG_DEBUG, msg_id, "comm_close for unknown comm %s; ignored", id);
        return;
    }
    /* The frontend closed it: no comm_close goes back. */
    comm->closing = 1;
    if (comm->target->on_close)
        comm->target->on_close(comm, data ? data : json_null());
    forget_comm(comm);
}

static json_t *comm_info(const json_t *content)
{
    const char *wanted = jk_json_string(content, "target_name", NULL);
    json_t *comms = json_object();

    for (jk_comm *comm = open_comms; comm; comm = comm->next) {
        if (wanted && strcmp(wanted, comm->target->target_name) != 0)
            continue;
        json_object_set_new(comms, comm->id,
                            json_pack("{s:s}", "target_name", comm->target->target_name));
    }
    return json_pack("{s:s, s:o}", "status", "ok", "comms", comms);
}

void jk_comm_set_context(jk_channel *shell, const jk_message *request)
{
    current_shell = shell;
    current_request = request;
}

void jk_comm_handle(jk_channel *shell, const jk_message *request)
{
    const char *msg_type = jk_json_string(request->header, "msg_type", "");
    const char *msg_id = jk_json_string(request->header, "msg_id", NULL);

    current_shell = shell;
    current_request = request;

    if (strcmp(msg_type, "comm_info_request") == 0)
        jk_send_reply(shell, request, "comm_info_reply", comm_info(request->content));
    else if (strcmp(msg_type, "comm_open") == 0)
        handle_open(request->content, msg_id);
    else if (strcmp(msg_type, "comm_msg") == 0)
        handle_message(request->content, msg_id);
    else if (strcmp(msg_type, "comm_close") == 0)
        handle_close(request->content, msg_id);

    current_shell = NULL;
    current_request = NULL;
}

void jk_comm_clear(void)
{
    while (open_comms) {
        jk_comm *comm = open_comms;
        comm->closing = 1;
        if (comm->target->on_close)
            comm->target->on_close(comm, json_null());
        forget_comm(comm);
    }
    target_count = 0;
}
