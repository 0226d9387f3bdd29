/* message.h: Jupyter messages and their wire form.
 *
 * On the wire a message is a list of frames: the routing identities, the delimiter
 * "<IDS|MSG>", the HMAC signature, the header, parent header, metadata and content as
 * JSON, then any binary buffers. This module converts between that list and a
 * jk_message, signs and verifies, and builds headers.
 */
#ifndef JK_MESSAGE_H
#define JK_MESSAGE_H

#include <jansson.h>
#include <stddef.h>

#include "hmac.h"

#define JK_DELIMITER "<IDS|MSG>"
#define JK_PROTOCOL_VERSION "5.3"

/*** frames ***/

typedef struct {
    unsigned char *data; /* malloc'd, owned by the list */
    size_t size;
} jk_frame;

typedef struct {
    jk_frame *items;
    size_t count, capacity;
} jk_frames;

/* Appends a copy of size bytes. Returns 0, or -1 when out of memory. */
int jk_frames_push(jk_frames *frames, const void *data, size_t size);
/* Appends a copy of a NUL-terminated string, without the NUL. */
int jk_frames_push_string(jk_frames *frames, const char *text);
/* Frees the frames and leaves an empty list. */
void jk_frames_clear(jk_frames *frames);

/*** messages ***/

typedef struct {
    jk_frames identities; /* routing prefix; the topic on iopub */
    json_t *header, *parent_header, *metadata, *content;
    jk_frames buffers;
    char signature[JK_HMAC_HEX_MAX + 1]; /* as received; empty for outgoing messages */
    int repaired; /* 1 when invalid UTF-8 or lone surrogates were replaced by U+FFFD */
} jk_message;

void jk_message_clear(jk_message *message);

typedef enum {
    JK_PARSE_OK,
    JK_PARSE_NO_DELIMITER,  /* no "<IDS|MSG>" frame */
    JK_PARSE_TRUNCATED,     /* fewer than five frames after the delimiter */
    JK_PARSE_BAD_SIGNATURE, /* signature missing, too long or wrong */
    JK_PARSE_BAD_JSON       /* a dictionary frame is not a JSON object */
} jk_parse_status;

/* Splits wire frames into a message, verifying the signature on the raw frames before
 * any JSON is decoded. Invalid UTF-8 and lone surrogate escapes in the JSON are replaced
 * by U+FFFD (and repaired is set). On failure the message is left empty and detail (may
 * be NULL) receives a short reason. */
jk_parse_status jk_message_parse(const jk_frames *wire, const jk_hmac *hmac, jk_message *out,
                                 char *detail, size_t detail_size);

/* Serializes and signs a message into wire frames (appended to wire). Returns 0, or -1
 * when serialization or signing fails. */
int jk_message_serialize(const jk_message *message, const jk_hmac *hmac, jk_frames *wire);

/*** headers ***/

/* Sets the session id and user name that every header carries. Call once at startup. */
void jk_message_set_identity(const char *session, const char *username);
const char *jk_message_session(void);

/* Returns a new header object for msg_type with a fresh msg_id and the current time. */
json_t *jk_header_new(const char *msg_type);

/* Writes a fresh random UUID in its 36-character text form. */
void jk_uuid_new(char out[37]);

/* Writes the current time as ISO 8601 UTC with microseconds, e.g.
 * 2026-12-04T20:31:05.123456Z. */
void jk_timestamp_now(char out[32]);

/* The string field key of object, or fallback when absent or not a string. */
const char *jk_json_string(const json_t *object, const char *key, const char *fallback);

#endif /* JK_MESSAGE_H */
