/* cmd_summary.c: `summary`, the architecture table of the current model. */
#include <stdio.h>
#include <stdlib.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

static const char *layer_kind_name(nn_layer_kind kind)
{
    switch (kind) {
    case NN_LAYER_FLATTEN: return "Flatten";
    case NN_LAYER_DENSE: return "Dense";
    case NN_LAYER_CONV2D: return "Conv2D";
    case NN_LAYER_MAX_POOLING2D: return "MaxPooling2D";
    case NN_LAYER_DROPOUT: return "Dropout";
    }
    return "Layer";
}

void jk_format_shape(char *buf, size_t size, const int *dims, int ndim, int with_batch)
{
    size_t used = (size_t)snprintf(buf, size, "[%s", with_batch ? "batch" : "");

    for (int i = 0; i < ndim && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%d", i || with_batch ? "," : "",
                                 dims[i]);
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

void jk_emit_summary(jk_exec *ex, const char *model_name, const nn_model *model)
{
    const nn_model_spec *spec = nn_model_get_spec(model);
    size_t n_layers = nn_model_layer_count(model);
    char shape[64], count[32], total[32];
    jk_table table;
    json_t *bundle, *layers = json_array();
    char *caption, *footer;

    jk_table_init(&table, 5);
    jk_table_column(&table, 0, "Layer Name", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 1, "Type", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 2, "Output Shape", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 3, "# Of Params", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 4, "Trainable", RENDER_ALIGN_LEFT);
    for (size_t i = 0; i < n_layers; i++) {
        const nn_layer_info *layer = nn_model_layer(model, i);
        size_t row = jk_table_add_row(&table);

        jk_format_shape(shape, sizeof shape, layer->output_shape, layer->output_ndim, 1);
        render_format_count(count, sizeof count, layer->params);
        jk_table_set(&table, row, 0, "%s", layer->name);
        if (layer->kind == NN_LAYER_DENSE || layer->kind == NN_LAYER_CONV2D)
            jk_table_set(&table, row, 1, "%s (%s)", layer_kind_name(layer->kind),
                         nn_activation_name(layer->activation));
        else
            jk_table_set(&table, row, 1, "%s", layer_kind_name(layer->kind));
        jk_table_set(&table, row, 2, "%s", shape);
        jk_table_set(&table, row, 3, "%s", count);
        jk_table_set(&table, row, 4, "%s", layer->trainable ? "true" : "false");
        json_array_append_new(layers, json_pack("{s:s, s:s, s:s, s:I, s:b}", "name", layer->name,
                                                "type", layer_kind_name(layer->kind), "shape",
                                                shape, "params", (json_int_t)layer->params,
                                                "trainable", layer->trainable));
    }

    render_format_count(total, sizeof total, nn_model_param_count(model));
    footer = jk_strdup_printf("Total params: %s", total);
    caption = jk_strdup_printf("Model %s (%s)", model_name, nn_model_type_name(spec->type));
    bundle = jk_bundle_table(jk_table_view(&table, caption, footer), NULL);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:s, s:o, s:I}", "model", model_name, "type",
                                         nn_model_type_name(spec->type), "layers", layers,
                                         "total_params", (json_int_t)nn_model_param_count(model)));
    jk_emit_result(ex, bundle, NULL);
    free(footer);
    free(caption);
    jk_table_free(&table);
}

int jk_cmd_summary(jk_exec *ex, const jk_command *cmd)
{
    jk_model_entry *entry;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, (const char *const[]){NULL}) != 0)
        return -1;
    if (!(entry = jk_session_require_model(ex)))
        return -1;
    jk_emit_summary(ex, entry->name, entry->model);
    return 0;
}
