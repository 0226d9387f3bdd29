/* core_commands.c: the commands that belong to the kernel itself: help, print, warn,
 * clear, sleep, exit and quit. The model commands live in model_commands.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "command.h"
#include "help.h"
#include "parser.h"
#include "registry.h"

static const char *const no_options[] = {NULL};

/* Completes the argument of help: command names. */
static void complete_command_name(const char *prefix, json_t *matches)
{
    const char *const *names = jk_command_names();

    for (size_t i = 0; names[i]; i++) {
        if (strncmp(names[i], prefix, strlen(prefix)) == 0)
            json_array_append_new(matches, json_string(names[i]));
    }
}

static int run_help(jk_exec *ex, const jk_command *cmd)
{
    const jk_command_spec *spec = NULL;
    json_t *bundle;

    if (jk_check_options(ex, cmd, no_options) != 0 || jk_check_args(ex, cmd, 1) != 0)
        return -1;
    if (cmd->n_args == 1) {
        spec = jk_find_command(cmd->args[0].text);
        if (!spec) {
            const char *suggestion = jk_suggest(cmd->args[0].text, jk_command_names());
            if (suggestion)
                return jk_fail(ex, JK_COMMAND_ERROR, &cmd->args[0],
                               "no command named '%s'; did you mean '%s'?", cmd->args[0].text,
                               suggestion);
            return jk_fail(ex, JK_COMMAND_ERROR, &cmd->args[0],
                           "no command named '%s'; type help for the list of commands",
                           cmd->args[0].text);
        }
    }

    bundle = jk_help_bundle(spec);
    if (!bundle)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL, "out of memory while building the help");
    jk_emit_result(ex, bundle, NULL);
    return 0;
}

/* print and warn write the rest of their line as written, with a newline. */
static int emit_line(jk_exec *ex, const jk_command *cmd, int to_stderr)
{
    size_t length = strlen(cmd->rest);
    char *line = malloc(length + 2);

    if (!line)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL, "out of memory");
    memcpy(line, cmd->rest, length);
    line[length] = '\n';
    line[length + 1] = '\0';
    if (to_stderr)
        jk_emit_stderr(ex, line);
    else
        jk_emit_stdout(ex, line);
    free(line);
    return 0;
}

static int run_print(jk_exec *ex, const jk_command *cmd)
{
    return emit_line(ex, cmd, 0);
}

static int run_warn(jk_exec *ex, const jk_command *cmd)
{
    return emit_line(ex, cmd, 1);
}

static int run_clear(jk_exec *ex, const jk_command *cmd)
{
    if (jk_check_options(ex, cmd, no_options) != 0 || jk_check_args(ex, cmd, 0) != 0)
        return -1;
    jk_emit_clear(ex, 0);
    return 0;
}

/* The maximum sleep: long enough for any interrupt test, short enough that a typo
 * cannot hang a notebook for hours. */
#define SLEEP_MAX_SECONDS 3600.0

static int run_sleep(jk_exec *ex, const jk_command *cmd)
{
    const jk_token *argument;
    char *end;
    double seconds;
    struct timespec start, now;

    if (jk_check_options(ex, cmd, no_options) != 0 || jk_check_args(ex, cmd, 1) != 0)
        return -1;
    if (cmd->n_args == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, NULL,
                       "sleep needs a duration in seconds, e.g. sleep 2");
    argument = &cmd->args[0];

    errno = 0;
    seconds = strtod(argument->text, &end);
    if (end == argument->text || *end || errno != 0 || !isfinite(seconds))
        return jk_fail(ex, JK_COMMAND_ERROR, argument,
                       "'%s' is not a number of seconds; write e.g. sleep 2.5", argument->text);
    if (seconds < 0 || seconds > SLEEP_MAX_SECONDS)
        return jk_fail(ex, JK_COMMAND_ERROR, argument,
                       "sleep %s is out of range; use 0 to %.0f seconds", argument->text,
                       SLEEP_MAX_SECONDS);

    /* Waits in 10 ms steps so an interrupt takes effect within 10 ms. */
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec step = {0, 10 * 1000 * 1000};
        double elapsed;

        if (jk_interrupted(ex))
            return jk_fail(ex, JK_KEYBOARD_INTERRUPT, NULL, "sleep interrupted");
        clock_gettime(CLOCK_MONOTONIC, &now);
        elapsed = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        if (elapsed >= seconds)
            return 0;
        if (seconds - elapsed < 0.01)
            step.tv_nsec = (long)((seconds - elapsed) * 1e9);
        nanosleep(&step, NULL);
    }
}

/* exit and quit set the reply's ask_exit payload, a request to the frontend to close. */
static int run_exit(jk_exec *ex, const jk_command *cmd)
{
    if (jk_check_options(ex, cmd, no_options) != 0 || jk_check_args(ex, cmd, 0) != 0)
        return -1;
    jk_request_exit(ex);
    return 0;
}

const jk_command_spec jk_core_commands[] = {
    {"help", "help [COMMAND]", "Show the list of commands, or the options of one command.",
     "Without an argument, help lists every command with one line about it. With a command "
     "name it shows that command's synopsis, description and options. ?COMMAND and COMMAND? "
     "show the same help in the pager.",
     NULL, run_help, complete_command_name},
    {"print", "print TEXT", "Write the rest of the line to the cell's output.",
     "The text is written as typed, quotes and # included. End a line with \\ to continue "
     "the text on the next line.",
     NULL, run_print, NULL},
    {"warn", "warn TEXT", "Write the rest of the line to the cell's error stream.",
     "Like print, but to stderr, which notebooks show highlighted; useful for a teacher's "
     "note in an assignment.",
     NULL, run_warn, NULL},
    {"clear", "clear", "Clear the cell's output so far.", NULL, NULL, run_clear, NULL},
    {"sleep", "sleep SECONDS", "Wait for SECONDS seconds (for testing interrupts).",
     "Waits without using the processor and stops at once when interrupted. It exists so "
     "that tests and demonstrations of the interrupt button have a command that runs for "
     "a known time; SECONDS may be fractional, from 0 to 3600.",
     NULL, run_sleep, NULL},
    {"exit", "exit", "Close jupyter-console and shut the kernel down.",
     "The reply asks the frontend to exit (the ask_exit payload). jupyter-console closes and "
     "shuts the kernel down; Notebook ignores the request, so use File > Close and Halt "
     "there. quit does the same.",
     NULL, run_exit, NULL},
    {"quit", "quit", "The same as exit.", NULL, NULL, run_exit, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
