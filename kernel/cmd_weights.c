/* cmd_weights.c: `weights`, a table of every weight tensor with its statistics. */
#include <stdlib.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

int jk_cmd_weights(jk_exec *ex, const jk_command *cmd)
{
    jk_model_entry *entry;
    jk_table table;
    json_t *bundle, *list = json_array();
    char shape[64], count[32], number[32];
    char *caption;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, (const char *const[]){NULL}) != 0)
        return -1;
    if (!(entry = jk_session_require_model(ex)))
        return -1;

    jk_table_init(&table, 8);
    jk_table_column(&table, 0, "Weight Name", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 1, "Shape", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 2, "Min", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 3, "Max", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 4, "# Params", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 5, "# Zeros", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 6, "# NaNs", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 7, "# Infinity", RENDER_ALIGN_RIGHT);
    for (size_t i = 0; i < nn_model_weight_count(entry->model); i++) {
        const nn_weight_view *w = nn_model_weight(entry->model, i);
        nn_weight_stats stats;
        size_t row = jk_table_add_row(&table);

        nn_weight_stats_compute(w->data, w->count, &stats);
        jk_format_shape(shape, sizeof shape, w->shape, w->ndim, 0);
        jk_table_set(&table, row, 0, "%s", w->name);
        jk_table_set(&table, row, 1, "%s", shape);
        render_format_number(number, sizeof number, stats.min);
        jk_table_set(&table, row, 2, "%s", number);
        render_format_number(number, sizeof number, stats.max);
        jk_table_set(&table, row, 3, "%s", number);
        render_format_count(count, sizeof count, w->count);
        jk_table_set(&table, row, 4, "%s", count);
        render_format_count(count, sizeof count, stats.zeros);
        jk_table_set(&table, row, 5, "%s", count);
        render_format_count(count, sizeof count, stats.nans);
        jk_table_set(&table, row, 6, "%s", count);
        render_format_count(count, sizeof count, stats.infinities);
        jk_table_set(&table, row, 7, "%s", count);
        json_array_append_new(list, json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:I, s:I, s:I, s:I}",
                                              "name", w->name, "shape", shape, "min", stats.min,
                                              "max", stats.max, "mean", stats.mean, "stddev",
                                              stats.stddev, "params", (json_int_t)w->count,
                                              "zeros", (json_int_t)stats.zeros, "nans",
                                              (json_int_t)stats.nans, "infinities",
                                              (json_int_t)stats.infinities));
    }

    caption = jk_strdup_printf("Weights of model %s", entry->name);
    bundle = jk_bundle_table(jk_table_view(&table, caption, NULL), NULL);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:o}", "model", entry->name, "weights", list));
    jk_emit_result(ex, bundle, NULL);
    free(caption);
    jk_table_free(&table);
    return 0;
}
