/* cmd_histogram.c: `histogram WEIGHT|all`, the value distribution of weights. */
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

#define HISTOGRAM_WIDTH 720
#define HISTOGRAM_HEIGHT 360

/* Draws one weight's histogram and appends its description and statistics. */
static int draw_weight(jk_exec *ex, nn_model *model, size_t index, size_t bins, render_png *out,
                       jk_text *text, json_t *list)
{
    const nn_weight_view *w = nn_model_weight(model, index);
    float *values = malloc(w->count * sizeof *values);
    render_histogram_data h;
    render_error err;
    char count[32];
    int rc;

    if (!values)
        return jk_fail(ex, JK_MODEL_ERROR, NULL, "out of memory copying %s", w->name);
    nn_weight_copy_keras(model, index, values);
    rc = render_histogram_compute(values, w->count, bins, &h, &err);
    free(values);
    if (rc != 0)
        return jk_fail(ex, JK_MODEL_ERROR, NULL, "binning %s failed: %s", w->name, err.message);
    rc = render_histogram_png(w->name, &h, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT, out, &err);
    if (rc != 0) {
        render_histogram_data_free(&h);
        return jk_fail(ex, JK_MODEL_ERROR, NULL, "drawing %s failed: %s", w->name, err.message);
    }

    render_format_count(count, sizeof count, w->count);
    jk_text_printf(text, "%sHistogram of %s: %s values in %zu bins from %.4g to %.4g; "
                   "min %.4g, max %.4g, mean %.4g, standard deviation %.4g",
                   text->length ? "\n" : "", w->name, count, h.bins, h.lo, h.hi, h.min, h.max,
                   h.mean, h.stddev);
    if (h.nonfinite)
        jk_text_printf(text, "; %zu values are NaN or infinite and are not counted", h.nonfinite);

    json_t *counts = json_array();
    for (size_t b = 0; b < h.bins; b++)
        json_array_append_new(counts, json_integer((json_int_t)h.counts[b]));
    json_array_append_new(list, json_pack("{s:s, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:o}",
                                          "name", w->name, "count", (json_int_t)w->count, "lo",
                                          h.lo, "hi", h.hi, "min", h.min, "max", h.max, "mean",
                                          h.mean, "stddev", h.stddev, "nonfinite",
                                          (json_int_t)h.nonfinite, "bins", counts));
    render_histogram_data_free(&h);
    return 0;
}

int jk_cmd_histogram(jk_exec *ex, const jk_command *cmd)
{
    static const char *const allowed[] = {"bins", NULL};
    jk_model_entry *entry;
    long bins = 30, index;
    size_t first, last, n;
    render_png *parts = NULL, picture = {0};
    render_error err;
    jk_text text = {0};
    json_t *list, *bundle;
    int rc = -1;

    if (jk_check_args(ex, cmd, 1) != 0 || jk_check_options(ex, cmd, allowed) != 0)
        return -1;
    if (jk_option_int(ex, cmd, "bins", 2, 200, &bins) < 0)
        return -1;
    if (!(entry = jk_session_require_model(ex)))
        return -1;
    if (cmd->n_args == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL,
                       "histogram needs a weight name, e.g. `histogram %s`, or `histogram all`; "
                       "`weights` lists the names",
                       nn_model_weight(entry->model, 0)->name);

    if (strcmp(cmd->args[0].text, "all") == 0) {
        first = 0;
        last = nn_model_weight_count(entry->model);
    } else {
        index = nn_model_find_weight(entry->model, cmd->args[0].text);
        if (index < 0)
            return jk_fail(ex, JK_MODEL_ERROR, &cmd->args[0],
                           "model %s has no weight named '%s'; `weights` lists the names "
                           "(e.g. %s), or press Tab to complete",
                           entry->name, cmd->args[0].text, nn_model_weight(entry->model, 0)->name);
        first = (size_t)index;
        last = first + 1;
    }

    n = last - first;
    parts = calloc(n, sizeof *parts);
    list = json_array();
    for (size_t i = 0; i < n; i++)
        if (draw_weight(ex, entry->model, first + i, (size_t)bins, &parts[i], &text, list) != 0) {
            json_decref(list);
            goto out;
        }
    if (n == 1) {
        picture = parts[0];
        memset(&parts[0], 0, sizeof parts[0]);
    } else if (render_png_stack(parts, n, &picture, &err) != 0) {
        json_decref(list);
        rc = jk_fail(ex, JK_MODEL_ERROR, NULL, "stacking the histograms failed: %s", err.message);
        goto out;
    }

    bundle = jk_bundle_new(text.text);
    jk_bundle_add_png(bundle, NULL, &picture);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:o}", "model", entry->name, "histograms", list));
    jk_emit_result(ex, bundle, NULL);
    rc = 0;

out:
    for (size_t i = 0; parts && i < n; i++)
        render_png_free(&parts[i]);
    free(parts);
    render_png_free(&picture);
    jk_text_free(&text);
    return rc;
}
