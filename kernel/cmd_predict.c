/* cmd_predict.c: `predict sample=N | file=PNG`, the class probabilities for one image. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "digit_input.h"
#include "model_commands.h"
#include "session.h"

#define INPUT_CELL 168
#define CHART_WIDTH 620
#define CHART_HEIGHT 300

static int draw_prediction(const jk_digit_input *input, const nn_dataset *ds,
                           const float probs[NN_CLASSES], int predicted, render_png *out,
                           render_error *err)
{
    double values[NN_CLASSES];
    const char *labels[NN_CLASSES];
    render_bar_chart chart;
    render_png parts[2] = {{0}, {0}};
    char title[1300], chart_title[160];
    int rc = -1;

    snprintf(title, sizeof title, "Input as the model sees it (28x28): %s", input->description);
    if (jk_digit_input_png(input->pixels, title, INPUT_CELL, CHART_WIDTH, &parts[0], err) != 0)
        goto out;

    for (int c = 0; c < NN_CLASSES; c++) {
        values[c] = probs[c];
        labels[c] = ds->class_names[c];
    }
    snprintf(chart_title, sizeof chart_title, "Predicted %s with probability %.3f",
             ds->class_names[predicted], probs[predicted]);
    memset(&chart, 0, sizeof chart);
    chart.title = chart_title;
    chart.x_label = "class";
    chart.y_label = "probability";
    chart.labels = labels;
    chart.values = values;
    chart.n = NN_CLASSES;
    chart.highlight = predicted;
    chart.y_min = 0;
    chart.y_max = 1;
    chart.show_values = 1;
    if (render_bar_chart_png(&chart, CHART_WIDTH, CHART_HEIGHT, &parts[1], err) != 0)
        goto out;
    rc = render_png_stack(parts, 2, out, err);

out:
    render_png_free(&parts[0]);
    render_png_free(&parts[1]);
    return rc;
}

int jk_cmd_predict(jk_exec *ex, const jk_command *cmd)
{
    static const char *const allowed[] = {"sample", "file", NULL};
    jk_model_entry *entry;
    const nn_dataset *ds;
    jk_digit_input input;
    float probs[NN_CLASSES];
    int predicted = 0;
    nn_error nn_err;
    render_error err;
    render_png png = {0};
    jk_text text = {0};
    json_t *bundle, *probabilities = json_array(), *info;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, allowed) != 0)
        goto fail;
    if (!jk_option_token(cmd, "sample") && !jk_option_token(cmd, "file")) {
        jk_fail(ex, JK_OPTION_ERROR, NULL,
                "predict needs an image: sample=N for test image N, or file=PNG for a picture "
                "of a digit");
        goto fail;
    }
    if (!(entry = jk_session_require_model(ex)))
        goto fail;
    if (!(ds = jk_session_require_dataset(ex)))
        goto fail;
    if (jk_digit_input_read(ex, cmd, ds, &input) != 0)
        goto fail;
    if (nn_predict(entry->model, input.pixels, probs, &nn_err) != 0) {
        jk_fail_nn(ex, NULL, &nn_err);
        goto fail;
    }

    for (int c = 0; c < NN_CLASSES; c++) {
        if (probs[c] > probs[predicted])
            predicted = c;
        json_array_append_new(probabilities, json_real(probs[c]));
    }
    if (draw_prediction(&input, ds, probs, predicted, &png, &err) != 0) {
        jk_fail(ex, JK_MODEL_ERROR, NULL, "drawing the prediction failed: %s", err.message);
        goto fail;
    }

    jk_text_printf(&text, "Predicted %s with probability %.3f for %s",
                   ds->class_names[predicted], probs[predicted], input.description);
    if (input.label >= 0)
        jk_text_printf(&text, "; %s", input.label == predicted ? "correct" : "wrong");
    jk_text_printf(&text, "\nProbabilities:");
    for (int c = 0; c < NN_CLASSES; c++)
        jk_text_printf(&text, "%s %s %.3f", c ? "," : "", ds->class_names[c], probs[c]);

    bundle = jk_bundle_new(text.text);
    jk_bundle_add_png(bundle, NULL, &png);
    info = json_pack("{s:s, s:s, s:i, s:s, s:f, s:o}", "model", entry->name, "input",
                     input.description, "predicted", predicted, "class",
                     ds->class_names[predicted], "probability", probs[predicted],
                     "probabilities", probabilities);
    if (input.label >= 0)
        json_object_set_new(info, "label", json_integer(input.label));
    if (input.sample >= 0)
        json_object_set_new(info, "sample", json_integer(input.sample));
    jk_bundle_add_json(bundle, info);
    jk_emit_result(ex, bundle, NULL);
    render_png_free(&png);
    jk_text_free(&text);
    return 0;

fail:
    json_decref(probabilities);
    render_png_free(&png);
    jk_text_free(&text);
    return -1;
}
