/* session.c: settings, dataset and models kept between cells. */
#include "session.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

/* Debian's dataset-fashion-mnist package installs the four IDX files here. */
#define JK_FASHION_DIR "/usr/share/datasets/fashion-mnist"

static jk_session session;
static int session_ready;

jk_session *jk_session_get(void)
{
    if (!session_ready) {
        nn_settings_default(&session.settings);
        session.current = -1;
        session_ready = 1;
    }
    return &session;
}

/*** datasets ***/

static void print_dataset_loaded(jk_exec *ex, const nn_dataset *ds)
{
    char train[32], test[32];

    render_format_count(train, sizeof train, ds->n_train);
    render_format_count(test, sizeof test, ds->n_test);
    jk_emit_stdout_printf(ex, "Loaded %s: %s training and %s test images from %s\n", ds->name,
                          train, test, ds->source);
}

/* Shrinks train, val and test to what a smaller dataset holds, saying so on stderr, so
 * that loading a small directory never leaves settings that every command rejects. */
static void fit_settings(jk_exec *ex, nn_settings *s, const nn_dataset *ds)
{
    if ((size_t)s->n_val >= ds->n_train) {
        s->n_val = (int)(ds->n_train / 10);
        jk_emit_stderr_printf(ex, "warning: val lowered to %d to fit the %zu training images\n",
                              s->n_val, ds->n_train);
    }
    if ((size_t)s->n_train + (size_t)s->n_val > ds->n_train) {
        s->n_train = (int)(ds->n_train - (size_t)s->n_val);
        jk_emit_stderr_printf(ex, "warning: train lowered to %d so that train + val fit the %zu "
                              "training images\n", s->n_train, ds->n_train);
    }
    if (s->batch_size > s->n_train) {
        s->batch_size = s->n_train;
        jk_emit_stderr_printf(ex, "warning: batch lowered to %d, the training set size\n",
                              s->batch_size);
    }
    if ((size_t)s->n_test > ds->n_test) {
        s->n_test = (int)ds->n_test;
        jk_emit_stderr_printf(ex, "warning: test lowered to %d, the size of the test set\n",
                              s->n_test);
    }
}

int jk_session_load_dataset(jk_exec *ex, const jk_token *at, const char *name,
                            const char *mnist_dir)
{
    jk_session *s = jk_session_get();
    char dir[1024];
    const char *label = name;
    nn_dataset loaded;
    nn_error err;

    memset(&loaded, 0, sizeof loaded);
    if (strcmp(name, "mnist") == 0) {
        const char *env = getenv("NNSCOPE_MNIST_DIR");

        if (mnist_dir)
            snprintf(dir, sizeof dir, "%s", mnist_dir);
        else if (env && env[0])
            snprintf(dir, sizeof dir, "%s", env);
        else
            snprintf(dir, sizeof dir, "%s/mnist", jk_data_dir());
    } else if (strcmp(name, "fashion") == 0) {
        snprintf(dir, sizeof dir, "%s", JK_FASHION_DIR);
    } else {
        snprintf(dir, sizeof dir, "%s", name);
        label = "custom";
    }

    if (nn_dataset_load_dir(&loaded, dir, strcmp(label, "custom") == 0 ? name : label, &err) != 0) {
        if (err.code == NN_ERR_DATA || err.code == NN_ERR_IO)
            return jk_fail(ex, JK_DATA_ERROR, at, "%s", err.message);
        return jk_fail_nn(ex, at, &err);
    }

    if (s->has_dataset)
        nn_dataset_free(&s->dataset);
    s->dataset = loaded;
    s->has_dataset = 1;
    print_dataset_loaded(ex, &s->dataset);
    fit_settings(ex, &s->settings, &s->dataset);
    return 0;
}

const nn_dataset *jk_session_require_dataset(jk_exec *ex)
{
    jk_session *s = jk_session_get();

    if (!s->has_dataset && jk_session_load_dataset(ex, NULL, "mnist", NULL) != 0)
        return NULL;
    return &s->dataset;
}

int jk_dataset_names_are_digits(const nn_dataset *ds)
{
    for (int c = 0; c < NN_CLASSES; c++)
        if (!ds->class_names[c] || ds->class_names[c][0] != '0' + c || ds->class_names[c][1])
            return 0;
    return 1;
}

/*** models ***/

jk_model_entry *jk_session_require_model(jk_exec *ex)
{
    jk_session *s = jk_session_get();

    if (s->current < 0) {
        jk_fail(ex, JK_MODEL_ERROR, NULL,
                "no model has been built yet; run `build basic` (or `build conv`, `build mlp`) "
                "first, or `load PATH` to restore a saved one");
        return NULL;
    }
    return &s->models[s->current];
}

long jk_session_find_model(const char *name)
{
    jk_session *s = jk_session_get();

    for (size_t i = 0; i < s->n_models; i++)
        if (strcmp(s->models[i].name, name) == 0)
            return (long)i;
    return -1;
}

jk_model_entry *jk_session_add_model(jk_exec *ex, const char *name, nn_model *model)
{
    jk_session *s = jk_session_get();
    long index = jk_session_find_model(name);
    jk_model_entry *entry;

    if (index < 0) {
        if (s->n_models == JK_MAX_MODELS) {
            nn_model_free(model);
            jk_fail(ex, JK_MODEL_ERROR, NULL,
                    "the session already holds %d models; rebuild one of them by name "
                    "(build ... name=NAME) or run `reset` to drop the current one",
                    JK_MAX_MODELS);
            return NULL;
        }
        index = (long)s->n_models++;
    } else {
        nn_model_free(s->models[index].model);
    }

    entry = &s->models[index];
    memset(entry, 0, sizeof *entry);
    snprintf(entry->name, sizeof entry->name, "%s", name);
    entry->model = model;
    s->current = index;
    return entry;
}

void jk_session_drop_current(void)
{
    jk_session *s = jk_session_get();

    if (s->current < 0)
        return;
    nn_model_free(s->models[s->current].model);
    memmove(&s->models[s->current], &s->models[s->current + 1],
            (s->n_models - (size_t)s->current - 1) * sizeof s->models[0]);
    s->n_models--;
    s->current = -1;
}

/*** settings ***/

const char *const jk_settings_keys[] = {"lr", "epochs", "batch", "train", "test",
                                        "val", "optimizer", "seed", "threads", NULL};

const jk_option_help jk_settings_help[] = {
    {"lr", "learning rate, the step size of the optimizer (number > 0, default 0.01)"},
    {"epochs", "passes over the training images per `train` (integer >= 1, default 5)"},
    {"batch", "images per mini-batch (integer >= 1, at most train, default 512)"},
    {"train", "training images taken from the training pool (integer >= 1, default 5500)"},
    {"test", "test images scored by `evaluate` (integer >= 1, default 1000)"},
    {"val", "images held out of the training pool for validation (integer >= 0, default 500)"},
    {"optimizer", "adam, sgd or momentum (default adam); a change resets the optimizer state"},
    {"seed", "seed of every random choice: initial weights, subsets, shuffling (default 42)"},
    {"threads", "CPU threads for training (integer >= 0, 0 means all cores, default 0)"},
    {NULL, NULL},
};

static const char *const optimizer_names[] = {"sgd", "momentum", "adam", NULL};

const char *jk_optimizer_name(nn_optimizer_kind kind)
{
    if (kind >= NN_OPT_SGD && kind <= NN_OPT_ADAM)
        return optimizer_names[kind];
    return "unknown";
}

const jk_token *jk_option_token(const jk_command *cmd, const char *key)
{
    for (size_t i = cmd->n_options; i-- > 0;)
        if (strcmp(cmd->options[i].key.text, key) == 0)
            return &cmd->options[i].value;
    return NULL;
}

/* Reads lr=, which must be a finite number greater than 0. Returns 1 when present, 0 when
 * absent, -1 after jk_fail. */
static int read_learning_rate(jk_exec *ex, const jk_command *cmd, double *out)
{
    const jk_token *at = jk_option_token(cmd, "lr");
    char *end;
    double value;

    if (!at)
        return 0;
    errno = 0;
    value = strtod(at->text, &end);
    if (end == at->text || *end || errno != 0 || !isfinite(value))
        return jk_fail(ex, JK_OPTION_ERROR, at,
                       "lr=%s is not a number; use a number greater than 0, "
                       "e.g. lr=0.01 (adam) or lr=0.1 (sgd)", at->text);
    if (!(value > 0))
        return jk_fail(ex, JK_OPTION_ERROR, at,
                       "lr=%s is invalid: the learning rate must be greater than 0, "
                       "e.g. lr=0.01 (adam) or lr=0.1 (sgd)", at->text);
    *out = value;
    return 1;
}

/* Rejects train + val larger than the training pool, pointing at the option this command
 * gave and suggesting a value for it that fits. */
static int fail_pool_too_small(jk_exec *ex, const jk_command *cmd, const nn_settings *s,
                               const nn_dataset *ds)
{
    const jk_token *train_at = jk_option_token(cmd, "train");
    const jk_token *val_at = jk_option_token(cmd, "val");
    size_t pool = ds->n_train;
    size_t max_train = pool > (size_t)s->n_val ? pool - (size_t)s->n_val : 0;
    size_t max_val = pool > (size_t)s->n_train ? pool - (size_t)s->n_train : 0;

    /* Blame val when only val was given, or when no train value can make room for it. */
    if (val_at && (!train_at || max_train < 1) && (size_t)s->n_train < pool)
        return jk_fail(ex, JK_OPTION_ERROR, val_at,
                       "train=%d plus val=%d is more than the %zu training images of %s; "
                       "use val=%zu or less, or lower train",
                       s->n_train, s->n_val, pool, ds->name, max_val);
    if (max_train >= 1)
        return jk_fail(ex, JK_OPTION_ERROR, train_at ? train_at : val_at,
                       "train=%d plus val=%d is more than the %zu training images of %s; "
                       "use train=%zu or less, or lower val",
                       s->n_train, s->n_val, pool, ds->name, max_train);
    return jk_fail(ex, JK_OPTION_ERROR, train_at ? train_at : val_at,
                   "train=%d plus val=%d is more than the %zu training images of %s; "
                   "use train=%zu or less and val=0",
                   s->n_train, s->n_val, pool, ds->name, pool);
}

/* Warns on stderr about values that are accepted but usually train badly. Only the options
 * given in cmd are checked, so `set` and per-run options such as `train lr=5` warn alike,
 * and a command that does not mention lr is not warned about it again. */
static void warn_unusual(jk_exec *ex, const jk_command *cmd, const nn_settings *s)
{
    int lr_given = jk_option_token(cmd, "lr") != NULL;

    if (lr_given && s->learning_rate > 1)
        jk_emit_stderr_printf(ex, "warning: lr=%g is above 1; training usually diverges "
                              "(try 0.01 with adam or 0.1 with sgd)\n", s->learning_rate);
    else if ((lr_given || jk_option_token(cmd, "optimizer")) && s->optimizer == NN_OPT_ADAM &&
             s->learning_rate > 0.1)
        jk_emit_stderr_printf(ex, "warning: lr=%g is high for adam, which usually works best "
                              "between 0.0001 and 0.01\n", s->learning_rate);
    if (lr_given && s->learning_rate < 1e-5)
        jk_emit_stderr_printf(ex, "warning: lr=%g is so small that the weights barely move; "
                              "try 0.001 or more\n", s->learning_rate);
    if (jk_option_token(cmd, "batch") && s->batch_size < 8)
        jk_emit_stderr_printf(ex, "warning: batch=%d makes every update noisy and training "
                              "slow; 32 to 512 is usual\n", s->batch_size);
    if (jk_option_token(cmd, "val") && s->n_val == 0)
        jk_emit_stderr_printf(ex, "warning: val=0 leaves no validation images, so train draws "
                              "no validation curve\n");
    if (jk_option_token(cmd, "epochs") && s->epochs > 100)
        jk_emit_stderr_printf(ex, "warning: epochs=%d takes long; interrupt with the stop "
                              "button (the model keeps its weights)\n", s->epochs);
}

int jk_settings_from_options(jk_exec *ex, const jk_command *cmd, const nn_dataset *ds,
                             nn_settings *s)
{
    nn_settings next = *s;
    double lr = next.learning_rate;
    long value;
    int choice, rc;
    nn_error err;

    if ((rc = read_learning_rate(ex, cmd, &lr)) < 0)
        return -1;
    next.learning_rate = lr;

    value = next.epochs;
    if ((rc = jk_option_int(ex, cmd, "epochs", 1, 100000, &value)) < 0)
        return -1;
    next.epochs = (int)value;

    value = next.batch_size;
    if ((rc = jk_option_int(ex, cmd, "batch", 1, 1000000, &value)) < 0)
        return -1;
    next.batch_size = (int)value;

    value = next.n_train;
    if ((rc = jk_option_int(ex, cmd, "train", 1, 100000000, &value)) < 0)
        return -1;
    next.n_train = (int)value;

    value = next.n_test;
    if ((rc = jk_option_int(ex, cmd, "test", 1, 100000000, &value)) < 0)
        return -1;
    next.n_test = (int)value;

    value = next.n_val;
    if ((rc = jk_option_int(ex, cmd, "val", 0, 100000000, &value)) < 0)
        return -1;
    next.n_val = (int)value;

    if ((rc = jk_option_choice(ex, cmd, "optimizer", optimizer_names, &choice)) < 0)
        return -1;
    if (rc > 0)
        next.optimizer = (nn_optimizer_kind)choice;

    value = (long)next.seed;
    if ((rc = jk_option_int(ex, cmd, "seed", 0, 2147483647L, &value)) < 0)
        return -1;
    next.seed = (uint64_t)value;

    value = next.threads;
    if ((rc = jk_option_int(ex, cmd, "threads", 0, 256, &value)) < 0)
        return -1;
    next.threads = (int)value;

    /* The engine checks the same rules, but here the caret can point at the option. */
    if (next.batch_size > next.n_train) {
        const jk_token *at = jk_option_token(cmd, "batch");

        return jk_fail(ex, JK_OPTION_ERROR, at ? at : jk_option_token(cmd, "train"),
                       "batch=%d is larger than train=%d; use batch=%d or less, or raise train",
                       next.batch_size, next.n_train, next.n_train);
    }
    if (ds && (size_t)next.n_train + (size_t)next.n_val > ds->n_train)
        return fail_pool_too_small(ex, cmd, &next, ds);
    if (ds && (size_t)next.n_test > ds->n_test)
        return jk_fail(ex, JK_OPTION_ERROR, jk_option_token(cmd, "test"),
                       "test=%d is more than the %zu test images of %s; use test=%zu or less",
                       next.n_test, ds->n_test, ds->name, ds->n_test);
    if (nn_settings_check(&next, ds, &err) != 0)
        return jk_fail(ex, JK_OPTION_ERROR, NULL, "%s", err.message);

    warn_unusual(ex, cmd, &next);
    *s = next;
    return 0;
}

/*** errors ***/

int jk_fail_nn(jk_exec *ex, const jk_token *at, const nn_error *err)
{
    const char *ename;

    switch (err->code) {
    case NN_ERR_ARGUMENT: ename = JK_OPTION_ERROR; break;
    case NN_ERR_DATA:
    case NN_ERR_IO: ename = JK_DATA_ERROR; break;
    case NN_ERR_DIVERGED: ename = JK_TRAINING_DIVERGED; break;
    case NN_ERR_INTERRUPTED: ename = JK_KEYBOARD_INTERRUPT; break;
    default: ename = JK_MODEL_ERROR; break;
    }
    return jk_fail(ex, ename, at, "%s", err->message);
}

/*** completion ***/

static void add_match(json_t *matches, const char *prefix, const char *name)
{
    if (strncmp(name, prefix, strlen(prefix)) == 0)
        json_array_append_new(matches, json_string(name));
}

void jk_complete_layer(const char *prefix, json_t *matches)
{
    jk_session *s = jk_session_get();

    if (s->current < 0)
        return;
    nn_model *model = s->models[s->current].model;
    for (size_t i = 0; i < nn_model_layer_count(model); i++)
        add_match(matches, prefix, nn_model_layer(model, i)->name);
}

void jk_complete_weight(const char *prefix, json_t *matches)
{
    jk_session *s = jk_session_get();

    add_match(matches, prefix, "all");
    if (s->current < 0)
        return;
    nn_model *model = s->models[s->current].model;
    for (size_t i = 0; i < nn_model_weight_count(model); i++)
        add_match(matches, prefix, nn_model_weight(model, i)->name);
}

void jk_complete_model(const char *prefix, json_t *matches)
{
    jk_session *s = jk_session_get();

    for (size_t i = 0; i < s->n_models; i++)
        add_match(matches, prefix, s->models[i].name);
}
