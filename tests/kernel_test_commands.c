/* kernel_test_commands.c: the stand-in jk_model_commands table of the kernel's unit
 * tests, with one command, fit, that reads every kind of option. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/command.h"
#include "kernel_test_commands.h"

static const char *const fit_options[] = {"epochs", "lr", "optimizer", "name", "hidden", NULL};
static const char *const optimizers[] = {"sgd", "adam", "rmsprop", NULL};

static int run_fit(jk_exec *ex, const jk_command *cmd)
{
    long epochs = 5;
    double lr = 0.01;
    int optimizer = 0;
    const char *name = "model";
    long hidden[3] = {128, 0, 0};
    size_t hidden_count = 1;
    char text[256];

    if (jk_check_args(ex, cmd, 1) != 0 || jk_check_options(ex, cmd, fit_options) != 0)
        return -1;
    if (jk_option_int(ex, cmd, "epochs", 1, 100, &epochs) < 0 ||
        jk_option_double(ex, cmd, "lr", 0.0001, 10, &lr) < 0 ||
        jk_option_choice(ex, cmd, "optimizer", optimizers, &optimizer) < 0 ||
        jk_option_string(ex, cmd, "name", &name) < 0 ||
        jk_option_int_list(ex, cmd, "hidden", 1, 4096, hidden, 3, &hidden_count) < 0)
        return -1;

    snprintf(text, sizeof text, "epochs=%ld lr=%g optimizer=%s name=%s hidden=%zu:%ld", epochs,
             lr, optimizers[optimizer], name, hidden_count, hidden[hidden_count - 1]);
    jk_emit_result(ex, json_pack("{s:s}", "text/plain", text), NULL);
    return 0;
}

static void complete_weight(const char *prefix, json_t *matches)
{
    static const char *const weights[] = {"dense_Dense1/kernel", "dense_Dense1/bias",
                                          "conv2d_Conv2D1/kernel", NULL};

    for (size_t i = 0; weights[i]; i++) {
        if (strncmp(weights[i], prefix, strlen(prefix)) == 0)
            json_array_append_new(matches, json_string(weights[i]));
    }
}

static const jk_option_help fit_option_help[] = {
    {"epochs", "passes over the data (integer 1 to 100)"},
    {"lr", "learning rate"},
    {"optimizer", "sgd, adam or rmsprop"},
    {"name", "a name for the run"},
    {"hidden", "units of the hidden layers, e.g. 128,64"},
    {NULL, NULL},
};

const jk_command_spec jk_model_commands[] = {
    {"fit", "fit [WEIGHT] [epochs=N] [lr=X] [optimizer=NAME] [name=TEXT] [hidden=N,N]",
     "Read every kind of option (a stand-in for the model commands).", NULL, fit_option_help,
     run_fit, complete_weight},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/*** recording outputs ***/

static void record_publish(void *context, const char *msg_type, json_t *content)
{
    recorded_output *record = context;

    json_array_append_new(record->outputs,
                          json_pack("{s:s, s:o}", "msg_type", msg_type, "content", content));
}

static void record_stream(void *context, const char *name, const char *text)
{
    recorded_output *record = context;
    char *target = strcmp(name, "stdout") == 0 ? record->stdout_text : record->stderr_text;

    strncat(target, text, sizeof record->stdout_text - strlen(target) - 1);
}

void run_recorded(const char *code, recorded_output *record, jk_cell_outcome *outcome)
{
    jk_output output = {record_publish, record_stream, record};

    memset(record, 0, sizeof *record);
    record->outputs = json_array();
    jk_run_cell(code, 0, 1, NULL, &output, outcome);
}

void recording_clear(recorded_output *record, jk_cell_outcome *outcome)
{
    json_decref(record->outputs);
    record->outputs = NULL;
    jk_cell_outcome_clear(outcome);
}

const char *recorded_type(const recorded_output *record, size_t index)
{
    json_t *output = json_array_get(record->outputs, index);

    return output ? json_string_value(json_object_get(output, "msg_type")) : "";
}
