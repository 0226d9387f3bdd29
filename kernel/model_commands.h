/* model_commands.h: run functions of the model commands and helpers they share.
 *
 * Each run function follows jk_command_spec's contract: 0 on success, -1 after jk_fail.
 */
#ifndef JK_MODEL_COMMANDS_H
#define JK_MODEL_COMMANDS_H

#include "command.h"
#include "nn/nn.h"
#include "render/render.h"

int jk_cmd_data(jk_exec *ex, const jk_command *cmd);
int jk_cmd_samples(jk_exec *ex, const jk_command *cmd);
int jk_cmd_set(jk_exec *ex, const jk_command *cmd);
int jk_cmd_build(jk_exec *ex, const jk_command *cmd);
int jk_cmd_models(jk_exec *ex, const jk_command *cmd);
int jk_cmd_use(jk_exec *ex, const jk_command *cmd);
int jk_cmd_summary(jk_exec *ex, const jk_command *cmd);
int jk_cmd_weights(jk_exec *ex, const jk_command *cmd);
int jk_cmd_histogram(jk_exec *ex, const jk_command *cmd);
int jk_cmd_train(jk_exec *ex, const jk_command *cmd);
int jk_cmd_evaluate(jk_exec *ex, const jk_command *cmd);
int jk_cmd_show(jk_exec *ex, const jk_command *cmd);
int jk_cmd_predict(jk_exec *ex, const jk_command *cmd);
int jk_cmd_save(jk_exec *ex, const jk_command *cmd);
int jk_cmd_load(jk_exec *ex, const jk_command *cmd);
int jk_cmd_reset(jk_exec *ex, const jk_command *cmd);

/* Completes the argument of `show`: "weights", "activations", then layer names. */
void jk_complete_show(const char *prefix, json_t *matches);

/* Draws n images of the dataset (bytes 0..255, 28x28) as a captioned grid. */
int jk_draw_digit_grid(const char *title, const uint8_t *const *images, const char *const *captions,
                       size_t n, render_png *out, render_error *err);

/* Emits the architecture table of model (build, summary, load) as the command's result. */
void jk_emit_summary(jk_exec *ex, const char *model_name, const nn_model *model);

/* Draws a layer's kernel with a diverging colour map centred on zero: one image per dense
 * unit or conv filter, or a heatmap for a later dense layer. show weights and the training
 * display use it. Writes a description to text, and returns -1 with err filled when the
 * layer has no kernel. */
int jk_draw_layer_weights(const nn_model *model, size_t layer, const char *title, render_png *out,
                          char *text, size_t text_size, render_error *err);
/* Index of the first layer with a kernel, or -1. */
long jk_first_weighted_layer(const nn_model *model);

/* Scores model on the validation images chosen by s; fills confusion[true][predicted]. */
int jk_confusion_on_validation(nn_model *model, const nn_dataset *ds, const nn_settings *s,
                               nn_evaluation *out, nn_error *err);
/* Emits the confusion matrix as a heatmap picture and as a table, with per-class accuracy;
 * as_result makes the heatmap the command's primary result. */
void jk_emit_confusion(jk_exec *ex, const nn_dataset *ds, const nn_evaluation *ev,
                       const char *what, int as_result);

/* Formats a shape such as [batch,784] or [5,5,1,8]. */
void jk_format_shape(char *buf, size_t size, const int *dims, int ndim, int with_batch);

#endif /* JK_MODEL_COMMANDS_H */
