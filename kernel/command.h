/* command.h: the kernel interface available to commands of the nnscope language.
 *
 * A cell is parsed into commands (kernel/parser.c); each is dispatched to its
 * jk_command_spec's run function with a jk_exec context. A command publishes outputs
 * through the jk_emit_* functions below and never touches sockets or messages itself,
 * so the protocol rules (silent, display ids, execute_result for the cell's last
 * command, stream batching) live in one place.
 */
#ifndef JK_COMMAND_H
#define JK_COMMAND_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>

/*** parsed commands ***/

typedef struct {
    char *text;      /* the value, unquoted, UTF-8 */
    int line, column; /* 1-based position of the token in the cell, in code points */
    int quoted;
} jk_token;

typedef struct {
    jk_token key;
    jk_token value;
} jk_option;

typedef struct {
    jk_token name;      /* the command word, e.g. "train" */
    jk_token *args;     /* positional arguments, e.g. "conv" in "build conv" */
    size_t n_args;
    jk_option *options; /* key=value pairs in the order written */
    size_t n_options;
    char *rest;         /* the raw text after the command word, for print and warn */
    const char *source_line; /* the whole (joined) source line, for carets in errors */
    int line;           /* 1-based line of the command word */
} jk_command;

/*** execution context ***/

typedef struct jk_exec jk_exec;

/* Error names that graders and tests match on. */
#define JK_COMMAND_ERROR "CommandError"
#define JK_OPTION_ERROR "OptionError"
#define JK_DATA_ERROR "DataError"
#define JK_MODEL_ERROR "ModelError"
#define JK_TRAINING_DIVERGED "TrainingDiverged"
#define JK_KEYBOARD_INTERRUPT "KeyboardInterrupt"

/* Records the command's error (ename, a message, and the token the caret points at, or
 * NULL for the command word) and returns -1, so a run function can `return jk_fail(...)`.
 * The kernel turns it into the error output, the traceback and the execute_reply. */
int jk_fail(jk_exec *ex, const char *ename, const jk_token *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes text to stdout or stderr; the kernel batches stream output. */
void jk_emit_stdout(jk_exec *ex, const char *text);
void jk_emit_stderr(jk_exec *ex, const char *text);
void jk_emit_stdout_printf(jk_exec *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jk_emit_stderr_printf(jk_exec *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Publishes a display_data bundle (a mimetype -> content object; must contain
 * text/plain). Steals the references to data and metadata (either may be NULL for
 * metadata). display_id may be NULL; with one, the output can be updated in place. */
void jk_emit_display(jk_exec *ex, json_t *data, json_t *metadata, const char *display_id);

/* Publishes update_display_data for a display_id emitted earlier in this cell. */
void jk_emit_update(jk_exec *ex, json_t *data, json_t *metadata, const char *display_id);

/* The command's primary result: sent as execute_result when this is the cell's last
 * command, as display_data otherwise. At most one per command. */
void jk_emit_result(jk_exec *ex, json_t *data, json_t *metadata);

/* Publishes clear_output. */
void jk_emit_clear(jk_exec *ex, int wait);

/* Returns how many outputs (streams, display_data, execute_result, clear_output) the cell
 * has published so far; update_display_data is not counted. A command can tell from it
 * whether clear_output would remove outputs of earlier commands. */
size_t jk_output_count(const jk_exec *ex);

/* Sets the pager payload of the execute_reply (help shown with ?COMMAND). */
void jk_set_pager(jk_exec *ex, const char *text);

/* Adds the ask_exit payload ({"source": "ask_exit", "keepkernel": false}) to the
 * execute_reply, which asks the frontend to close and shut the kernel down. */
void jk_request_exit(jk_exec *ex);

/* Returns a fresh display id (a UUID string) valid for this kernel process. */
void jk_new_display_id(char out[37]);

/* Returns a new JSON string of text with invalid UTF-8 replaced by U+FFFD. Use it for
 * text from files or user input: json_string returns NULL for invalid UTF-8. */
json_t *jk_json_text(const char *text);

/* Non-zero once an interrupt (SIGINT or interrupt_request) arrived for the running
 * request; commands poll it at safe points and return jk_fail(ex, JK_KEYBOARD_INTERRUPT,...)
 * or pass jk_interrupt_flag() to the engine as its stop flag. */
int jk_interrupted(const jk_exec *ex);
volatile sig_atomic_t *jk_interrupt_flag(void);

/* Position of this command in the cell: 1 when it is the cell's last command. */
int jk_is_last_command(const jk_exec *ex);

/*** option helpers ***/

/* Each returns 0 and leaves *out unchanged when the option is absent, 1 when it was
 * present and valid, and -1 after jk_fail with OptionError (naming the value, the range
 * and the fix) when it is invalid. jk_option_int and jk_option_double take the value in
 * effect in *out and give it as the example of a valid value (min when it is outside the
 * range). */
int jk_option_int(jk_exec *ex, const jk_command *cmd, const char *key, long min, long max, long *out);
int jk_option_double(jk_exec *ex, const jk_command *cmd, const char *key, double min, double max,
                     double *out);
int jk_option_choice(jk_exec *ex, const jk_command *cmd, const char *key,
                     const char *const *choices, int *out);
int jk_option_string(jk_exec *ex, const jk_command *cmd, const char *key, const char **out);
/* A comma-separated list of integers such as hidden=128,64. */
int jk_option_int_list(jk_exec *ex, const jk_command *cmd, const char *key, long min, long max,
                       long *out, size_t max_count, size_t *count);

/* Fails with OptionError on the first option not in allowed (NULL-terminated), with a
 * "did you mean" suggestion; returns 0 when all are known. */
int jk_check_options(jk_exec *ex, const jk_command *cmd, const char *const *allowed);
/* Fails with CommandError when the command has more positional arguments than max. */
int jk_check_args(jk_exec *ex, const jk_command *cmd, size_t max);

/*** the command table ***/

typedef struct {
    const char *name;        /* "epochs" */
    const char *help;        /* "number of passes over the training images (integer >= 1, default 5)" */
} jk_option_help;

typedef struct {
    const char *name;        /* "train" */
    const char *synopsis;    /* "train [epochs=N] [lr=X] ..." */
    const char *summary;     /* one sentence for the help table */
    const char *description; /* a paragraph for help COMMAND, may be NULL */
    const jk_option_help *options; /* terminated by a {NULL, NULL} entry; NULL when none */
    /* Returns 0 on success, -1 after jk_fail. */
    int (*run)(jk_exec *ex, const jk_command *cmd);
    /* Completes the word being typed in argument position (layer and weight names);
     * adds matches to the array `matches`. May be NULL. */
    void (*complete_argument)(const char *prefix, json_t *matches);
} jk_command_spec;

/* The kernel's own commands (help, print, warn, clear, sleep, exit, quit) and the model commands
 * (data, build, train, ...), each table terminated by an entry whose name is NULL. */
extern const jk_command_spec jk_core_commands[];
extern const jk_command_spec jk_model_commands[];

/* Finds a command by name in both tables, or NULL. */
const jk_command_spec *jk_find_command(const char *name);

#endif /* JK_COMMAND_H */
