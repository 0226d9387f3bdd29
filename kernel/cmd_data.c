/* cmd_data.c: `data`, which loads a dataset and shows what is in it. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

#define DATA_PREVIEW_SAMPLES 12

static void count_labels(const uint8_t *labels, size_t n, size_t counts[NN_CLASSES])
{
    memset(counts, 0, NN_CLASSES * sizeof counts[0]);
    for (size_t i = 0; i < n; i++)
        if (labels[i] < NN_CLASSES)
            counts[labels[i]]++;
}

static void emit_class_table(jk_exec *ex, const nn_dataset *ds, const nn_settings *s)
{
    size_t train[NN_CLASSES], test[NN_CLASSES];
    int named = !jk_dataset_names_are_digits(ds);
    size_t col = 0, row;
    char count[32], used_train[32], used_test[32], val[32];
    jk_table table;
    json_t *bundle, *counts_json = json_array();
    char *caption, *usage, *table_text, *plain;

    count_labels(ds->train_labels, ds->n_train, train);
    count_labels(ds->test_labels, ds->n_test, test);

    jk_table_init(&table, named ? 4 : 3);
    jk_table_column(&table, col++, "Label", RENDER_ALIGN_RIGHT);
    if (named)
        jk_table_column(&table, col++, "Class", RENDER_ALIGN_LEFT);
    jk_table_column(&table, col++, "Train", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, col, "Test", RENDER_ALIGN_RIGHT);
    for (int c = 0; c < NN_CLASSES; c++) {
        row = jk_table_add_row(&table);
        col = 0;
        jk_table_set(&table, row, col++, "%d", c);
        if (named)
            jk_table_set(&table, row, col++, "%s", ds->class_names[c]);
        render_format_count(count, sizeof count, train[c]);
        jk_table_set(&table, row, col++, "%s", count);
        render_format_count(count, sizeof count, test[c]);
        jk_table_set(&table, row, col, "%s", count);
        json_array_append_new(counts_json, json_pack("{s:i, s:s, s:I, s:I}", "label", c, "class",
                                                     ds->class_names[c], "train",
                                                     (json_int_t)train[c], "test",
                                                     (json_int_t)test[c]));
    }
    row = jk_table_add_row(&table);
    col = 0;
    jk_table_set(&table, row, col++, "Total");
    if (named)
        col++;
    render_format_count(count, sizeof count, ds->n_train);
    jk_table_set(&table, row, col++, "%s", count);
    render_format_count(count, sizeof count, ds->n_test);
    jk_table_set(&table, row, col, "%s", count);

    /* The usage line stays out of the HTML table, where a long footer would stretch it. */
    render_format_count(used_train, sizeof used_train, (unsigned long long)s->n_train);
    render_format_count(used_test, sizeof used_test, (unsigned long long)s->n_test);
    render_format_count(val, sizeof val, (unsigned long long)s->n_val);
    usage = jk_strdup_printf("Training uses train=%s images plus val=%s held out for "
                             "validation; evaluate scores test=%s.", used_train, val, used_test);
    /* Short, because Notebook wraps a caption at the width of this narrow table. */
    caption = jk_strdup_printf("Dataset %s", ds->name);
    table_text = render_table_text(jk_table_view(&table, caption, NULL));
    plain = jk_strdup_printf("%s%s", table_text ? table_text : "", usage);

    bundle = jk_bundle_new(plain);
    jk_bundle_add_html_table(bundle, &table.table);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:s, s:I, s:I, s:o, s:i, s:i, s:i}", "dataset",
                                         ds->name, "source", ds->source, "n_train",
                                         (json_int_t)ds->n_train, "n_test",
                                         (json_int_t)ds->n_test, "classes", counts_json,
                                         "train", s->n_train, "val", s->n_val, "test",
                                         s->n_test));
    jk_emit_result(ex, bundle, NULL);

    free(caption);
    free(usage);
    free(table_text);
    free(plain);
    jk_table_free(&table);
}

static void emit_preview(jk_exec *ex, const nn_dataset *ds, const nn_settings *s)
{
    const uint8_t *images[DATA_PREVIEW_SAMPLES];
    char captions[DATA_PREVIEW_SAMPLES][64];
    const char *caption_ptrs[DATA_PREVIEW_SAMPLES];
    size_t n = ds->n_train < DATA_PREVIEW_SAMPLES ? ds->n_train : DATA_PREVIEW_SAMPLES;
    render_png png = {0};
    render_error err;
    jk_text text = {0};
    json_t *indices = json_array(), *labels = json_array(), *bundle;
    nn_rng rng;

    nn_rng_seed(&rng, s->seed, NN_STREAM_SAMPLES);
    jk_text_printf(&text, "%zu random training images (index: label):", n);
    for (size_t i = 0; i < n; i++) {
        size_t index = (size_t)nn_rng_below(&rng, ds->n_train);
        int label = ds->train_labels[index];

        images[i] = ds->train_images + index * NN_IMAGE_PIXELS;
        snprintf(captions[i], sizeof captions[i], "%s", ds->class_names[label]);
        caption_ptrs[i] = captions[i];
        jk_text_printf(&text, "%s %zu: %s", i ? "," : "", index, ds->class_names[label]);
        json_array_append_new(indices, json_integer((json_int_t)index));
        json_array_append_new(labels, json_integer(label));
    }

    if (jk_draw_digit_grid("Random training images", images, caption_ptrs, n, &png, &err) != 0) {
        jk_emit_stderr_printf(ex, "warning: drawing the sample images failed: %s\n", err.message);
        json_decref(indices);
        json_decref(labels);
        jk_text_free(&text);
        return;
    }
    bundle = jk_bundle_new(text.text);
    jk_bundle_add_png(bundle, NULL, &png);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:o, s:o}", "from", "train", "indices", indices,
                                         "labels", labels));
    jk_emit_display(ex, bundle, NULL, NULL);
    render_png_free(&png);
    jk_text_free(&text);
}

int jk_cmd_data(jk_exec *ex, const jk_command *cmd)
{
    static const char *const allowed[] = {"train", "test", "val", "path", NULL};
    jk_session *session = jk_session_get();
    const char *path = NULL;
    nn_settings next;

    if (jk_check_args(ex, cmd, 1) != 0 || jk_check_options(ex, cmd, allowed) != 0)
        return -1;
    if (jk_option_string(ex, cmd, "path", &path) < 0)
        return -1;

    if (cmd->n_args == 1) {
        const char *name = cmd->args[0].text;

        if (path && strcmp(name, "mnist") != 0)
            return jk_fail(ex, JK_OPTION_ERROR, jk_option_token(cmd, "path"),
                           "path= only applies to `data mnist`; for another directory of IDX "
                           "files write `data %s`", path);
        /* A word that is neither a dataset nor an existing path is most likely a misspelt
         * dataset name, so the error lists the datasets instead of a missing IDX file. */
        if (strcmp(name, "mnist") != 0 && strcmp(name, "fashion") != 0 &&
            access(name, F_OK) != 0)
            return jk_fail(ex, JK_DATA_ERROR, &cmd->args[0],
                           "no dataset or directory called '%s'; use data mnist, data fashion "
                           "or the path of a directory with the four IDX files", name);
        if (jk_session_load_dataset(ex, &cmd->args[0], name, path) != 0)
            return -1;
    } else if (path) {
        if (jk_session_load_dataset(ex, jk_option_token(cmd, "path"), "mnist", path) != 0)
            return -1;
    } else if (!jk_session_require_dataset(ex)) {
        return -1;
    }

    /* train= and test= change the session's settings, checked against the new data. */
    next = session->settings;
    if (jk_settings_from_options(ex, cmd, &session->dataset, &next) != 0)
        return -1;
    session->settings = next;

    emit_class_table(ex, &session->dataset, &session->settings);
    emit_preview(ex, &session->dataset, &session->settings);
    return 0;
}
