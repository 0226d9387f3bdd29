/* test_message.c: splitting and joining wire frames, signatures on raw frames, replayed
 * signatures and headers. */
#include <stdlib.h>

#include "check.h"
#include "kernel/message.h"
#include "kernel/replay.h"

static jk_hmac *test_signer(void)
{
    char err[256];

    return jk_hmac_new("hmac-sha256", "secret", 6, err, sizeof err);
}

static void build_request(jk_message *message)
{
    memset(message, 0, sizeof *message);
    jk_frames_push_string(&message->identities, "client-a");
    jk_frames_push(&message->identities, "\x00\x01\x02", 3);
    message->header = jk_header_new("execute_request");
    message->parent_header = json_object();
    message->metadata = json_pack("{s:i}", "trace", 7);
    message->content = json_pack("{s:s, s:b}", "code", "print hello", "silent", 0);
    jk_frames_push(&message->buffers, "\xff\xfe", 2);
}

static int frame_is(const jk_frame *frame, const char *text)
{
    return frame->size == strlen(text) && memcmp(frame->data, text, frame->size) == 0;
}

static void test_round_trip_keeps_all_parts(void)
{
    jk_hmac *hmac = test_signer();
    jk_message sent, received;
    jk_frames wire = {0};

    build_request(&sent);
    CHECK_INT_EQ(jk_message_serialize(&sent, hmac, &wire), 0);
    /* identities, delimiter, signature, four dictionaries, one buffer */
    CHECK_INT_EQ(wire.count, 2 + 1 + 1 + 4 + 1);
    CHECK(frame_is(&wire.items[2], JK_DELIMITER));
    CHECK_INT_EQ(wire.items[3].size, 64);

    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, NULL, 0), JK_PARSE_OK);
    CHECK_INT_EQ(received.identities.count, 2);
    CHECK(frame_is(&received.identities.items[0], "client-a"));
    CHECK_INT_EQ(received.identities.items[1].size, 3);
    CHECK(memcmp(received.identities.items[1].data, "\x00\x01\x02", 3) == 0);
    CHECK(json_equal(received.header, sent.header));
    CHECK(json_equal(received.metadata, sent.metadata));
    CHECK(json_equal(received.content, sent.content));
    CHECK_INT_EQ(received.buffers.count, 1);
    CHECK_INT_EQ(received.buffers.items[0].size, 2);
    CHECK_INT_EQ(strlen(received.signature), 64);

    jk_message_clear(&received);
    jk_message_clear(&sent);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

static void test_no_identities_is_valid(void)
{
    jk_hmac *hmac = test_signer();
    jk_message sent, received;
    jk_frames wire = {0};

    build_request(&sent);
    jk_frames_clear(&sent.identities);
    CHECK_INT_EQ(jk_message_serialize(&sent, hmac, &wire), 0);
    CHECK(frame_is(&wire.items[0], JK_DELIMITER));
    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, NULL, 0), JK_PARSE_OK);
    CHECK_INT_EQ(received.identities.count, 0);

    jk_message_clear(&received);
    jk_message_clear(&sent);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

/* The signature covers the bytes as sent, so JSON that another client formatted
 * differently (spaces, key order) verifies as long as its bytes were signed. */
static void test_signature_checked_on_raw_frames(void)
{
    jk_hmac *hmac = test_signer();
    const char *dictionaries[4] = {
        "{ \"msg_type\" : \"kernel_info_request\", \"msg_id\": \"1\" }", "{}", "{}", "{ }"};
    const void *parts[4];
    size_t sizes[4];
    char signature[JK_HMAC_HEX_MAX + 1];
    jk_frames wire = {0};
    jk_message received;

    for (int i = 0; i < 4; i++) {
        parts[i] = dictionaries[i];
        sizes[i] = strlen(dictionaries[i]);
    }
    jk_hmac_sign(hmac, parts, sizes, 4, signature);
    jk_frames_push_string(&wire, "id");
    jk_frames_push_string(&wire, JK_DELIMITER);
    jk_frames_push_string(&wire, signature);
    for (int i = 0; i < 4; i++)
        jk_frames_push_string(&wire, dictionaries[i]);

    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, NULL, 0), JK_PARSE_OK);
    CHECK_STR_EQ(jk_json_string(received.header, "msg_type", NULL), "kernel_info_request");

    jk_message_clear(&received);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

static void test_tampered_content_is_rejected(void)
{
    jk_hmac *hmac = test_signer();
    jk_message sent, received;
    jk_frames wire = {0};
    char detail[160];

    build_request(&sent);
    jk_message_serialize(&sent, hmac, &wire);
    /* Change one byte of the content frame (the last dictionary, before the buffer). */
    wire.items[wire.count - 2].data[2] ^= 0x01;
    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, detail, sizeof detail),
                 JK_PARSE_BAD_SIGNATURE);
    CHECK(received.header == NULL);
    CHECK(strstr(detail, "invalid") != NULL);

    jk_message_clear(&sent);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

static void test_missing_signature_is_rejected(void)
{
    jk_hmac *hmac = test_signer();
    jk_message sent, received;
    jk_frames wire = {0};
    char detail[160];

    build_request(&sent);
    jk_message_serialize(&sent, hmac, &wire);
    free(wire.items[3].data);
    wire.items[3].data = (unsigned char *)strdup("");
    wire.items[3].size = 0;
    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, detail, sizeof detail),
                 JK_PARSE_BAD_SIGNATURE);
    CHECK(strstr(detail, "missing") != NULL);

    jk_message_clear(&sent);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

static void test_missing_delimiter_is_rejected(void)
{
    jk_hmac *hmac = test_signer();
    jk_frames wire = {0};
    jk_message received;

    jk_frames_push_string(&wire, "id");
    jk_frames_push_string(&wire, "{}");
    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, NULL, 0), JK_PARSE_NO_DELIMITER);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

static void test_truncated_message_is_rejected(void)
{
    jk_hmac *hmac = test_signer();
    jk_frames wire = {0};
    jk_message received;

    jk_frames_push_string(&wire, JK_DELIMITER);
    jk_frames_push_string(&wire, "");
    jk_frames_push_string(&wire, "{}");
    jk_frames_push_string(&wire, "{}");
    jk_frames_push_string(&wire, "{}");
    CHECK_INT_EQ(jk_message_parse(&wire, hmac, &received, NULL, 0), JK_PARSE_TRUNCATED);
    jk_frames_clear(&wire);
    jk_hmac_free(hmac);
}

static void test_non_object_json_is_rejected(void)
{
    char err[64];
    jk_hmac *unsigned_messages = jk_hmac_new("hmac-sha256", "", 0, err, sizeof err);
    jk_frames wire = {0};
    jk_message received;

    jk_frames_push_string(&wire, JK_DELIMITER);
    jk_frames_push_string(&wire, "");
    jk_frames_push_string(&wire, "[1, 2]");
    jk_frames_push_string(&wire, "{}");
    jk_frames_push_string(&wire, "{}");
    jk_frames_push_string(&wire, "{}");
    CHECK_INT_EQ(jk_message_parse(&wire, unsigned_messages, &received, NULL, 0),
                 JK_PARSE_BAD_JSON);
    CHECK(received.content == NULL);
    jk_frames_clear(&wire);
    jk_hmac_free(unsigned_messages);
}

/* Parses one content frame with signing disabled; returns the message's "code". */
static char *parse_code(const char *content, int *repaired)
{
    char err[64];
    jk_hmac *unsigned_messages = jk_hmac_new("hmac-sha256", "", 0, err, sizeof err);
    jk_frames wire = {0};
    jk_message received;
    char *code = NULL;

    jk_frames_push_string(&wire, JK_DELIMITER);
    jk_frames_push_string(&wire, "");
    jk_frames_push_string(&wire, "{\"msg_type\": \"execute_request\"}");
    jk_frames_push_string(&wire, "{}");
    jk_frames_push_string(&wire, "{}");
    jk_frames_push_string(&wire, content);
    if (jk_message_parse(&wire, unsigned_messages, &received, NULL, 0) == JK_PARSE_OK) {
        code = strdup(jk_json_string(received.content, "code", ""));
        *repaired = received.repaired;
        jk_message_clear(&received);
    }
    jk_frames_clear(&wire);
    jk_hmac_free(unsigned_messages);
    return code;
}

static void test_invalid_utf8_is_repaired(void)
{
    int repaired = 0;
    char *code = parse_code("{\"code\": \"print caf\xe9 \xff\xfe\"}", &repaired);

    CHECK_STR_EQ(code, "print caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_INT_EQ(repaired, 1);
    free(code);
}

static void test_lone_surrogate_is_repaired(void)
{
    int repaired = 0;
    char *code = parse_code("{\"code\": \"a\\udce9b\\ud83d\"}", &repaired);

    CHECK_STR_EQ(code, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    CHECK_INT_EQ(repaired, 1);
    free(code);
}

static void test_valid_escapes_are_kept(void)
{
    int repaired = 1;
    /* A surrogate pair (U+1F600) and an escaped backslash before "udce9". */
    char *code = parse_code("{\"code\": \"\\ud83d\\ude00 \\\\udce9\"}", &repaired);

    CHECK_STR_EQ(code, "\xF0\x9F\x98\x80 \\udce9");
    CHECK_INT_EQ(repaired, 0);
    free(code);
}

static void test_replayed_signature_is_detected(void)
{
    jk_replay_reset();
    CHECK_INT_EQ(jk_replay_check("aa01"), 0);
    CHECK_INT_EQ(jk_replay_check("bb02"), 0);
    CHECK_INT_EQ(jk_replay_check("aa01"), 1);
    CHECK_INT_EQ(jk_replay_check("bb02"), 1);
    /* Empty signatures (signing disabled) are never replays. */
    CHECK_INT_EQ(jk_replay_check(""), 0);
    CHECK_INT_EQ(jk_replay_check(""), 0);
    jk_replay_reset();
}

static void test_replay_memory_forgets_oldest(void)
{
    char signature[32];
    int all_new = 1, remembered = 1;

    jk_replay_reset();
    for (int i = 0; i < JK_REPLAY_CAPACITY + 10; i++) {
        snprintf(signature, sizeof signature, "sig%d", i);
        all_new &= jk_replay_check(signature) == 0;
    }
    CHECK(all_new);
    /* The first ten were evicted; the newest ones are still known. */
    CHECK_INT_EQ(jk_replay_check("sig0"), 0);
    for (int i = JK_REPLAY_CAPACITY; i < JK_REPLAY_CAPACITY + 10; i++) {
        snprintf(signature, sizeof signature, "sig%d", i);
        remembered &= jk_replay_check(signature) == 1;
    }
    CHECK(remembered);
    jk_replay_reset();
}

static void test_header_has_every_field(void)
{
    json_t *first, *second;
    const char *date;

    jk_message_set_identity("session-1", "student");
    first = jk_header_new("status");
    second = jk_header_new("status");
    CHECK_STR_EQ(jk_json_string(first, "msg_type", NULL), "status");
    CHECK_STR_EQ(jk_json_string(first, "version", NULL), "5.3");
    CHECK_STR_EQ(jk_json_string(first, "session", NULL), "session-1");
    CHECK_STR_EQ(jk_json_string(first, "username", NULL), "student");
    CHECK_INT_EQ(strlen(jk_json_string(first, "msg_id", "")), 36);
    CHECK(strcmp(jk_json_string(first, "msg_id", ""), jk_json_string(second, "msg_id", "")) != 0);

    /* 2026-12-04T20:31:05.123456Z */
    date = jk_json_string(first, "date", "");
    CHECK_INT_EQ(strlen(date), 27);
    CHECK(date[4] == '-');
    CHECK(date[10] == 'T');
    CHECK(date[19] == '.');
    CHECK(date[26] == 'Z');

    json_decref(first);
    json_decref(second);
}

int main(void)
{
    RUN(test_round_trip_keeps_all_parts);
    RUN(test_no_identities_is_valid);
    RUN(test_signature_checked_on_raw_frames);
    RUN(test_tampered_content_is_rejected);
    RUN(test_missing_signature_is_rejected);
    RUN(test_missing_delimiter_is_rejected);
    RUN(test_truncated_message_is_rejected);
    RUN(test_non_object_json_is_rejected);
    RUN(test_invalid_utf8_is_repaired);
    RUN(test_lone_surrogate_is_repaired);
    RUN(test_valid_escapes_are_kept);
    RUN(test_replayed_signature_is_detected);
    RUN(test_replay_memory_forgets_oldest);
    RUN(test_header_has_every_field);
    return check_summary();
}
