/* cmd_save.c: `save PATH` and `load PATH` for the current model and the settings. */
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

static int read_path(jk_exec *ex, const jk_command *cmd, const char *verb, const char **path)
{
    if (jk_check_args(ex, cmd, 1) != 0 || jk_check_options(ex, cmd, (const char *const[]){"name", NULL}) != 0)
        return -1;
    if (cmd->n_args == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL, "%s needs a file path, e.g. `%s model.nns`",
                       verb, verb);
    *path = cmd->args[0].text;
    return 0;
}

int jk_cmd_save(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    jk_model_entry *entry;
    const char *path = NULL;
    nn_error err;
    char *text;
    json_t *bundle;

    if (read_path(ex, cmd, "save", &path) != 0)
        return -1;
    if (jk_option_token(cmd, "name"))
        return jk_fail(ex, JK_OPTION_ERROR, jk_option_token(cmd, "name"),
                       "save always stores the current model; run `use NAME` first to pick "
                       "another one");
    if (!(entry = jk_session_require_model(ex)))
        return -1;
    if (nn_model_save(entry->model, &session->settings, path, &err) != 0)
        return jk_fail(ex, err.code == NN_ERR_IO ? JK_DATA_ERROR : JK_MODEL_ERROR, &cmd->args[0],
                       "%s", err.message);

    text = jk_strdup_printf("Saved model %s and the settings to %s", entry->name, path);
    bundle = jk_bundle_new(text);
    jk_bundle_add_json(bundle, json_pack("{s:s, s:s}", "model", entry->name, "path", path));
    jk_emit_result(ex, bundle, NULL);
    free(text);
    return 0;
}

/* The model's name: name= if given, else the file name without directory and extension. */
static void name_from_path(const char *path, char *name, size_t size)
{
    const char *base = strrchr(path, '/');
    char *dot;

    snprintf(name, size, "%s", base ? base + 1 : path);
    if ((dot = strrchr(name, '.')) && dot != name)
        *dot = '\0';
    for (char *p = name; *p; p++)
        if (*p == ' ' || *p == '\t')
            *p = '_';
}

int jk_cmd_load(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    const char *path = NULL, *requested_name = NULL;
    nn_settings settings = session->settings;
    nn_model *model;
    jk_model_entry *entry;
    nn_error err;
    char name[JK_MODEL_NAME_MAX];

    if (read_path(ex, cmd, "load", &path) != 0)
        return -1;
    if (jk_option_string(ex, cmd, "name", &requested_name) < 0)
        return -1;
    /* nn_model_load leaves the session untouched on failure, so the current model stays. */
    if (!(model = nn_model_load(path, &settings, &err)))
        return jk_fail(ex, err.code == NN_ERR_MODEL ? JK_MODEL_ERROR : JK_DATA_ERROR,
                       &cmd->args[0], "%s", err.message);

    if (requested_name)
        snprintf(name, sizeof name, "%s", requested_name);
    else
        name_from_path(path, name, sizeof name);
    if (!(entry = jk_session_add_model(ex, name, model)))
        return -1;
    session->settings = settings;
    jk_emit_stdout_printf(ex, "Loaded model %s from %s; the settings saved with it are now "
                          "the session's (type set to see them)\n", entry->name, path);
    jk_emit_summary(ex, entry->name, entry->model);
    return 0;
}
