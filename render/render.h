/* render.h: charts, images and tables for nnscope's outputs.
 *
 * Draws PNG pictures with cairo and formats tables as HTML and plain text. It knows
 * neither Jupyter nor training: callers pass plain arrays and get bytes or strings back.
 * Every function returns 0 on success and -1 on failure with a message in err (may be
 * NULL). Returned buffers are malloc'd and owned by the caller.
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

/* A PNG file in memory. */
typedef struct {
    unsigned char *data;
    size_t size;
    int width, height; /* pixels */
} render_png;

void render_png_free(render_png *png);

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

/* Draws the charts side by side in one picture (for example loss and accuracy). */
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

int render_bar_chart_png(const render_bar_chart *chart, int width, int height,
                         render_png *out, render_error *err);

typedef struct {
    size_t bins;
    double lo, hi;           /* range of the bins */
    size_t *counts;          /* bins entries, malloc'd */
    double min, max, mean, stddev;
    size_t finite, nonfinite;
} render_histogram_data;

/* Bins the finite values of data into bins equal-width bins over [min, max]. */
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
    double lo, hi;              /* value range mapped to the colour map; equal means per image auto */
    int colorbar;               /* 1 draws a colour bar with lo and hi */
    int cell_size;              /* pixels per image side; 0 chooses */
} render_image_grid;

int render_image_grid_png(const render_image_grid *grid, render_png *out, render_error *err);

typedef struct {
    const char *title;
    const char *x_label, *y_label;
    const double *values;   /* rows x cols, row-major */
    int rows, cols;
    const char *const *row_labels, *const *col_labels;
    render_colormap colormap;
    int annotate;           /* 1 writes each value in its cell */
    const char *number_format; /* printf format for annotations, e.g. "%.0f" */
    int colorbar;
} render_heatmap;

int render_heatmap_png(const render_heatmap *map, int width, int height,
                       render_png *out, render_error *err);

/* Several PNG-drawing requests in one picture stacked vertically (for example an input
 * image above its activation maps). */
int render_png_stack(const render_png *parts, size_t n, render_png *out, render_error *err);

/*** tables ***/

typedef enum { RENDER_ALIGN_LEFT, RENDER_ALIGN_RIGHT } render_align;

typedef struct {
    const char *caption;            /* may be NULL */
    const char *const *headers;     /* n_cols */
    const render_align *align;      /* n_cols; numbers are right-aligned */
    const char *const *cells;       /* n_rows * n_cols, row-major, UTF-8 */
    size_t n_rows, n_cols;
    const char *footer;             /* a line under the table, e.g. "Total params: 7,850"; may be NULL */
} render_table;

/* HTML that reads well with Notebook's own styles only (no CSS, since untrusted notebooks
 * strip it); every text is escaped. */
char *render_table_html(const render_table *table);
/* Aligned columns in plain text, measured in Unicode code points. */
char *render_table_text(const render_table *table);

/* Formats n with thousands separators: 7850 -> "7,850". */
void render_format_count(char *buf, size_t size, unsigned long long n);

/* Escapes &, <, >, " and ' for HTML. */
char *render_html_escape(const char *text);

#ifdef __cplusplus
}
#endif

#endif /* RENDER_H */
