/* cmd_build.c: `build`, which creates and initialises a model. */
#include <string.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

static const char *const model_types[] = {"basic", "conv", "mlp", NULL};
/* Hidden activations in nn_activation order; softmax is reserved for the output layer. */
static const char *const activations[] = {"linear", "relu", "sigmoid", "tanh", NULL};

static int read_activation(jk_exec *ex, const jk_command *cmd, nn_model_spec *spec)
{
    int choice, rc = jk_option_choice(ex, cmd, "activation", activations, &choice);

    if (rc > 0)
        spec->activation = (nn_activation)choice;
    return rc < 0 ? -1 : 0;
}

static int read_spec(jk_exec *ex, const jk_command *cmd, nn_model_type type, nn_model_spec *spec)
{
    static const char *const basic_options[] = {"layers", "units", "activation", "name", "seed", NULL};
    static const char *const conv_options[] = {"filters", "kernel", "name", "seed", NULL};
    static const char *const mlp_options[] = {"hidden", "activation", "dropout", "name", "seed", NULL};
    long value, list[NN_MAX_HIDDEN];
    size_t count;
    int rc;

    nn_model_spec_default(spec, type);
    switch (type) {
    case NN_MODEL_BASIC:
        if (jk_check_options(ex, cmd, basic_options) != 0)
            return -1;
        value = spec->layers;
        if (jk_option_int(ex, cmd, "layers", 1, NN_MAX_HIDDEN + 1, &value) < 0)
            return -1;
        spec->layers = (int)value;
        value = spec->units;
        if (jk_option_int(ex, cmd, "units", 1, 4096, &value) < 0)
            return -1;
        spec->units = (int)value;
        return read_activation(ex, cmd, spec);

    case NN_MODEL_CONV:
        if (jk_check_options(ex, cmd, conv_options) != 0)
            return -1;
        rc = jk_option_int_list(ex, cmd, "filters", 1, 256, list, 2, &count);
        if (rc < 0)
            return -1;
        if (rc > 0 && count != 2)
            return jk_fail(ex, JK_OPTION_ERROR, jk_option_token(cmd, "filters"),
                           "filters= needs two counts, one per conv layer, e.g. filters=8,16");
        if (rc > 0) {
            spec->filters[0] = (int)list[0];
            spec->filters[1] = (int)list[1];
        }
        value = spec->kernel_size;
        /* Two valid convolutions and two 2x2 poolings must leave at least one pixel. */
        if (jk_option_int(ex, cmd, "kernel", 1, 5, &value) < 0)
            return -1;
        spec->kernel_size = (int)value;
        return 0;

    case NN_MODEL_MLP:
        if (jk_check_options(ex, cmd, mlp_options) != 0)
            return -1;
        rc = jk_option_int_list(ex, cmd, "hidden", 1, 4096, list, NN_MAX_HIDDEN, &count);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            spec->n_hidden = (int)count;
            for (size_t i = 0; i < count; i++)
                spec->hidden[i] = (int)list[i];
        }
        if (jk_option_double(ex, cmd, "dropout", 0, 0.95, &spec->dropout) < 0)
            return -1;
        return read_activation(ex, cmd, spec);
    }
    return 0;
}

int jk_cmd_build(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    nn_model_spec spec;
    nn_model *model;
    jk_model_entry *entry;
    const char *name = NULL;
    long seed = (long)session->settings.seed;
    int type = -1;
    nn_error err;

    if (jk_check_args(ex, cmd, 1) != 0)
        return -1;
    if (cmd->n_args == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL,
                       "build needs a model type: `build basic`, `build conv` or `build mlp`");
    for (int i = 0; model_types[i]; i++)
        if (strcmp(cmd->args[0].text, model_types[i]) == 0)
            type = i;
    if (type < 0)
        return jk_fail(ex, JK_COMMAND_ERROR, &cmd->args[0],
                       "unknown model type '%s'; use basic, conv or mlp", cmd->args[0].text);

    if (read_spec(ex, cmd, (nn_model_type)type, &spec) != 0)
        return -1;
    if (jk_option_string(ex, cmd, "name", &name) < 0)
        return -1;
    if (!name)
        name = model_types[type];
    if (strlen(name) >= JK_MODEL_NAME_MAX || strpbrk(name, " \t/"))
        return jk_fail(ex, JK_OPTION_ERROR, jk_option_token(cmd, "name"),
                       "name='%s' is invalid: use up to %d characters without spaces or slashes",
                       name, JK_MODEL_NAME_MAX - 1);
    if (jk_option_int(ex, cmd, "seed", 0, 2147483647L, &seed) < 0)
        return -1;

    if (!(model = nn_model_build(&spec, (uint64_t)seed, &err)))
        return jk_fail_nn(ex, NULL, &err);
    if (!(entry = jk_session_add_model(ex, name, model)))
        return -1;
    jk_emit_summary(ex, entry->name, entry->model);
    return 0;
}
