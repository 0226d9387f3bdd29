/* session.h: what the model commands remember between cells.
 *
 * One session per kernel process: the training settings, the loaded dataset and the
 * models built so far, one of which is current. Commands reach it through
 * jk_session_get() and the jk_session_require_* helpers, which fail the command with
 * the right error name when the data or the model is missing.
 */
#ifndef JK_SESSION_H
#define JK_SESSION_H

#include "command.h"
#include "nn/nn.h"

/* Directory of the kernel's data files (pkgdatadir or NNSCOPE_DATA_DIR); the converted
 * digits are in its mnist/ subdirectory. Defined by the kernel core. */
const char *jk_data_dir(void);

#define JK_MODEL_NAME_MAX 64
#define JK_MAX_MODELS 32

typedef struct {
    char name[JK_MODEL_NAME_MAX]; /* "basic", or the name= given to build */
    nn_model *model;
    int evaluated;                /* 1 once evaluate scored it */
    double test_accuracy, test_loss;
} jk_model_entry;

typedef struct {
    nn_settings settings;
    nn_dataset dataset;
    int has_dataset;
    jk_model_entry models[JK_MAX_MODELS];
    size_t n_models;
    long current; /* index into models, or -1 */
} jk_session;

jk_session *jk_session_get(void);

/* Returns the session's dataset, loading the default digits first when none is loaded;
 * NULL after jk_fail (DataError). */
const nn_dataset *jk_session_require_dataset(jk_exec *ex);

/* Loads a dataset by name ("mnist", "fashion") or directory and makes it the session's,
 * replacing the old one only on success. mnist_dir overrides where mnist comes from. */
int jk_session_load_dataset(jk_exec *ex, const jk_token *at, const char *name,
                            const char *mnist_dir);

/* Returns 1 when the class names are the digits "0".."9", so tables can leave out a
 * Class column that would repeat the label. */
int jk_dataset_names_are_digits(const nn_dataset *ds);

/* Returns the current model's entry; NULL after jk_fail (ModelError) when none is built. */
jk_model_entry *jk_session_require_model(jk_exec *ex);

/* Stores model under name (taking ownership), replacing a model of the same name, and
 * makes it current. Returns the entry, or NULL after jk_fail when the table is full. */
jk_model_entry *jk_session_add_model(jk_exec *ex, const char *name, nn_model *model);

long jk_session_find_model(const char *name);
/* Frees the current model and removes it from the session. */
void jk_session_drop_current(void);

/* The settings keys shared by set, data and train, with their help lines. */
extern const char *const jk_settings_keys[];
extern const jk_option_help jk_settings_help[];

/* Reads the settings options present in cmd (lr, epochs, batch, train, test, val,
 * optimizer, seed, threads) into *s, leaving absent ones as they are, and checks the
 * result against ds (may be NULL). Options that are valid but usually train badly (lr
 * above 1, ...) get a warning on stderr. Returns 0, or -1 after jk_fail (OptionError). */
int jk_settings_from_options(jk_exec *ex, const jk_command *cmd, const nn_dataset *ds,
                             nn_settings *s);

/* Finds the token of option key in cmd, for carets in errors; NULL when absent. */
const jk_token *jk_option_token(const jk_command *cmd, const char *key);

/* Fails the command with the error name matching err->code and err's message. */
int jk_fail_nn(jk_exec *ex, const jk_token *at, const nn_error *err);

const char *jk_optimizer_name(nn_optimizer_kind kind);

/* Completion hooks that offer layer names, weight names or model names. */
void jk_complete_layer(const char *prefix, json_t *matches);
void jk_complete_weight(const char *prefix, json_t *matches);
void jk_complete_model(const char *prefix, json_t *matches);

#endif /* JK_SESSION_H */
