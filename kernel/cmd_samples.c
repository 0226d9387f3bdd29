/* cmd_samples.c: `samples`, a grid of dataset images with their labels. */
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

#define SAMPLES_DEFAULT 12
#define SAMPLES_MAX 100

int jk_draw_digit_grid(const char *title, const uint8_t *const *images, const char *const *captions,
                       size_t n, render_png *out, render_error *err)
{
    float *pixels = malloc(n * NN_IMAGE_PIXELS * sizeof *pixels);
    const float **views = malloc(n * sizeof *views);
    render_image_grid grid;
    int rc = -1;

    if (!pixels || !views) {
        if (err)
            snprintf(err->message, sizeof err->message, "out of memory for %zu images", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        for (int p = 0; p < NN_IMAGE_PIXELS; p++)
            pixels[i * NN_IMAGE_PIXELS + p] = images[i][p] / 255.0f;
        views[i] = pixels + i * NN_IMAGE_PIXELS;
    }

    memset(&grid, 0, sizeof grid);
    grid.title = title;
    grid.images = views;
    grid.n = n;
    grid.rows = grid.cols = NN_IMAGE_SIDE;
    grid.grid_columns = n > 12 ? 10 : (int)n;
    grid.captions = captions;
    grid.colormap = RENDER_CMAP_GREY_INK;
    grid.lo = 0;
    grid.hi = 1;
    grid.cell_size = 56;
    rc = render_image_grid_png(&grid, out, err);

out:
    free(pixels);
    free(views);
    return rc;
}

/* Picks up to n distinct indices among candidates (shuffled in place) with rng. */
static size_t pick(nn_rng *rng, size_t *candidates, size_t n_candidates, size_t n)
{
    if (n > n_candidates)
        n = n_candidates;
    for (size_t i = 0; i < n; i++) {
        size_t j = i + (size_t)nn_rng_below(rng, n_candidates - i);
        size_t tmp = candidates[i];

        candidates[i] = candidates[j];
        candidates[j] = tmp;
    }
    return n;
}

int jk_cmd_samples(jk_exec *ex, const jk_command *cmd)
{
    static const char *const allowed[] = {"label", "from", NULL};
    static const char *const sources[] = {"train", "test", NULL};
    /* The stream advances with every call, so repeated `samples` show new images while
     * the whole sequence stays fixed by the seed. */
    static nn_rng rng;
    static uint64_t rng_seed;
    static int rng_ready;
    const nn_dataset *ds;
    jk_session *session = jk_session_get();
    long n = SAMPLES_DEFAULT, label = -1;
    int from = 0, rc;
    size_t *candidates = NULL, n_candidates = 0, picked;
    const uint8_t **images = NULL, *pool_images, *pool_labels;
    const char **captions = NULL;
    char (*caption_text)[64] = NULL;
    size_t pool;
    render_png png = {0};
    render_error err;
    jk_text text = {0};
    json_t *bundle, *indices, *labels;
    char title[96];

    if (jk_check_args(ex, cmd, 1) != 0 || jk_check_options(ex, cmd, allowed) != 0)
        return -1;
    if (cmd->n_args == 1) {
        char *end;

        n = strtol(cmd->args[0].text, &end, 10);
        if (*end || n < 1 || n > SAMPLES_MAX)
            return jk_fail(ex, JK_OPTION_ERROR, &cmd->args[0],
                           "'%s' is not a valid number of samples; give an integer from 1 to %d, "
                           "e.g. `samples 24`", cmd->args[0].text, SAMPLES_MAX);
    }
    if (jk_option_int(ex, cmd, "label", 0, NN_CLASSES - 1, &label) < 0)
        return -1;
    if ((rc = jk_option_choice(ex, cmd, "from", sources, &from)) < 0)
        return -1;
    if (!(ds = jk_session_require_dataset(ex)))
        return -1;

    pool = from ? ds->n_test : ds->n_train;
    pool_images = from ? ds->test_images : ds->train_images;
    pool_labels = from ? ds->test_labels : ds->train_labels;
    candidates = malloc((pool ? pool : 1) * sizeof *candidates);
    images = malloc((size_t)n * sizeof *images);
    captions = malloc((size_t)n * sizeof *captions);
    caption_text = malloc((size_t)n * sizeof *caption_text);
    if (!candidates || !images || !captions || !caption_text) {
        rc = jk_fail(ex, JK_DATA_ERROR, NULL, "out of memory while choosing %ld samples", n);
        goto out;
    }
    for (size_t i = 0; i < pool; i++)
        if (label < 0 || pool_labels[i] == label)
            candidates[n_candidates++] = i;
    if (n_candidates == 0) {
        rc = jk_fail(ex, JK_DATA_ERROR, jk_option_token(cmd, "label"),
                     "the %s set of %s has no image with label %ld", sources[from], ds->name,
                     label);
        goto out;
    }

    if (!rng_ready || rng_seed != session->settings.seed) {
        nn_rng_seed(&rng, session->settings.seed, NN_STREAM_SAMPLES);
        rng_seed = session->settings.seed;
        rng_ready = 1;
    }
    picked = pick(&rng, candidates, n_candidates, (size_t)n);

    indices = json_array();
    labels = json_array();
    jk_text_printf(&text, "%zu %s images%s (index: label):", picked,
                   from ? "test" : "training", label >= 0 ? " of one class" : "");
    for (size_t i = 0; i < picked; i++) {
        size_t index = candidates[i];
        int l = pool_labels[index];

        images[i] = pool_images + index * NN_IMAGE_PIXELS;
        snprintf(caption_text[i], sizeof caption_text[i], "%s", ds->class_names[l]);
        captions[i] = caption_text[i];
        jk_text_printf(&text, "%s %zu: %s", i ? "," : "", index, ds->class_names[l]);
        json_array_append_new(indices, json_integer((json_int_t)index));
        json_array_append_new(labels, json_integer(l));
    }

    if (label >= 0)
        snprintf(title, sizeof title, "%s images labelled %s", from ? "Test" : "Training",
                 ds->class_names[label]);
    else
        snprintf(title, sizeof title, "Random %s images", from ? "test" : "training");
    if (jk_draw_digit_grid(title, images, captions, picked, &png, &err) != 0) {
        json_decref(indices);
        json_decref(labels);
        rc = jk_fail(ex, JK_DATA_ERROR, NULL, "drawing the samples failed: %s", err.message);
        goto out;
    }

    bundle = jk_bundle_new(text.text);
    jk_bundle_add_png(bundle, NULL, &png);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:o, s:o}", "from", sources[from], "indices",
                                         indices, "labels", labels));
    jk_emit_result(ex, bundle, NULL);
    rc = 0;

out:
    render_png_free(&png);
    jk_text_free(&text);
    free(candidates);
    free(images);
    free(captions);
    free(caption_text);
    return rc;
}
