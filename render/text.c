/* text.c: one-line text in DejaVu Sans through cairo's text API.
 *
 * NOTE: cairo's toy text API draws each string in one font and does no per-glyph
 * fallback, so characters DejaVu Sans lacks (CJK, for example) show as empty boxes.
 */
#include <math.h>
#include <string.h>

#include "draw.h"

void render_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double render_text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t extents;

    cairo_text_extents(cr, text ? text : "", &extents);
    return extents.x_advance;
}

double render_text_height(cairo_t *cr)
{
    cairo_font_extents_t font;

    cairo_font_extents(cr, &font);
    return font.ascent + font.descent;
}

/* Vertical placement uses the font's ascent and descent rather than the ink of the
 * string, so labels of different text ("0.1" and "0.7") share one baseline. */
static void move_to_anchor(cairo_t *cr, const char *text, double x, double y, double align_x,
                           double align_y)
{
    cairo_font_extents_t font;

    cairo_font_extents(cr, &font);
    double width = render_text_width(cr, text);
    double line = font.ascent + font.descent;
    cairo_move_to(cr, x - align_x * width, y - align_y * line + font.ascent);
}

void render_text(cairo_t *cr, const char *text, double x, double y, double align_x,
                 double align_y)
{
    if (!text || !*text)
        return;
    move_to_anchor(cr, text, x, y, align_x, align_y);
    cairo_show_text(cr, text);
}

void render_text_vertical(cairo_t *cr, const char *text, double x, double y,
                          double align_x, double align_y)
{
    if (!text || !*text)
        return;

    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -asin(1.0)); /* a quarter turn, -pi/2 */
    move_to_anchor(cr, text, 0, 0, align_x, align_y);
    cairo_show_text(cr, text);
    cairo_restore(cr);
}

void render_text_fit(cairo_t *cr, const char *text, double max_width, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    if (!text || size < 4)
        return;

    size_t length = strlen(text);
    if (length < size && render_text_width(cr, text) <= max_width) {
        memcpy(buf, text, length + 1);
        return;
    }

    /* Drop whole characters from the end until the text plus "..." fits. */
    size_t keep = length < size - 4 ? length : size - 4;
    while (keep > 0) {
        while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
            keep--;
        memcpy(buf, text, keep);
        memcpy(buf + keep, "...", 4);
        if (render_text_width(cr, buf) <= max_width)
            return;
        keep--;
    }
    buf[0] = '\0';
}
