/* test_complete.c: completion, inspection and completeness replies, with cursor
 * positions counted in Unicode code points. */
#include <stdlib.h>

#include "check.h"
#include "kernel/complete.h"
#include "kernel_test_commands.h"

static json_t *complete(const char *code, long cursor_pos)
{
    json_t *request = json_pack("{s:s, s:I}", "code", code, "cursor_pos", (json_int_t)cursor_pos);
    json_t *reply = jk_complete_reply(request);

    json_decref(request);
    return reply;
}

static int has_match(const json_t *reply, const char *match)
{
    size_t i;
    json_t *value;

    json_array_foreach(json_object_get(reply, "matches"), i, value) {
        if (strcmp(json_string_value(value), match) == 0)
            return 1;
    }
    return 0;
}

static long integer(const json_t *reply, const char *key)
{
    return (long)json_integer_value(json_object_get(reply, key));
}

static void test_command_names_at_line_start(void)
{
    json_t *reply = complete("he", 2);

    CHECK_STR_EQ(json_string_value(json_object_get(reply, "status")), "ok");
    CHECK_INT_EQ(json_array_size(json_object_get(reply, "matches")), 1);
    CHECK(has_match(reply, "help"));
    CHECK_INT_EQ(integer(reply, "cursor_start"), 0);
    CHECK_INT_EQ(integer(reply, "cursor_end"), 2);
    json_decref(reply);

    /* On the second line of a cell, after indentation. */
    reply = complete("print x\n  f", 11);
    CHECK(has_match(reply, "fit"));
    CHECK_INT_EQ(integer(reply, "cursor_start"), 10);
    json_decref(reply);
}

static void test_option_names_after_command(void)
{
    json_t *reply = complete("fit ep", 6);

    CHECK(has_match(reply, "epochs="));
    CHECK_INT_EQ(json_array_size(json_object_get(reply, "matches")), 1);
    CHECK_INT_EQ(integer(reply, "cursor_start"), 4);
    json_decref(reply);

    /* A continued line still belongs to its command. */
    reply = complete("fit epochs=3 \\\n  opt", 20);
    CHECK(has_match(reply, "optimizer="));
    json_decref(reply);
}

static void test_argument_hook_completes_names(void)
{
    json_t *reply = complete("fit dense_", 10);

    CHECK(has_match(reply, "dense_Dense1/kernel"));
    CHECK(has_match(reply, "dense_Dense1/bias"));
    CHECK(!has_match(reply, "conv2d_Conv2D1/kernel"));
    json_decref(reply);
}

static void test_cursor_counts_code_points(void)
{
    /* "é" and "€" take 2 and 3 bytes but one position each. */
    const char *code = "print \xC3\xA9\xE2\x82\xAC\nfit hid";
    json_t *reply = complete(code, 16);

    CHECK(has_match(reply, "hidden="));
    CHECK_INT_EQ(integer(reply, "cursor_start"), 13);
    CHECK_INT_EQ(integer(reply, "cursor_end"), 16);
    json_decref(reply);

    /* The cursor in the middle of a word completes the part before it. */
    reply = complete("\xC3\xA9 \nhelx", 5);
    CHECK(has_match(reply, "help"));
    CHECK_INT_EQ(integer(reply, "cursor_start"), 3);
    json_decref(reply);
}

static void test_help_argument_and_pager_form(void)
{
    json_t *reply = complete("help fi", 7);

    CHECK(has_match(reply, "fit"));
    CHECK_INT_EQ(integer(reply, "cursor_start"), 5);
    json_decref(reply);

    reply = complete("?he", 3);
    CHECK(has_match(reply, "help"));
    CHECK_INT_EQ(integer(reply, "cursor_start"), 1);
    json_decref(reply);
}

static void test_no_matches_for_values(void)
{
    json_t *reply = complete("fit epochs=", 11);

    CHECK_INT_EQ(json_array_size(json_object_get(reply, "matches")), 0);
    json_decref(reply);
}

static void test_inspect_shows_command_help(void)
{
    json_t *request = json_pack("{s:s, s:i, s:i}", "code", "fit epochs=3", "cursor_pos", 9,
                                "detail_level", 0);
    json_t *reply = jk_inspect_reply(request);
    json_t *data = json_object_get(reply, "data");

    CHECK(json_is_true(json_object_get(reply, "found")));
    CHECK(strstr(json_string_value(json_object_get(data, "text/plain")), "fit [WEIGHT]") != NULL);
    CHECK(json_object_get(data, "text/html") != NULL);
    json_decref(reply);
    json_decref(request);

    request = json_pack("{s:s, s:i}", "code", "nothing here", "cursor_pos", 3);
    reply = jk_inspect_reply(request);
    CHECK(json_is_false(json_object_get(reply, "found")));
    CHECK_INT_EQ(json_object_size(json_object_get(reply, "data")), 0);
    json_decref(reply);
    json_decref(request);
}

static void test_is_complete_reply_indent(void)
{
    json_t *request = json_pack("{s:s}", "code", "fit name='a");
    json_t *reply = jk_is_complete_reply(request);

    CHECK_STR_EQ(json_string_value(json_object_get(reply, "status")), "incomplete");
    CHECK_STR_EQ(json_string_value(json_object_get(reply, "indent")), "");
    json_decref(reply);
    json_decref(request);

    request = json_pack("{s:s}", "code", "fit name='a'");
    reply = jk_is_complete_reply(request);
    CHECK_STR_EQ(json_string_value(json_object_get(reply, "status")), "complete");
    CHECK(json_object_get(reply, "indent") == NULL);
    json_decref(reply);
    json_decref(request);
}

int main(void)
{
    RUN(test_command_names_at_line_start);
    RUN(test_option_names_after_command);
    RUN(test_argument_hook_completes_names);
    RUN(test_cursor_counts_code_points);
    RUN(test_help_argument_and_pager_form);
    RUN(test_no_matches_for_values);
    RUN(test_inspect_shows_command_help);
    RUN(test_is_complete_reply_indent);
    return check_summary();
}
