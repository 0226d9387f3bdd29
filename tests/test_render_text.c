/* test_render_text.c: caption shortening and the cleanup of formatted numbers. */
#include <string.h>

#include "check.h"
#include "render/draw.h"
#include "render/render.h"
#include "render_lsan.h"

/* Returns 1 when text is well-formed UTF-8 (no cut multi-byte character). */
static int valid_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        int length = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        for (int i = 1; i < length; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += length;
    }
    return 1;
}

static void test_text_fit_short_text_unchanged(void)
{
    render_canvas canvas;
    char buf[64];

    CHECK_INT_EQ(render_canvas_open(&canvas, 100, 100, NULL), 0);
    render_font(canvas.cr, RENDER_FONT_TICK, 0);
    render_text_fit(canvas.cr, "label 7", 200, buf, sizeof buf);
    CHECK_STR_EQ(buf, "label 7");
    render_canvas_discard(&canvas);
}

static void test_text_fit_shortens_with_ellipsis(void)
{
    render_canvas canvas;
    char buf[64];

    CHECK_INT_EQ(render_canvas_open(&canvas, 100, 100, NULL), 0);
    render_font(canvas.cr, RENDER_FONT_TICK, 0);
    render_text_fit(canvas.cr, "a caption far too long for a 56 pixel cell", 56, buf, sizeof buf);
    size_t length = strlen(buf);
    CHECK(length > 3);
    CHECK(strcmp(buf + length - 3, "...") == 0);
    CHECK(render_text_width(canvas.cr, buf) <= 56);
    render_canvas_discard(&canvas);
}

static void test_text_fit_keeps_utf8_whole(void)
{
    render_canvas canvas;
    char buf[64];

    CHECK_INT_EQ(render_canvas_open(&canvas, 100, 100, NULL), 0);
    render_font(canvas.cr, RENDER_FONT_TICK, 0);
    for (double width = 20; width < 120; width += 3) {
        render_text_fit(canvas.cr, "äöü→ßéèêëï größe", width, buf, sizeof buf);
        CHECK(valid_utf8(buf));
        CHECK(render_text_width(canvas.cr, buf) <= width);
    }

    /* A buffer smaller than the text truncates it too, still on a character boundary. */
    render_text_fit(canvas.cr, "ääääääää", 1000, buf, 8);
    CHECK(valid_utf8(buf));
    CHECK(strlen(buf) < 8);
    render_canvas_discard(&canvas);
}

static void test_drop_negative_zero(void)
{
    char text[16];

    strcpy(text, "-0.00");
    render_drop_negative_zero(text);
    CHECK_STR_EQ(text, "0.00");
    strcpy(text, "-0");
    render_drop_negative_zero(text);
    CHECK_STR_EQ(text, "0");
    strcpy(text, "-0.01");
    render_drop_negative_zero(text);
    CHECK_STR_EQ(text, "-0.01");
    strcpy(text, "-inf");
    render_drop_negative_zero(text);
    CHECK_STR_EQ(text, "-inf");
    strcpy(text, "-nan");
    render_drop_negative_zero(text);
    CHECK_STR_EQ(text, "-nan");
    strcpy(text, "0.00");
    render_drop_negative_zero(text);
    CHECK_STR_EQ(text, "0.00");
}

int main(void)
{
    RUN(test_text_fit_short_text_unchanged);
    RUN(test_text_fit_shortens_with_ellipsis);
    RUN(test_text_fit_keeps_utf8_whole);
    RUN(test_drop_negative_zero);
    cairo_debug_reset_static_data(); /* so LeakSanitizer reports only our own leaks */
    return check_summary();
}
