/* cmd_show.c: `show weights [LAYER]` and `show activations [sample=N|file=PNG]`. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "digit_input.h"
#include "model_commands.h"
#include "session.h"

#define IMAGE_CELL 80
#define BAR_WIDTH 900
#define BAR_HEIGHT 260

/*** weights ***/

static long kernel_of_layer(const nn_model *model, size_t layer)
{
    char name[160];

    snprintf(name, sizeof name, "%s/kernel", nn_model_layer(model, layer)->name);
    return nn_model_find_weight(model, name);
}

long jk_first_weighted_layer(const nn_model *model)
{
    for (size_t i = 0; i < nn_model_layer_count(model); i++)
        if (kernel_of_layer(model, i) >= 0)
            return (long)i;
    return -1;
}

/* Draws a dense kernel [784, units] as one 28x28 image per unit. */
static int draw_dense_images(const nn_model *model, size_t layer, const float *kernel, int units,
                             const char *title, render_png *out, render_error *err)
{
    const nn_layer_info *info = nn_model_layer(model, layer);
    int is_output = layer + 1 == nn_model_layer_count(model) && units == NN_CLASSES;
    float *images = malloc((size_t)units * NN_IMAGE_PIXELS * sizeof *images);
    const float **views = malloc((size_t)units * sizeof *views);
    char (*captions)[32] = malloc((size_t)units * sizeof *captions);
    const char **caption_ptrs = malloc((size_t)units * sizeof *caption_ptrs);
    render_image_grid grid;
    int rc = -1;

    (void)info;
    if (!images || !views || !captions || !caption_ptrs)
        goto out;
    for (int u = 0; u < units; u++) {
        for (int p = 0; p < NN_IMAGE_PIXELS; p++)
            images[(size_t)u * NN_IMAGE_PIXELS + p] = kernel[(size_t)p * units + u];
        views[u] = images + (size_t)u * NN_IMAGE_PIXELS;
        if (is_output)
            snprintf(captions[u], sizeof captions[u], "class %d", u);
        else
            snprintf(captions[u], sizeof captions[u], "unit %d", u);
        caption_ptrs[u] = captions[u];
    }
    memset(&grid, 0, sizeof grid);
    grid.title = title;
    grid.images = views;
    grid.n = (size_t)units;
    grid.rows = grid.cols = NN_IMAGE_SIDE;
    grid.grid_columns = units <= 10 ? units : 16;
    grid.captions = units <= 32 ? caption_ptrs : NULL;
    grid.colormap = RENDER_CMAP_DIVERGING;
    grid.colorbar = 1;
    grid.cell_size = units <= 10 ? 72 : 0;
    rc = render_image_grid_png(&grid, out, err);

out:
    free(images);
    free(views);
    free(captions);
    free(caption_ptrs);
    return rc;
}

/* Draws a conv kernel [kh, kw, in, out] as in*out filter images, one row per input channel. */
static int draw_conv_filters(const float *kernel, const int *shape, const char *title,
                             render_png *out, render_error *err)
{
    int kh = shape[0], kw = shape[1], in = shape[2], filters = shape[3];
    size_t n = (size_t)in * filters;
    float *images = malloc(n * kh * kw * sizeof *images);
    const float **views = malloc(n * sizeof *views);
    char (*captions)[32] = malloc(n * sizeof *captions);
    const char **caption_ptrs = malloc(n * sizeof *caption_ptrs);
    render_image_grid grid;
    int rc = -1;

    if (!images || !views || !captions || !caption_ptrs)
        goto out;
    for (int i = 0; i < in; i++)
        for (int o = 0; o < filters; o++) {
            size_t index = (size_t)i * filters + o;
            float *image = images + index * kh * kw;

            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    image[y * kw + x] = kernel[(((size_t)y * kw + x) * in + i) * filters + o];
            views[index] = image;
            if (in == 1)
                snprintf(captions[index], sizeof captions[index], "filter %d", o);
            else
                snprintf(captions[index], sizeof captions[index], "%d\u2192%d", i, o);
            caption_ptrs[index] = captions[index];
        }
    memset(&grid, 0, sizeof grid);
    grid.title = title;
    grid.images = views;
    grid.n = n;
    grid.rows = kh;
    grid.cols = kw;
    /* One row per input channel; a first layer's filters wrap after 16. */
    grid.grid_columns = filters;
    if (in == 1 && filters > 16)
        grid.grid_columns = 16;
    grid.captions = in == 1 || filters <= 16 ? caption_ptrs : NULL;
    grid.colormap = RENDER_CMAP_DIVERGING;
    grid.colorbar = 1;
    grid.cell_size = in == 1 ? IMAGE_CELL : 0;
    rc = render_image_grid_png(&grid, out, err);

out:
    free(images);
    free(views);
    free(captions);
    free(caption_ptrs);
    return rc;
}

/* Draws a later dense kernel [in, out] as a heatmap. */
static int draw_dense_heatmap(const float *kernel, const int *shape, const char *title,
                              render_png *out, render_error *err)
{
    size_t n = (size_t)shape[0] * shape[1];
    double *values = malloc(n * sizeof *values);
    render_heatmap map;
    int rc;

    if (!values) {
        snprintf(err->message, sizeof err->message, "out of memory for %zu weights", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        values[i] = kernel[i];
    memset(&map, 0, sizeof map);
    map.title = title;
    map.x_label = "unit of this layer";
    map.y_label = "input unit";
    map.values = values;
    map.rows = shape[0];
    map.cols = shape[1];
    map.colormap = RENDER_CMAP_DIVERGING;
    map.annotate = n <= 100;
    map.number_format = "%.2f";
    map.colorbar = 1;
    rc = render_heatmap_png(&map, 0, shape[0] > 40 ? 720 : 0, out, err);
    free(values);
    return rc;
}

int jk_draw_layer_weights(const nn_model *model, size_t layer, const char *title, render_png *out,
                          char *text, size_t text_size, render_error *err)
{
    long index = kernel_of_layer(model, layer);
    const nn_weight_view *w;
    float *kernel;
    nn_weight_stats stats;
    int rc;

    if (index < 0) {
        snprintf(err->message, sizeof err->message, "layer %s has no kernel",
                 nn_model_layer(model, layer)->name);
        return -1;
    }
    w = nn_model_weight(model, (size_t)index);
    if (!(kernel = malloc(w->count * sizeof *kernel))) {
        snprintf(err->message, sizeof err->message, "out of memory for %s", w->name);
        return -1;
    }
    nn_weight_copy_keras(model, (size_t)index, kernel);
    nn_weight_stats_compute(kernel, w->count, &stats);

    if (w->ndim == 2 && w->shape[0] == NN_IMAGE_PIXELS) {
        rc = draw_dense_images(model, layer, kernel, w->shape[1], title, out, err);
        snprintf(text, text_size, "%s: %d images of 28x28, one per unit, showing the weight "
                 "of every input pixel (red positive, blue negative, white zero; range %.3f "
                 "to %.3f)", title, w->shape[1], stats.min, stats.max);
    } else if (w->ndim == 4) {
        rc = draw_conv_filters(kernel, w->shape, title, out, err);
        snprintf(text, text_size, "%s: %d filters of %dx%d for each of %d input channels, one "
                 "row per input channel, captioned input \u2192 filter (red positive, blue negative, white zero; range %.3f "
                 "to %.3f)", title, w->shape[3], w->shape[0], w->shape[1], w->shape[2],
                 stats.min, stats.max);
    } else {
        rc = draw_dense_heatmap(kernel, w->shape, title, out, err);
        snprintf(text, text_size, "%s: heatmap of the %dx%d kernel, rows are inputs and "
                 "columns units (range %.3f to %.3f)", title, w->shape[0], w->shape[1],
                 stats.min, stats.max);
    }
    free(kernel);
    return rc;
}

static int show_weights(jk_exec *ex, const jk_command *cmd, jk_model_entry *entry)
{
    long layer;
    char title[200], text[600];
    render_png png = {0};
    render_error err;
    json_t *bundle;

    if (cmd->n_args == 2) {
        layer = -1;
        for (size_t i = 0; i < nn_model_layer_count(entry->model); i++)
            if (strcmp(nn_model_layer(entry->model, i)->name, cmd->args[1].text) == 0)
                layer = (long)i;
        if (layer < 0)
            return jk_fail(ex, JK_MODEL_ERROR, &cmd->args[1],
                           "model %s has no layer named '%s'; `summary` lists the layers, or "
                           "press Tab to complete", entry->name, cmd->args[1].text);
        if (kernel_of_layer(entry->model, (size_t)layer) < 0)
            return jk_fail(ex, JK_MODEL_ERROR, &cmd->args[1],
                           "layer %s has no weights to show; pick a dense or conv2d layer",
                           cmd->args[1].text);
    } else if ((layer = jk_first_weighted_layer(entry->model)) < 0) {
        return jk_fail(ex, JK_MODEL_ERROR, NULL, "model %s has no layer with weights",
                       entry->name);
    }

    snprintf(title, sizeof title, "Weights of %s in model %s",
             nn_model_layer(entry->model, (size_t)layer)->name, entry->name);
    if (jk_draw_layer_weights(entry->model, (size_t)layer, title, &png, text, sizeof text,
                              &err) != 0)
        return jk_fail(ex, JK_MODEL_ERROR, NULL, "drawing the weights failed: %s", err.message);

    const nn_weight_view *w = nn_model_weight(entry->model,
                                              (size_t)kernel_of_layer(entry->model, (size_t)layer));
    nn_weight_stats stats;
    nn_weight_stats_compute(w->data, w->count, &stats);
    bundle = jk_bundle_new(text);
    jk_bundle_add_png(bundle, NULL, &png);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:s, s:s, s:f, s:f, s:f, s:f, s:I}", "model",
                                         entry->name, "layer",
                                         nn_model_layer(entry->model, (size_t)layer)->name,
                                         "weight", w->name, "min", stats.min, "max", stats.max,
                                         "mean", stats.mean, "stddev", stats.stddev, "count",
                                         (json_int_t)w->count));
    jk_emit_result(ex, bundle, NULL);
    render_png_free(&png);
    return 0;
}

/*** activations ***/

/* Draws the channels of an h x w x c activation (channel-last) as c images. */
static int draw_feature_maps(const float *values, const int *shape, const char *title,
                             render_png *out, render_error *err)
{
    int h = shape[0], w = shape[1], c = shape[2];
    float *maps = malloc((size_t)h * w * c * sizeof *maps);
    const float **views = malloc((size_t)c * sizeof *views);
    char (*captions)[24] = malloc((size_t)c * sizeof *captions);
    const char **caption_ptrs = malloc((size_t)c * sizeof *caption_ptrs);
    render_image_grid grid;
    float peak = 0;
    int rc = -1;

    if (!maps || !views || !captions || !caption_ptrs)
        goto out;
    for (int k = 0; k < c; k++) {
        for (int p = 0; p < h * w; p++) {
            float v = values[(size_t)p * c + k];

            maps[(size_t)k * h * w + p] = v;
            if (v > peak)
                peak = v;
        }
        views[k] = maps + (size_t)k * h * w;
        snprintf(captions[k], sizeof captions[k], "channel %d", k);
        caption_ptrs[k] = captions[k];
    }
    memset(&grid, 0, sizeof grid);
    grid.title = title;
    grid.images = views;
    grid.n = (size_t)c;
    grid.rows = h;
    grid.cols = w;
    grid.grid_columns = c <= 8 ? c : 8;
    grid.captions = caption_ptrs;
    grid.colormap = RENDER_CMAP_VIRIDIS;
    grid.lo = 0;
    grid.hi = peak > 0 ? peak : 1;
    grid.colorbar = 1;
    grid.cell_size = 96;
    rc = render_image_grid_png(&grid, out, err);

out:
    free(maps);
    free(views);
    free(captions);
    free(caption_ptrs);
    return rc;
}

static int draw_unit_bars(const float *values, int units, int is_output, const nn_dataset *ds,
                          const char *title, render_png *out, render_error *err)
{
    double *bars = malloc((size_t)units * sizeof *bars);
    char (*labels)[32] = malloc((size_t)units * sizeof *labels);
    const char **label_ptrs = malloc((size_t)units * sizeof *label_ptrs);
    render_bar_chart chart;
    long best = 0;
    int rc = -1;

    if (!bars || !labels || !label_ptrs)
        goto out;
    for (int u = 0; u < units; u++) {
        bars[u] = values[u];
        if (values[u] > values[best])
            best = u;
        if (is_output)
            snprintf(labels[u], sizeof labels[u], "%s", ds->class_names[u]);
        else if (units <= 32 || u % 8 == 0)
            snprintf(labels[u], sizeof labels[u], "%d", u);
        else
            labels[u][0] = '\0';
        label_ptrs[u] = labels[u];
    }
    memset(&chart, 0, sizeof chart);
    chart.title = title;
    chart.x_label = is_output ? "class" : "unit";
    chart.y_label = is_output ? "probability" : "activation";
    chart.labels = label_ptrs;
    chart.values = bars;
    chart.n = (size_t)units;
    chart.highlight = is_output ? best : -1;
    chart.y_min = is_output ? 0 : NAN;
    chart.y_max = is_output ? 1 : NAN;
    chart.show_values = units <= 12;
    rc = render_bar_chart_png(&chart, BAR_WIDTH, BAR_HEIGHT, out, err);

out:
    free(bars);
    free(labels);
    free(label_ptrs);
    return rc;
}

static int show_activations(jk_exec *ex, const jk_command *cmd, jk_model_entry *entry)
{
    static const char *const allowed[] = {"sample", "file", NULL};
    const nn_dataset *ds;
    jk_digit_input input;
    nn_activations acts;
    nn_error nn_err;
    render_error err;
    size_t n_layers = nn_model_layer_count(entry->model), n_parts = 0;
    render_png *parts = NULL, picture = {0};
    jk_text text = {0};
    json_t *layers = json_array(), *bundle;
    char title[1300];
    int rc = -1;

    if (jk_check_options(ex, cmd, allowed) != 0)
        goto out;
    if (!(ds = jk_session_require_dataset(ex)))
        goto out;
    if (jk_digit_input_read(ex, cmd, ds, &input) != 0)
        goto out;
    if (nn_model_activations(entry->model, input.pixels, &acts, &nn_err) != 0) {
        rc = jk_fail_nn(ex, NULL, &nn_err);
        goto out;
    }

    parts = calloc(n_layers + 1, sizeof *parts);
    snprintf(title, sizeof title, "Input: %s", input.description);
    if (jk_digit_input_png(input.pixels, title, 140, 0, &parts[n_parts], &err) != 0)
        goto draw_failed;
    n_parts++;
    jk_text_printf(&text, "Activations of model %s for %s", entry->name, input.description);

    for (size_t i = 0; i < n_layers; i++) {
        const nn_layer_info *layer = nn_model_layer(entry->model, i);
        const float *values = acts.values[i];
        size_t count = acts.counts[i];
        char shape[64];
        double lo = DBL_MAX, hi = -DBL_MAX, sum = 0;
        size_t best = 0;

        for (size_t k = 0; k < count; k++) {
            lo = fmin(lo, values[k]);
            hi = fmax(hi, values[k]);
            sum += values[k];
            if (values[k] > values[best])
                best = k;
        }
        jk_format_shape(shape, sizeof shape, layer->output_shape, layer->output_ndim, 0);
        json_array_append_new(layers, json_pack("{s:s, s:s, s:f, s:f, s:f}", "name", layer->name,
                                                "shape", shape, "min", lo, "max", hi, "mean",
                                                count ? sum / count : 0.0));

        if (layer->kind == NN_LAYER_CONV2D || layer->kind == NN_LAYER_MAX_POOLING2D) {
            snprintf(title, sizeof title, "%s %s", layer->name, shape);
            if (draw_feature_maps(values, layer->output_shape, title, &parts[n_parts], &err) != 0)
                goto draw_failed;
            n_parts++;
            jk_text_printf(&text, "\n%s %s: %d feature maps, values %.3f to %.3f", layer->name,
                           shape, layer->output_shape[2], lo, hi);
        } else if (layer->kind == NN_LAYER_DENSE) {
            int is_output = i + 1 == n_layers && count == NN_CLASSES;

            snprintf(title, sizeof title, "%s %s%s", layer->name, shape,
                     is_output ? ": class probabilities" : ": unit activations");
            if (draw_unit_bars(values, (int)count, is_output, ds, title, &parts[n_parts],
                               &err) != 0)
                goto draw_failed;
            n_parts++;
            if (is_output)
                jk_text_printf(&text, "\n%s %s: predicted %s with probability %.3f",
                               layer->name, shape, ds->class_names[best], values[best]);
            else
                jk_text_printf(&text, "\n%s %s: %zu units, values %.3f to %.3f, strongest "
                               "unit %zu", layer->name, shape, count, lo, hi, best);
        }
    }

    if (render_png_stack(parts, n_parts, &picture, &err) != 0)
        goto draw_failed;
    bundle = jk_bundle_new(text.text);
    jk_bundle_add_png(bundle, NULL, &picture);
    json_t *info = json_pack("{s:s, s:s, s:o}", "model", entry->name, "input", input.description,
                             "layers", layers);
    layers = NULL;
    if (input.label >= 0)
        json_object_set_new(info, "label", json_integer(input.label));
    jk_bundle_add_json(bundle, info);
    jk_emit_result(ex, bundle, NULL);
    rc = 0;
    goto done;

draw_failed:
    rc = jk_fail(ex, JK_MODEL_ERROR, NULL, "drawing the activations failed: %s", err.message);
done:
    nn_activations_free(&acts);
out:
    for (size_t i = 0; parts && i < n_parts; i++)
        render_png_free(&parts[i]);
    free(parts);
    render_png_free(&picture);
    jk_text_free(&text);
    json_decref(layers);
    return rc;
}

/*** the command ***/

int jk_cmd_show(jk_exec *ex, const jk_command *cmd)
{
    jk_model_entry *entry;

    if (jk_check_args(ex, cmd, 2) != 0)
        return -1;
    if (cmd->n_args == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL,
                       "show needs what to show: `show weights [LAYER]` or "
                       "`show activations [sample=N|file=PNG]`");
    if (strcmp(cmd->args[0].text, "weights") == 0) {
        if (jk_check_options(ex, cmd, (const char *const[]){NULL}) != 0)
            return -1;
        if (!(entry = jk_session_require_model(ex)))
            return -1;
        return show_weights(ex, cmd, entry);
    }
    if (strcmp(cmd->args[0].text, "activations") == 0) {
        if (jk_check_args(ex, cmd, 1) != 0)
            return -1;
        if (!(entry = jk_session_require_model(ex)))
            return -1;
        return show_activations(ex, cmd, entry);
    }
    return jk_fail(ex, JK_COMMAND_ERROR, &cmd->args[0],
                   "cannot show '%s'; use `show weights [LAYER]` or `show activations`",
                   cmd->args[0].text);
}

void jk_complete_show(const char *prefix, json_t *matches)
{
    static const char *const words[] = {"weights", "activations", NULL};

    for (int i = 0; words[i]; i++)
        if (strncmp(words[i], prefix, strlen(prefix)) == 0)
            json_array_append_new(matches, json_string(words[i]));
    jk_complete_layer(prefix, matches);
}
