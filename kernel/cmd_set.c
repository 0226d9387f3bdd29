/* cmd_set.c: `set`, which changes the session's training settings or shows them. */
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

static void emit_settings(jk_exec *ex, const nn_settings *s, const char *dataset)
{
    jk_table table;
    json_t *bundle;
    char count[32];
    size_t row;

    jk_table_init(&table, 3);
    jk_table_column(&table, 0, "Setting", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 1, "Value", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 2, "Meaning", RENDER_ALIGN_LEFT);

#define SETTING_ROW(key, meaning, ...)                                       \
    do {                                                                     \
        row = jk_table_add_row(&table);                                      \
        jk_table_set(&table, row, 0, "%s", key);                             \
        jk_table_set(&table, row, 1, __VA_ARGS__);                           \
        jk_table_set(&table, row, 2, "%s", meaning);                         \
    } while (0)

    SETTING_ROW("lr", "learning rate", "%g", s->learning_rate);
    SETTING_ROW("epochs", "passes over the training images per train", "%d", s->epochs);
    SETTING_ROW("batch", "images per mini-batch", "%d", s->batch_size);
    render_format_count(count, sizeof count, (unsigned long long)s->n_train);
    SETTING_ROW("train", "training images", "%s", count);
    render_format_count(count, sizeof count, (unsigned long long)s->n_val);
    SETTING_ROW("val", "validation images, held out of the training pool", "%s", count);
    render_format_count(count, sizeof count, (unsigned long long)s->n_test);
    SETTING_ROW("test", "test images scored by evaluate", "%s", count);
    SETTING_ROW("optimizer", "update rule", "%s", jk_optimizer_name(s->optimizer));
    SETTING_ROW("seed", "seed of all random choices", "%llu", (unsigned long long)s->seed);
    if (s->threads == 0)
        SETTING_ROW("threads", "CPU threads for training", "all (%d)", nn_get_threads());
    else
        SETTING_ROW("threads", "CPU threads for training", "%d", s->threads);
    SETTING_ROW("data", "dataset", "%s", dataset);
#undef SETTING_ROW

    bundle = jk_bundle_table(jk_table_view(&table, "Settings", NULL), NULL);
    jk_bundle_add_json(bundle,
                       json_pack("{s:f, s:i, s:i, s:i, s:i, s:i, s:s, s:I, s:i, s:s}", "lr",
                                 s->learning_rate, "epochs", s->epochs, "batch", s->batch_size,
                                 "train", s->n_train, "val", s->n_val, "test", s->n_test,
                                 "optimizer", jk_optimizer_name(s->optimizer), "seed",
                                 (json_int_t)s->seed, "threads", s->threads, "data", dataset));
    jk_emit_result(ex, bundle, NULL);
    jk_table_free(&table);
}

int jk_cmd_set(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    nn_settings next = session->settings;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, jk_settings_keys) != 0)
        return -1;
    if (jk_settings_from_options(ex, cmd, session->has_dataset ? &session->dataset : NULL,
                                 &next) != 0)
        return -1;
    session->settings = next;
    nn_set_threads(next.threads);
    emit_settings(ex, &next, session->has_dataset ? session->dataset.name : "mnist (not loaded yet)");
    return 0;
}
