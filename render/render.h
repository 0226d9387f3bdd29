/* render.h: charts, images and tables for nnscope's outputs.
 *
 * Draws PNG pictures with cairo and formats tables as HTML and plain text. It knows
 * neither Jupyter nor training: callers pass plain arrays and get bytes or strings back.
 * Every function with a render_error argument returns 0 on success and -1 on failure with
 * a message in err (may be NULL). Returned buffers are malloc'd and owned by the caller.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char message[256];
} render_error;

/* A PNG file in memory. Every PNG function fills one; free it with render_png_free. */
typedef struct {
    unsigned char *data;
    size_t size;
    int width, height; /* pixels */
} render_png;

/* Frees png->data and clears the struct. Calling it on a zeroed or freed struct is safe. */
void render_png_free(render_png *png);

/* Default picture sizes in pixels, chosen so a picture fits Jupyter Notebook's output
 * area (about 900 px wide) without being scaled down. Every width or height argument
 * below accepts 0 for its default. */
#define RENDER_DEFAULT_WIDTH 900
#define RENDER_DEFAULT_HEIGHT 360

/*** line charts ***/

typedef struct {
    const char *name;     /* legend entry */
    const double *x, *y;  /* n points; NaN y values leave a gap */
    size_t n;
    int markers;          /* 1 draws a dot at every point (for sparse curves such as per-epoch validation) */
} render_series;

typedef struct {
    const char *title;
    const char *x_label, *y_label;
    const render_series *series;
    size_t n_series;
    double y_min, y_max;  /* NaN for automatic */
} render_line_chart;

/* Draws the charts side by side in one picture (for example loss and accuracy), each
 * panel width / n_charts wide. The x axis spans the data, starting at 0 when the data
 * start a little above it. Series take the palette colours in order: the first is
 * blue (training), the second orange (validation). A legend appears above the plot when
 * any series has a name. Series with many more points than the panel has pixel columns
 * are decimated per column, keeping each column's first, minimum, maximum and last point,
 * so the drawn envelope matches the data. */
int render_line_charts(const render_line_chart *charts, size_t n_charts, int width, int height,
                       render_png *out, render_error *err);

/*** bar charts and histograms ***/

typedef struct {
    const char *title;
    const char *x_label, *y_label;
    const char *const *labels; /* n category labels */
    const double *values;
    size_t n;
    long highlight;            /* index drawn in the accent colour, or -1 */
    double y_min, y_max;       /* NaN for automatic */
    int show_values;           /* 1 prints each value above its bar */
} render_bar_chart;

/* Draws vertical bars, one per category, in blue with the highlighted bar in orange. */
int render_bar_chart_png(const render_bar_chart *chart, int width, int height,
                         render_png *out, render_error *err);

typedef struct {
    size_t bins;
    double lo, hi;           /* range of the bins */
    size_t *counts;          /* bins entries, malloc'd */
    double min, max, mean, stddev; /* of the finite values; NaN when there are none */
    size_t finite, nonfinite;      /* nonfinite counts NaN and +-Inf, which are not binned */
} render_histogram_data;

#define RENDER_HISTOGRAM_DEFAULT_BINS 30

/* Bins the finite values of data into bins equal-width bins over [min, max] (bins 0 means
 * RENDER_HISTOGRAM_DEFAULT_BINS). The maximum falls into the last bin. When every finite
 * value is equal, the range is widened symmetrically around it (by 10% of |value|, or
 * 0.5 for zero), and the values are counted in bin bins / 2. stddev is the population standard
 * deviation (divides by the count). With no finite values every count is 0 and the range
 * is [-0.5, 0.5]. */
int render_histogram_compute(const float *data, size_t n, size_t bins,
                             render_histogram_data *out, render_error *err);
void render_histogram_data_free(render_histogram_data *h);

/* Draws a histogram: x axis "value (binned)", y axis "Number of Records", with min, max,
 * mean and standard deviation written under the title. */
int render_histogram_png(const char *title, const render_histogram_data *h, int width,
                         int height, render_png *out, render_error *err);

/*** images, heatmaps and colour maps ***/

typedef enum {
    RENDER_CMAP_GREY,      /* 0 black .. 1 white */
    RENDER_CMAP_GREY_INK,  /* 0 white .. 1 black, as ink on paper */
    RENDER_CMAP_DIVERGING, /* blue .. white (zero) .. red, symmetric around zero */
    RENDER_CMAP_VIRIDIS    /* sequential, for activations and confusion matrices */
} render_colormap;

typedef struct {
    const char *title;
    const float *const *images; /* n images of rows x cols values each */
    size_t n;
    int rows, cols;
    int grid_columns;           /* images per row of the grid; 0 chooses */
    const char *const *captions; /* n captions under the images, or NULL */
    render_colormap colormap;
    double lo, hi;              /* value range mapped to the colour map; equal means automatic */
    int colorbar;               /* 1 draws a colour bar with lo and hi */
    int cell_size;              /* pixels per image side; 0 chooses, and a larger value
                                 * shrinks to keep the picture within max_width */
    int max_width;              /* picture width limit in pixels; 0 means RENDER_DEFAULT_WIDTH */
} render_image_grid;

/* Draws the images in a grid with their captions underneath. Pixels are scaled with
 * nearest-neighbour sampling, so small images (5x5 filters) stay crisp. An automatic range
 * (lo == hi) is computed per image, except when colorbar is 1: then one range covers all
 * images so the bar is true for each. Automatic ranges of RENDER_CMAP_DIVERGING are
 * symmetric, [-m, m] with m the largest |value|, so white is always zero. NaN pixels are
 * drawn light grey. */
int render_image_grid_png(const render_image_grid *grid, render_png *out, render_error *err);

typedef struct {
    const char *title;
    const char *x_label, *y_label;
    const double *values;   /* rows x cols, row-major */
    int rows, cols;
    const char *const *row_labels, *const *col_labels;
    render_colormap colormap;
    int annotate;           /* 1 writes each value in its cell */
    const char *number_format; /* printf format with one double conversion (f, e or g),
                                * e.g. "%.0f"; NULL means "%.3g" */
    int colorbar;
} render_heatmap;

/* Draws cells coloured over [min, max] of the finite values. RENDER_CMAP_DIVERGING uses
 * [-m, m] instead, with m the largest magnitude, so zero is white. Cells are square unless
 * the matrix is much taller than wide or the reverse, and the picture is cut to the
 * height it needs (out->height may be less than height). Row labels go on the left and
 * column labels below (row and column numbers when the labels are NULL, thinned out
 * where they would overlap), y_label rotated at the left and x_label at the bottom (for
 * a confusion matrix "true label" and "predicted label"). Annotations switch to white
 * text on dark cells and are left out of cells too small for them. */
int render_heatmap_png(const render_heatmap *map, int width, int height,
                       render_png *out, render_error *err);

/* Stacks PNG pictures vertically, left-aligned on a white background as wide as the widest
 * part (for example an input image above its activation maps). */
int render_png_stack(const render_png *parts, size_t n, render_png *out, render_error *err);

/* Maps t in [0, 1] (clamped; NaN gives light grey) to an sRGB colour with components in
 * [0, 1]. RENDER_CMAP_DIVERGING is white at t = 0.5. */
void render_colormap_rgb(render_colormap map, double t, double rgb[3]);

/*** axes ***/

#define RENDER_MAX_TICKS 16

/* Tick marks for one axis: every value is a multiple of step, and step is 1, 2 or 5 times
 * a power of ten. */
typedef struct {
    double lo, hi;  /* the axis range: the input range, or widened to whole steps */
    double step;
    int count;
    double values[RENDER_MAX_TICKS];
} render_ticks;

/* Chooses at most target + 1 ticks inside [lo, hi] (target is clamped to 2..12), but
 * never fewer than two: a narrow range away from zero takes a smaller step instead. With
 * widen 1 the range grows outward to the nearest multiples of step, as for a y axis that
 * should start and end on a tick. A range of zero width is first widened around its value
 * (by 10%, or by 1 at zero); non-finite bounds give [0, 1]. */
void render_nice_ticks(double lo, double hi, int target, int widen, render_ticks *out);

/*** tables ***/

typedef enum { RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT } render_align;

typedef struct {
    const char *caption;            /* may be NULL */
    const char *const *headers;     /* n_cols */
    const render_align *align;      /* n_cols, or NULL to right-align the columns whose
                                     * cells all look like numbers */
    const char *const *cells;       /* n_rows * n_cols, row-major, UTF-8 */
    size_t n_rows, n_cols;
    const char *footer;             /* a line under the table, e.g. "Total params: 7,850"; may be NULL */
} render_table;

/* Formats a table as an HTML <table> with <caption>, <thead>, <tbody> and a <tfoot> row for
 * the footer, with no style or align attributes: untrusted notebooks strip CSS, and
 * Notebook 6's own .rendered_html rules right-align every cell, rule the header and stripe
 * the rows. Cells of left-aligned columns wrap their text in <p>, which Notebook
 * left-aligns. Every text is escaped. Returns a malloc'd string, or NULL when out of
 * memory. */
char *render_table_html(const render_table *table);

/* Formats a table as aligned plain-text columns, two spaces apart, with a rule of '-'
 * under the header and above the footer. Widths are counted in Unicode code points of
 * the UTF-8 text; tabs and newlines in cells become spaces. Returns a malloc'd string, or
 * NULL when out of memory. */
char *render_table_text(const render_table *table);

/* Formats n with thousands separators: 7850 -> "7,850". Truncates to fit size. */
void render_format_count(char *buf, size_t size, unsigned long long n);

/* Formats a measured value compactly with 4 significant digits ("0.0912", "-1.235"), as a
 * grouped integer from 10,000 on ("12,346"), and as "nan", "inf" or "-inf" when it is not
 * finite. */
void render_format_number(char *buf, size_t size, double value);

/* Escapes &, <, >, " and ' for HTML. Returns a malloc'd string, or NULL when out of memory
 * (NULL text gives ""). */
char *render_html_escape(const char *text);

#ifdef __cplusplus
}
#endif

#endif /* RENDER_H */
