/* cmd_reset.c: `reset`, which drops the current model and keeps data and settings. */
#include <stdlib.h>

#include "bundle.h"
#include "model_commands.h"
#include "session.h"

int jk_cmd_reset(jk_exec *ex, const jk_command *cmd)
{
    jk_session *session = jk_session_get();
    char *text;
    json_t *bundle;

    if (jk_check_args(ex, cmd, 0) != 0 || jk_check_options(ex, cmd, (const char *const[]){NULL}) != 0)
        return -1;
    if (session->current < 0) {
        bundle = jk_bundle_new("No current model to drop; data and settings are unchanged.");
        jk_bundle_add_json(bundle, json_pack("{s:n}", "dropped"));
        jk_emit_result(ex, bundle, NULL);
        return 0;
    }

    text = jk_strdup_printf("Dropped model %s; data and settings are unchanged. Run build "
                            "basic (or conv, mlp) to start again.",
                            session->models[session->current].name);
    bundle = jk_bundle_new(text);
    jk_bundle_add_json(bundle, json_pack("{s:s}", "dropped", session->models[session->current].name));
    jk_session_drop_current();
    jk_emit_result(ex, bundle, NULL);
    free(text);
    return 0;
}
