/* cmd_evaluate.c: `evaluate`, the test loss, accuracy and confusion matrix. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

#define HEATMAP_WIDTH 620
#define HEATMAP_HEIGHT 560

/* Scores the validation images with nn_evaluate, so the loss is the engine's exact
 * softmax cross-entropy on logits, the same number as the epoch's val_loss. nn_evaluate
 * scores a dataset's test images, so this hands it a view whose test set is a copy of the
 * validation images, with n_test covering all of them. */
int jk_confusion_on_validation(nn_model *model, const nn_dataset *ds, const nn_settings *s,
                               nn_evaluation *out, nn_error *err)
{
    nn_subsets subsets;
    nn_dataset view;
    nn_settings view_settings;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (nn_subsets_make(&subsets, ds, s, err) != 0)
        return -1;

    view = *ds;
    view.n_test = subsets.n_val;
    view.test_images = malloc((subsets.n_val ? subsets.n_val : 1) * NN_IMAGE_PIXELS);
    view.test_labels = malloc(subsets.n_val ? subsets.n_val : 1);
    if (!view.test_images || !view.test_labels) {
        err->code = NN_ERR_MEMORY;
        snprintf(err->message, sizeof err->message,
                 "out of memory copying %zu validation images", subsets.n_val);
        goto out;
    }
    for (size_t i = 0; i < subsets.n_val; i++) {
        memcpy(view.test_images + i * NN_IMAGE_PIXELS,
               ds->train_images + (size_t)subsets.val[i] * NN_IMAGE_PIXELS, NN_IMAGE_PIXELS);
        view.test_labels[i] = ds->train_labels[subsets.val[i]];
    }

    view_settings = *s;
    view_settings.n_test = (int)subsets.n_val;
    rc = nn_evaluate(model, &view, &view_settings, out, err);

out:
    free(view.test_images);
    free(view.test_labels);
    nn_subsets_free(&subsets);
    return rc;
}

static json_t *confusion_json(const nn_evaluation *ev, double per_class[NN_CLASSES])
{
    json_t *rows = json_array(), *accuracies = json_array();

    for (int t = 0; t < NN_CLASSES; t++) {
        json_t *row = json_array();

        for (int p = 0; p < NN_CLASSES; p++)
            json_array_append_new(row, json_integer(ev->confusion[t][p]));
        json_array_append_new(rows, row);
        json_array_append_new(accuracies, isnan(per_class[t]) ? json_null()
                                                              : json_real(per_class[t]));
    }
    return json_pack("{s:f, s:f, s:I, s:o, s:o}", "loss", ev->loss, "accuracy", ev->accuracy,
                     "count", (json_int_t)ev->count, "confusion", rows, "per_class_accuracy",
                     accuracies);
}

void jk_emit_confusion(jk_exec *ex, const nn_dataset *ds, const nn_evaluation *ev,
                       const char *what, int as_result)
{
    double values[NN_CLASSES * NN_CLASSES], per_class[NN_CLASSES];
    const char *labels[NN_CLASSES];
    char label_text[NN_CLASSES][8], title[160], count[32];
    size_t totals[NN_CLASSES];
    render_heatmap map;
    render_png png = {0};
    render_error err;
    jk_table table;
    jk_text text = {0};
    json_t *bundle, *figures;
    char *caption;

    for (int t = 0; t < NN_CLASSES; t++) {
        totals[t] = 0;
        for (int p = 0; p < NN_CLASSES; p++) {
            values[t * NN_CLASSES + p] = ev->confusion[t][p];
            totals[t] += ev->confusion[t][p];
        }
        per_class[t] = totals[t] ? (double)ev->confusion[t][t] / totals[t] : NAN;
        snprintf(label_text[t], sizeof label_text[t], "%d", t);
        labels[t] = label_text[t];
    }

    /* The summary line, shared by the picture and the table. */
    render_format_count(count, sizeof count, ev->count);
    jk_text_printf(&text, "%c%s accuracy %.4f, loss %.4f on %s images", toupper((unsigned char)what[0]),
                   what + 1, ev->accuracy, ev->loss, count);
    jk_text_printf(&text, "\nPer-class accuracy:");
    for (int t = 0; t < NN_CLASSES; t++)
        if (!isnan(per_class[t]))
            jk_text_printf(&text, "%s %s %.3f", t ? "," : "", ds->class_names[t], per_class[t]);

    /* The image count stays out of the title so that it fits the heatmap's width. */
    snprintf(title, sizeof title, "%c%s confusion matrix: accuracy %.3f, loss %.4g",
             toupper((unsigned char)what[0]), what + 1, ev->accuracy, ev->loss);
    memset(&map, 0, sizeof map);
    map.title = title;
    map.x_label = "predicted label";
    map.y_label = "true label";
    map.values = values;
    map.rows = map.cols = NN_CLASSES;
    map.row_labels = labels;
    map.col_labels = labels;
    map.colormap = RENDER_CMAP_VIRIDIS;
    map.annotate = 1;
    map.number_format = "%.0f";
    map.colorbar = 1;
    bundle = jk_bundle_new(text.text);
    if (render_heatmap_png(&map, HEATMAP_WIDTH, HEATMAP_HEIGHT, &png, &err) == 0)
        jk_bundle_add_png(bundle, NULL, &png);
    else
        jk_emit_stderr_printf(ex, "warning: drawing the confusion matrix failed: %s\n",
                              err.message);
    figures = confusion_json(ev, per_class);
    json_object_set_new(figures, "subset", json_string(what));
    jk_bundle_add_json(bundle, json_deep_copy(figures));
    if (as_result)
        jk_emit_result(ex, bundle, NULL);
    else
        jk_emit_display(ex, bundle, NULL, NULL);
    render_png_free(&png);

    /* The same matrix as a table: true labels down, predicted labels across. */
    int named = !jk_dataset_names_are_digits(ds);
    size_t first = named ? 2 : 1;

    jk_table_init(&table, NN_CLASSES + first + 2);
    jk_table_column(&table, 0, "True", RENDER_ALIGN_RIGHT);
    if (named)
        jk_table_column(&table, 1, "Class", RENDER_ALIGN_LEFT);
    for (int p = 0; p < NN_CLASSES; p++)
        jk_table_column(&table, first + (size_t)p, labels[p], RENDER_ALIGN_RIGHT);
    jk_table_column(&table, first + NN_CLASSES, "Total", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, first + NN_CLASSES + 1, "Accuracy", RENDER_ALIGN_RIGHT);
    for (int t = 0; t < NN_CLASSES; t++) {
        size_t row = jk_table_add_row(&table);

        jk_table_set(&table, row, 0, "%d", t);
        if (named)
            jk_table_set(&table, row, 1, "%s", ds->class_names[t]);
        for (int p = 0; p < NN_CLASSES; p++)
            jk_table_set(&table, row, first + (size_t)p, "%u", (unsigned)ev->confusion[t][p]);
        jk_table_set(&table, row, first + NN_CLASSES, "%zu", totals[t]);
        if (isnan(per_class[t]))
            jk_table_set(&table, row, first + NN_CLASSES + 1, "-");
        else
            jk_table_set(&table, row, first + NN_CLASSES + 1, "%.3f", per_class[t]);
    }
    caption = jk_strdup_printf("Confusion matrix on the %s images (rows: true label, "
                               "columns: predicted)", what);
    jk_text_free(&text);
    /* The footer is the HTML's only place for the loss, because the heatmap's text/plain
     * summary is hidden behind its PNG in Notebook. */
    jk_text_printf(&text, "%c%s accuracy %.4f, loss %.4f on %s images",
                   toupper((unsigned char)what[0]), what + 1, ev->accuracy, ev->loss, count);
    bundle = jk_bundle_table(jk_table_view(&table, caption, text.text), NULL);
    jk_bundle_add_json(bundle, json_deep_copy(figures));
    jk_emit_display(ex, bundle, NULL, NULL);
    json_decref(figures);
    free(caption);
    jk_table_free(&table);
    jk_text_free(&text);
}

int jk_cmd_evaluate(jk_exec *ex, const jk_command *cmd)
{
    static const char *const allowed[] = {"test", "seed", NULL};
    jk_session *session = jk_session_get();
    jk_model_entry *entry;
    const nn_dataset *ds;
    nn_settings settings;
    nn_evaluation ev;
    nn_error err;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, allowed) != 0)
        return -1;
    if (!(entry = jk_session_require_model(ex)))
        return -1;
    if (!(ds = jk_session_require_dataset(ex)))
        return -1;
    settings = session->settings;
    if (jk_settings_from_options(ex, cmd, ds, &settings) != 0)
        return -1;

    if (nn_evaluate(entry->model, ds, &settings, &ev, &err) != 0)
        return jk_fail_nn(ex, NULL, &err);
    entry->evaluated = 1;
    entry->test_accuracy = ev.accuracy;
    entry->test_loss = ev.loss;
    jk_emit_confusion(ex, ds, &ev, "test", 1);
    return 0;
}
