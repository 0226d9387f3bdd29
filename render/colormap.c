/* colormap.c: colour maps for images and heatmaps, and the series palette. */
#include <math.h>

#include "draw.h"

/* A colour map is a table of sRGB stops at increasing positions in [0, 1]. Values in
 * between are interpolated linearly per component. */
typedef struct {
    double position;
    double r, g, b;
} color_stop;

/* viridis, sampled every 16th entry (and the last) of the 256-entry table in matplotlib's
 * colormap definitions (lib/matplotlib/_cm_listed.py), designed by Stéfan van der Walt
 * and Nathaniel Smith and released under CC0. Linear interpolation between these stops
 * stays within 0.01 of the full table at the entries test_render_colormap checks. */
static const color_stop viridis[] = {
    {0.0 / 255, 0.267004, 0.004874, 0.329415},   {16.0 / 255, 0.282327, 0.094955, 0.417331},
    {32.0 / 255, 0.278826, 0.175490, 0.483397},  {48.0 / 255, 0.258965, 0.251537, 0.524736},
    {64.0 / 255, 0.229739, 0.322361, 0.545706},  {80.0 / 255, 0.199430, 0.387607, 0.554642},
    {96.0 / 255, 0.172719, 0.448791, 0.557885},  {112.0 / 255, 0.149039, 0.508051, 0.557250},
    {128.0 / 255, 0.127568, 0.566949, 0.550556}, {144.0 / 255, 0.120638, 0.625828, 0.533488},
    {160.0 / 255, 0.157851, 0.683765, 0.501686}, {176.0 / 255, 0.246070, 0.738910, 0.452024},
    {192.0 / 255, 0.369214, 0.788888, 0.382914}, {208.0 / 255, 0.515992, 0.831158, 0.294279},
    {224.0 / 255, 0.678489, 0.863742, 0.189503}, {240.0 / 255, 0.845561, 0.887322, 0.099702},
    {255.0 / 255, 0.993248, 0.906157, 0.143936},
};

/* Blue (negative) through white (zero) to red (positive): ColorBrewer's 11-class RdBu
 * scheme by Cynthia Brewer, reversed, with its near-white centre #f7f7f7 replaced by pure
 * white so that zero weights vanish into the background. Its lightness rises steadily
 * towards the centre on both sides, so equal magnitudes of either sign look equally
 * strong. */
static const color_stop diverging[] = {
    {0.0, 0x05 / 255.0, 0x30 / 255.0, 0x61 / 255.0}, {0.1, 0x21 / 255.0, 0x66 / 255.0, 0xac / 255.0},
    {0.2, 0x43 / 255.0, 0x93 / 255.0, 0xc3 / 255.0}, {0.3, 0x92 / 255.0, 0xc5 / 255.0, 0xde / 255.0},
    {0.4, 0xd1 / 255.0, 0xe5 / 255.0, 0xf0 / 255.0}, {0.5, 1.0, 1.0, 1.0},
    {0.6, 0xfd / 255.0, 0xdb / 255.0, 0xc7 / 255.0}, {0.7, 0xf4 / 255.0, 0xa5 / 255.0, 0x82 / 255.0},
    {0.8, 0xd6 / 255.0, 0x60 / 255.0, 0x4d / 255.0}, {0.9, 0xb2 / 255.0, 0x18 / 255.0, 0x2b / 255.0},
    {1.0, 0x67 / 255.0, 0x00 / 255.0, 0x1f / 255.0},
};

static double clamp_unit(double t)
{
    if (t < 0)
        return 0;
    if (t > 1)
        return 1;
    return t;
}

static void interpolate(const color_stop *stops, size_t n, double t, double rgb[3])
{
    size_t i = 1;

    while (i < n - 1 && t > stops[i].position)
        i++;

    const color_stop *a = &stops[i - 1], *b = &stops[i];
    double f = (t - a->position) / (b->position - a->position);
    f = clamp_unit(f);
    rgb[0] = a->r + f * (b->r - a->r);
    rgb[1] = a->g + f * (b->g - a->g);
    rgb[2] = a->b + f * (b->b - a->b);
}

void render_colormap_rgb(render_colormap map, double t, double rgb[3])
{
    if (isnan(t)) {
        rgb[0] = rgb[1] = rgb[2] = 0.85;
        return;
    }
    t = clamp_unit(t);

    switch (map) {
    case RENDER_CMAP_GREY:
        rgb[0] = rgb[1] = rgb[2] = t;
        break;
    case RENDER_CMAP_GREY_INK:
        rgb[0] = rgb[1] = rgb[2] = 1 - t;
        break;
    case RENDER_CMAP_DIVERGING:
        interpolate(diverging, sizeof diverging / sizeof diverging[0], t, rgb);
        break;
    case RENDER_CMAP_VIRIDIS:
    default:
        interpolate(viridis, sizeof viridis / sizeof viridis[0], t, rgb);
        break;
    }
}

/*** palette ***/

/* The ten "tab10" category colours (matplotlib's default cycle, from Tableau): distinct
 * hues of similar weight, the first two being the familiar training blue and validation
 * orange. */
static const render_rgb palette[] = {
    {0.122, 0.467, 0.706}, {1.000, 0.498, 0.055}, {0.173, 0.627, 0.173}, {0.839, 0.153, 0.157},
    {0.580, 0.404, 0.741}, {0.549, 0.337, 0.294}, {0.890, 0.467, 0.761}, {0.498, 0.498, 0.498},
    {0.737, 0.741, 0.133}, {0.090, 0.745, 0.812},
};

render_rgb render_palette_color(size_t index)
{
    return palette[index % (sizeof palette / sizeof palette[0])];
}

void render_set_color(cairo_t *cr, render_rgb color)
{
    cairo_set_source_rgb(cr, color.r, color.g, color.b);
}

static double linearise(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double render_luminance(render_rgb color)
{
    return 0.2126 * linearise(color.r) + 0.7152 * linearise(color.g) + 0.0722 * linearise(color.b);
}
