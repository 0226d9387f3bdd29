/* test_utf8.c: repairing invalid UTF-8 and converting code-point positions. */
#include <stdlib.h>

#include "check.h"
#include "kernel/utf8.h"

#define REPLACEMENT "\xEF\xBF\xBD"

static void check_sanitized(const char *input, size_t size, const char *expected)
{
    char *output = jk_utf8_sanitize(input, size);

    CHECK_STR_EQ(output, expected);
    CHECK(output != NULL);
    if (output)
        CHECK(jk_utf8_valid(output, strlen(output)));
    free(output);
}

static void test_valid_text_is_unchanged(void)
{
    const char *text = "digits 0-9, \xC3\xA9t\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80";

    CHECK(jk_utf8_valid(text, strlen(text)));
    check_sanitized(text, strlen(text), text);
}

static void test_stray_continuation_byte_replaced(void)
{
    check_sanitized("a\x80z", 3, "a" REPLACEMENT "z");
}

static void test_overlong_form_replaced(void)
{
    /* C0 AF is an overlong '/': both bytes are invalid on their own. */
    check_sanitized("\xC0\xAF", 2, REPLACEMENT REPLACEMENT);
    CHECK(!jk_utf8_valid("\xE0\x80\xAF", 3));
}

static void test_surrogate_replaced(void)
{
    /* ED A0 80 would encode U+D800. */
    CHECK(!jk_utf8_valid("\xED\xA0\x80", 3));
    check_sanitized("x\xED\xA0\x80", 4, "x" REPLACEMENT REPLACEMENT REPLACEMENT);
}

static void test_above_max_code_point_replaced(void)
{
    /* F4 90 80 80 would be U+110000. */
    CHECK(!jk_utf8_valid("\xF4\x90\x80\x80", 4));
    CHECK(jk_utf8_valid("\xF4\x8F\xBF\xBF", 4));
}

static void test_truncated_sequence_replaced(void)
{
    /* The first two bytes of a three-byte euro sign, then a valid 'b': the truncated
     * sequence is one maximal subpart, so one replacement. */
    check_sanitized("a\xE2\x82" "b", 4, "a" REPLACEMENT "b");
    check_sanitized("end\xF0\x9F\x98", 6, "end" REPLACEMENT);
}

static void test_nul_byte_replaced(void)
{
    check_sanitized("a\0b", 3, "a" REPLACEMENT "b");
}

static void test_length_counts_code_points(void)
{
    CHECK_INT_EQ(jk_utf8_length(""), 0);
    CHECK_INT_EQ(jk_utf8_length("abc"), 3);
    CHECK_INT_EQ(jk_utf8_length("\xC3\xA9t\xC3\xA9"), 3);
    CHECK_INT_EQ(jk_utf8_length("\xF0\x9F\x98\x80!"), 2);
}

static void test_offset_and_position_convert(void)
{
    /* "é€😀x": code points at byte offsets 0, 2, 5, 9. */
    const char *text = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x";

    CHECK_INT_EQ(jk_utf8_offset(text, 0), 0);
    CHECK_INT_EQ(jk_utf8_offset(text, 1), 2);
    CHECK_INT_EQ(jk_utf8_offset(text, 2), 5);
    CHECK_INT_EQ(jk_utf8_offset(text, 3), 9);
    CHECK_INT_EQ(jk_utf8_offset(text, 4), 10);
    CHECK_INT_EQ(jk_utf8_offset(text, 99), 10);

    CHECK_INT_EQ(jk_utf8_position(text, 0), 0);
    CHECK_INT_EQ(jk_utf8_position(text, 2), 1);
    CHECK_INT_EQ(jk_utf8_position(text, 5), 2);
    CHECK_INT_EQ(jk_utf8_position(text, 9), 3);
    CHECK_INT_EQ(jk_utf8_position(text, 10), 4);
}

static void test_next_decodes_code_points(void)
{
    const char *text = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    size_t offset = 0;

    CHECK_INT_EQ(jk_utf8_next(text, &offset), 0x41);
    CHECK_INT_EQ(jk_utf8_next(text, &offset), 0xE9);
    CHECK_INT_EQ(jk_utf8_next(text, &offset), 0x20AC);
    CHECK_INT_EQ(jk_utf8_next(text, &offset), 0x1F600);
    CHECK_INT_EQ(offset, strlen(text));
}

int main(void)
{
    RUN(test_valid_text_is_unchanged);
    RUN(test_stray_continuation_byte_replaced);
    RUN(test_overlong_form_replaced);
    RUN(test_surrogate_replaced);
    RUN(test_above_max_code_point_replaced);
    RUN(test_truncated_sequence_replaced);
    RUN(test_nul_byte_replaced);
    RUN(test_length_counts_code_points);
    RUN(test_offset_and_position_convert);
    RUN(test_next_decodes_code_points);
    return check_summary();
}
