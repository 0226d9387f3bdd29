/* cmd_models.c: `models` lists the session's models, `use NAME` makes one current. */
#include <stdlib.h>

#include "bundle.h"
#include "help.h"
#include "model_commands.h"
#include "session.h"

int jk_cmd_models(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    jk_table table;
    json_t *bundle, *list = json_array();
    char count[32];

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, (const char *const[]){NULL}) != 0)
        return -1;

    /* An empty table would show only its rules, so no models gets a sentence instead. */
    if (session->n_models == 0) {
        static const char empty[] = "No models yet: `build basic`, `build conv` or "
                                    "`build mlp hidden=128,64` creates one.";
        char *html = jk_html_with_code(empty);

        bundle = jk_bundle_new(empty);
        if (html)
            json_object_set_new(bundle, "text/html", json_sprintf("<p>%s</p>", html));
        jk_bundle_add_json(bundle, json_pack("{s:o}", "models", list));
        jk_emit_result(ex, bundle, NULL);
        free(html);
        return 0;
    }

    jk_table_init(&table, 6);
    jk_table_column(&table, 0, "Current", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 1, "Name", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 2, "Type", RENDER_ALIGN_LEFT);
    jk_table_column(&table, 3, "# Of Params", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 4, "Epochs Trained", RENDER_ALIGN_RIGHT);
    jk_table_column(&table, 5, "Test Accuracy", RENDER_ALIGN_RIGHT);
    for (size_t i = 0; i < session->n_models; i++) {
        const jk_model_entry *entry = &session->models[i];
        const nn_model_spec *spec = nn_model_get_spec(entry->model);
        size_t row = jk_table_add_row(&table);
        nn_history history;
        json_t *item;

        nn_model_history(entry->model, &history);
        render_format_count(count, sizeof count, nn_model_param_count(entry->model));
        jk_table_set(&table, row, 0, "%s", (long)i == session->current ? "*" : "");
        jk_table_set(&table, row, 1, "%s", entry->name);
        jk_table_set(&table, row, 2, "%s", nn_model_type_name(spec->type));
        jk_table_set(&table, row, 3, "%s", count);
        jk_table_set(&table, row, 4, "%d", history.epochs_trained);
        if (entry->evaluated)
            jk_table_set(&table, row, 5, "%.4f", entry->test_accuracy);
        else
            jk_table_set(&table, row, 5, "not evaluated");

        item = json_pack("{s:s, s:s, s:I, s:i, s:b}", "name", entry->name, "type",
                         nn_model_type_name(spec->type), "params",
                         (json_int_t)nn_model_param_count(entry->model), "epochs_trained",
                         history.epochs_trained, "current", (long)i == session->current);
        json_object_set_new(item, "test_accuracy",
                            entry->evaluated ? json_real(entry->test_accuracy) : json_null());
        json_array_append_new(list, item);
    }

    bundle = jk_bundle_table(jk_table_view(&table, "Models of this session (* = current)", NULL),
                             NULL);
    jk_bundle_add_json(bundle, json_pack("{s:o}", "models", list));
    jk_emit_result(ex, bundle, NULL);
    jk_table_free(&table);
    return 0;
}

int jk_cmd_use(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    long index;

    if (jk_check_args(ex, cmd, 1) != 0 || jk_check_options(ex, cmd, (const char *const[]){NULL}) != 0)
        return -1;
    if (cmd->n_args == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL, "use needs a model name; `models` lists them");
    index = jk_session_find_model(cmd->args[0].text);
    if (index < 0) {
        jk_text names = {0};

        for (size_t i = 0; i < session->n_models; i++)
            jk_text_printf(&names, "%s%s", i ? ", " : "", session->models[i].name);
        jk_fail(ex, JK_MODEL_ERROR, &cmd->args[0], "no model named '%s'; %s%s",
                cmd->args[0].text, names.text ? "the session has: " : "build one first with `build basic`",
                names.text ? names.text : "");
        jk_text_free(&names);
        return -1;
    }

    session->current = index;
    char *text = jk_strdup_printf("Current model: %s (%s)", session->models[index].name,
                                  nn_model_type_name(nn_model_get_spec(session->models[index].model)->type));
    json_t *bundle = jk_bundle_new(text);

    jk_bundle_add_json(bundle, json_pack("{s:s}", "current", session->models[index].name));
    jk_emit_result(ex, bundle, NULL);
    free(text);
    return 0;
}
