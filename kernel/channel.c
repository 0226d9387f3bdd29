/* channel.c: receiving verified requests and sending replies on a ROUTER channel. */
#include <stdio.h>
#include <zmq.h>

#include "kernel.h"
#include "log.h"
#include "replay.h"
#include "socket.h"

/* A sender of bad messages could fill the log, so after the first few drops only every
 * DROP_LOG_INTERVAL-th is logged, with the running count. */
#define DROPS_ALWAYS_LOGGED 10
#define DROP_LOG_INTERVAL 1000

static int should_log_drop(jk_channel *channel)
{
    channel->dropped++;
    return channel->dropped <= DROPS_ALWAYS_LOGGED || channel->dropped % DROP_LOG_INTERVAL == 0;
}

static const char *parse_problem(jk_parse_status status)
{
    switch (status) {
    case JK_PARSE_NO_DELIMITER:
        return "no <IDS|MSG> delimiter";
    case JK_PARSE_TRUNCATED:
        return "too few frames";
    case JK_PARSE_BAD_SIGNATURE:
        return "bad signature";
    case JK_PARSE_BAD_JSON:
        return "malformed JSON";
    case JK_PARSE_OK:
        break;
    }
    return "no problem";
}

int jk_channel_receive(jk_channel *channel, jk_message *out, int flags)
{
    jk_frames wire = {0};
    jk_parse_status status;
    char detail[160];

    if (jk_socket_receive(channel->socket, &wire, flags) != 0) {
        jk_frames_clear(&wire);
        return -1;
    }
    status = jk_message_parse(&wire, channel->hmac, out, detail, sizeof detail);
    jk_frames_clear(&wire);

    if (status != JK_PARSE_OK) {
        if (should_log_drop(channel))
            jk_log(JK_LOG_WARNING, NULL, "%s: dropped a message with %s%s%s (%lu dropped so far)",
                   channel->name, parse_problem(status), detail[0] ? ": " : "", detail,
                   channel->dropped);
        return 1;
    }
    if (out->repaired)
        jk_log(JK_LOG_WARNING, jk_json_string(out->header, "msg_id", NULL),
               "%s: replaced invalid UTF-8 in the message with U+FFFD", channel->name);
    if (jk_replay_check(out->signature)) {
        if (should_log_drop(channel))
            jk_log(JK_LOG_WARNING, jk_json_string(out->header, "msg_id", NULL),
                   "%s: dropped a replayed message, whose signature was received before "
                   "(%lu dropped so far)", channel->name, channel->dropped);
        jk_message_clear(out);
        return 1;
    }
    return 0;
}

void jk_send_reply(jk_channel *channel, const jk_message *request, const char *msg_type,
                   json_t *content)
{
    jk_message reply = {0};
    const char *request_id = jk_json_string(request->header, "msg_id", NULL);

    reply.identities = request->identities; /* borrowed; not cleared below */
    reply.header = jk_header_new(msg_type);
    reply.parent_header = request->header;
    reply.metadata = json_object();
    reply.content = content ? content : json_object();

    if (!reply.header || jk_socket_send_message(channel->socket, &reply, channel->hmac) != 0)
        jk_log(JK_LOG_ERROR, request_id, "%s: could not send %s: %s", channel->name, msg_type,
               zmq_strerror(zmq_errno()));
    else
        jk_log(JK_LOG_DEBUG, request_id, "%s: sent %s", channel->name, msg_type);

    json_decref(reply.header);
    json_decref(reply.metadata);
    json_decref(reply.content);
}
