/* test_render_tables.c: HTML and text tables, HTML escaping and number formatting. */
#include <limits.h>
#include <stdlib.h>

#include "check.h"
#include "render/render.h"

/*** HTML ***/

static void test_html_escape_special_characters(void)
{
    char *escaped = render_html_escape("<script>alert(\"x\" & 'y')</script>");
    CHECK_STR_EQ(escaped, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    free(escaped);

    escaped = render_html_escape("größe 7,850 → ok");
    CHECK_STR_EQ(escaped, "größe 7,850 → ok");
    free(escaped);

    escaped = render_html_escape(NULL);
    CHECK_STR_EQ(escaped, "");
    free(escaped);
}

static const char *const summary_headers[] = {"Layer (type)", "Output shape", "Param #"};
static const char *const summary_cells[] = {
    "flatten_Flatten1 (Flatten)", "[batch,784]", "0",
    "dense_Dense1 (Dense)",       "[batch,10]",  "7,850",
};

static void test_html_table_structure(void)
{
    render_table table = {"Model <dense>", summary_headers, NULL, summary_cells, 2, 3,
                          "Total params: 7,850"};
    char *html = render_table_html(&table);

    CHECK_STR_EQ(html,
                 "<table>\n"
                 "<caption>Model &lt;dense&gt;</caption>\n"
                 "<thead>\n<tr><th><p>Layer (type)</p></th><th><p>Output shape</p></th>"
                 "<th>Param #</th></tr>\n</thead>\n"
                 "<tbody>\n"
                 "<tr><td><p>flatten_Flatten1 (Flatten)</p></td><td><p>[batch,784]</p></td>"
                 "<td>0</td></tr>\n"
                 "<tr><td><p>dense_Dense1 (Dense)</p></td><td><p>[batch,10]</p></td>"
                 "<td>7,850</td></tr>\n"
                 "</tbody>\n"
                 "<tfoot>\n<tr><td colspan=\"3\">Total params: 7,850</td></tr>\n</tfoot>\n"
                 "</table>\n");
    free(html);
}

static void test_html_table_has_no_styles(void)
{
    const render_align align[] = {RENDER_ALIGN_LEFT, RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT};
    render_table table = {NULL, summary_headers, align, summary_cells, 2, 3, NULL};
    char *html = render_table_html(&table);

    CHECK(html != NULL);
    CHECK(strstr(html, "style") == NULL);
    CHECK(strstr(html, "align") == NULL);
    CHECK(strstr(html, "<caption>") == NULL);
    CHECK(strstr(html, "<tfoot>") == NULL);
    free(html);
}

static void test_html_table_escapes_cells(void)
{
    const char *headers[] = {"a\"b"};
    const char *cells[] = {"<img src=x onerror='alert(1)'>", "&amp;"};
    render_table table = {NULL, headers, NULL, cells, 2, 1, "<b>"};
    char *html = render_table_html(&table);

    CHECK(strstr(html, "<img") == NULL);
    CHECK(strstr(html, "<th><p>a&quot;b</p></th>") != NULL);
    CHECK(strstr(html, "&lt;img src=x onerror=&#39;alert(1)&#39;&gt;") != NULL);
    CHECK(strstr(html, "<td><p>&amp;amp;</p></td>") != NULL);
    CHECK(strstr(html, "&lt;b&gt;") != NULL);
    free(html);
}

static void test_html_table_explicit_alignment(void)
{
    const render_align align[] = {RENDER_ALIGN_RIGHT, RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT};
    render_table table = {NULL, summary_headers, align, summary_cells, 2, 3, NULL};
    char *html = render_table_html(&table);

    CHECK(strstr(html, "<th>Layer (type)</th>") != NULL);
    CHECK(strstr(html, "<th><p>Output shape</p></th>") != NULL);
    CHECK(strstr(html, "<td>flatten_Flatten1 (Flatten)</td>") != NULL);
    CHECK(strstr(html, "<td><p>[batch,784]</p></td>") != NULL);
    CHECK(strstr(html, "<td>7,850</td>") != NULL);
    free(html);
}

/*** text ***/

static void test_text_table_aligns_code_points(void)
{
    /* "größe" is 5 code points but 7 bytes, and "→" is 1 code point but 3 bytes: padding
     * by bytes would shift the columns after them. */
    const char *headers[] = {"name", "count"};
    const char *cells[] = {"größe", "7,850", "a→b", "12", "plain", "1,234,567"};
    render_table table = {NULL, headers, NULL, cells, 3, 2, NULL};
    char *text = render_table_text(&table);

    CHECK_STR_EQ(text,
                 "name       count\n"
                 "----------------\n"
                 "größe      7,850\n"
                 "a→b           12\n"
                 "plain  1,234,567\n");
    free(text);
}

static void test_text_table_caption_footer(void)
{
    render_table table = {"Model: dense", summary_headers, NULL, summary_cells, 2, 3,
                          "Total params: 7,850"};
    char *text = render_table_text(&table);

    CHECK_STR_EQ(text,
                 "Model: dense\n"
                 "Layer (type)                Output shape  Param #\n"
                 "-------------------------------------------------\n"
                 "flatten_Flatten1 (Flatten)  [batch,784]         0\n"
                 "dense_Dense1 (Dense)        [batch,10]      7,850\n"
                 "-------------------------------------------------\n"
                 "Total params: 7,850\n");
    free(text);
}

static void test_text_table_explicit_alignment(void)
{
    const char *headers[] = {"a", "b"};
    const char *cells[] = {"1", "x", "100", "yyy"};
    const render_align align[] = {RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT};
    render_table table = {NULL, headers, align, cells, 2, 2, NULL};
    char *text = render_table_text(&table);

    CHECK_STR_EQ(text,
                 "a      b\n"
                 "--------\n"
                 "1      x\n"
                 "100  yyy\n");
    free(text);
}

static void test_text_table_numeric_detection(void)
{
    const char *headers[] = {"value", "mixed"};
    const char *cells[] = {"-0.25", "1", "1e-3", "n/a", "97.5%", "2", "nan", "3"};
    render_table table = {NULL, headers, NULL, cells, 4, 2, NULL};
    char *text = render_table_text(&table);

    /* The first column is all numbers and right-aligned; "n/a" keeps the second left. */
    CHECK_STR_EQ(text,
                 "value  mixed\n"
                 "------------\n"
                 "-0.25  1\n"
                 " 1e-3  n/a\n"
                 "97.5%  2\n"
                 "  nan  3\n");
    free(text);
}

static void test_text_table_control_characters(void)
{
    const char *headers[] = {"x"};
    const char *cells[] = {"a\tb\nc"};
    render_table table = {NULL, headers, NULL, cells, 1, 1, NULL};
    char *text = render_table_text(&table);

    CHECK_STR_EQ(text, "x\n-----\na b c\n");
    free(text);
}

/*** numbers ***/

static void test_format_count_cases(void)
{
    char buf[32];

    render_format_count(buf, sizeof buf, 0);
    CHECK_STR_EQ(buf, "0");
    render_format_count(buf, sizeof buf, 999);
    CHECK_STR_EQ(buf, "999");
    render_format_count(buf, sizeof buf, 1000);
    CHECK_STR_EQ(buf, "1,000");
    render_format_count(buf, sizeof buf, 7850);
    CHECK_STR_EQ(buf, "7,850");
    render_format_count(buf, sizeof buf, 100000);
    CHECK_STR_EQ(buf, "100,000");
    render_format_count(buf, sizeof buf, 1234567);
    CHECK_STR_EQ(buf, "1,234,567");
    render_format_count(buf, sizeof buf, ULLONG_MAX);
    CHECK_STR_EQ(buf, "18,446,744,073,709,551,615");
}

static void test_format_count_truncates(void)
{
    char buf[4] = "zzz";

    render_format_count(buf, sizeof buf, 1234567);
    CHECK_STR_EQ(buf, "1,2");
    render_format_count(buf, 0, 5); /* size 0 writes nothing */
    CHECK_STR_EQ(buf, "1,2");
}

static void test_format_number_cases(void)
{
    char buf[32];

    render_format_number(buf, sizeof buf, 0.0912);
    CHECK_STR_EQ(buf, "0.0912");
    render_format_number(buf, sizeof buf, -1.23456);
    CHECK_STR_EQ(buf, "-1.235");
    render_format_number(buf, sizeof buf, 12345.6);
    CHECK_STR_EQ(buf, "12,346");
    render_format_number(buf, sizeof buf, -0.0);
    CHECK_STR_EQ(buf, "0");
    render_format_number(buf, sizeof buf, 1e-5);
    CHECK_STR_EQ(buf, "1e-05");
    render_format_number(buf, sizeof buf, NAN);
    CHECK_STR_EQ(buf, "nan");
    render_format_number(buf, sizeof buf, -INFINITY);
    CHECK_STR_EQ(buf, "-inf");
}

int main(void)
{
    RUN(test_html_escape_special_characters);
    RUN(test_html_table_structure);
    RUN(test_html_table_has_no_styles);
    RUN(test_html_table_escapes_cells);
    RUN(test_html_table_explicit_alignment);
    RUN(test_text_table_aligns_code_points);
    RUN(test_text_table_caption_footer);
    RUN(test_text_table_explicit_alignment);
    RUN(test_text_table_numeric_detection);
    RUN(test_text_table_control_characters);
    RUN(test_format_count_cases);
    RUN(test_format_count_truncates);
    RUN(test_format_number_cases);
    return check_summary();
}
