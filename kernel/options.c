/* options.c: reading key=value options, with errors that name the value, the allowed
 * range and the fix. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "parser.h"

/* The last occurrence of key; jk_check_options rejects repeated keys before any
 * command reads them. */
static const jk_option *find_option(const jk_command *cmd, const char *key)
{
    const jk_option *found = NULL;

    for (size_t i = 0; i < cmd->n_options; i++) {
        if (strcmp(cmd->options[i].key.text, key) == 0)
            found = &cmd->options[i];
    }
    return found;
}

static int parse_long(const char *text, long *out)
{
    char *end;
    long value;

    errno = 0;
    value = strtol(text, &end, 10);
    if (end == text || *end || errno != 0)
        return -1;
    *out = value;
    return 0;
}

int jk_option_int(jk_exec *ex, const jk_command *cmd, const char *key, long min, long max,
                  long *out)
{
    const jk_option *option = find_option(cmd, key);
    long value;
    /* The example is the value in effect, which fits the other settings, unlike min. */
    long example = *out >= min && *out <= max ? *out : min;

    if (!option)
        return 0;
    if (parse_long(option->value.text, &value) != 0)
        return jk_fail(ex, JK_OPTION_ERROR, &option->value,
                       "%s=%s is not a whole number; use an integer from %ld to %ld, e.g. %s=%ld",
                       key, option->value.text, min, max, key, example);
    if (value < min || value > max)
        return jk_fail(ex, JK_OPTION_ERROR, &option->value,
                       "%s=%ld is out of range; use an integer from %ld to %ld, e.g. %s=%ld", key,
                       value, min, max, key, example);
    *out = value;
    return 1;
}

int jk_option_double(jk_exec *ex, const jk_command *cmd, const char *key, double min,
                     double max, double *out)
{
    const jk_option *option = find_option(cmd, key);
    char *end;
    double value;
    double example = *out >= min && *out <= max ? *out : min;

    if (!option)
        return 0;
    errno = 0;
    value = strtod(option->value.text, &end);
    if (end == option->value.text || *end || errno != 0 || !isfinite(value))
        return jk_fail(ex, JK_OPTION_ERROR, &option->value,
                       "%s=%s is not a number; use a number from %g to %g, e.g. %s=%g", key,
                       option->value.text, min, max, key, example);
    if (value < min || value > max)
        return jk_fail(ex, JK_OPTION_ERROR, &option->value,
                       "%s=%s is out of range; use a number from %g to %g, e.g. %s=%g", key,
                       option->value.text, min, max, key, example);
    *out = value;
    return 1;
}

static char *join_choices(const char *const *choices)
{
    size_t size = 1;
    char *joined;

    for (size_t i = 0; choices[i]; i++)
        size += strlen(choices[i]) + 2;
    joined = malloc(size);
    if (!joined)
        return NULL;
    joined[0] = '\0';
    for (size_t i = 0; choices[i]; i++) {
        if (i > 0)
            strcat(joined, ", ");
        strcat(joined, choices[i]);
    }
    return joined;
}

int jk_option_choice(jk_exec *ex, const jk_command *cmd, const char *key,
                     const char *const *choices, int *out)
{
    const jk_option *option = find_option(cmd, key);
    const char *suggestion;
    char *joined;

    if (!option)
        return 0;
    for (int i = 0; choices[i]; i++) {
        if (strcmp(choices[i], option->value.text) == 0) {
            *out = i;
            return 1;
        }
    }

    suggestion = jk_suggest(option->value.text, choices);
    joined = join_choices(choices);
    if (suggestion)
        jk_fail(ex, JK_OPTION_ERROR, &option->value,
                "%s=%s is not a valid choice; did you mean %s=%s? Choices: %s", key,
                option->value.text, key, suggestion, joined ? joined : "");
    else
        jk_fail(ex, JK_OPTION_ERROR, &option->value,
                "%s=%s is not a valid choice; use one of: %s", key, option->value.text,
                joined ? joined : "");
    free(joined);
    return -1;
}

int jk_option_string(jk_exec *ex, const jk_command *cmd, const char *key, const char **out)
{
    const jk_option *option = find_option(cmd, key);

    if (!option)
        return 0;
    if (!option->value.text[0])
        return jk_fail(ex, JK_OPTION_ERROR, &option->key,
                       "%s= has no value; write it as %s=VALUE (quote values with spaces)", key,
                       key);
    *out = option->value.text;
    return 1;
}

int jk_option_int_list(jk_exec *ex, const jk_command *cmd, const char *key, long min, long max,
                       long *out, size_t max_count, size_t *count)
{
    const jk_option *option = find_option(cmd, key);
    char *copy;
    char *rest;
    char *item;
    size_t n = 0;
    int result = -1;

    if (!option)
        return 0;
    if (!option->value.text[0])
        return jk_fail(ex, JK_OPTION_ERROR, &option->value,
                       "%s= has no values; write integers from %ld to %ld separated by commas",
                       key, min, max);
    copy = strdup(option->value.text);
    if (!copy)
        return jk_fail(ex, JK_OPTION_ERROR, &option->value, "out of memory");

    /* strsep keeps empty items, so "128,,64" is reported rather than read as 128,64. */
    rest = copy;
    while ((item = strsep(&rest, ",")) != NULL) {
        long value;
        if (n == max_count) {
            jk_fail(ex, JK_OPTION_ERROR, &option->value,
                    "%s=%s has more than %zu values; give at most %zu integers from %ld to %ld, "
                    "separated by commas", key, option->value.text, max_count, max_count, min,
                    max);
            goto out;
        }
        if (parse_long(item, &value) != 0) {
            jk_fail(ex, JK_OPTION_ERROR, &option->value,
                    "%s=%s: '%s' is not a whole number; write integers from %ld to %ld "
                    "separated by commas", key, option->value.text, item, min, max);
            goto out;
        }
        if (value < min || value > max) {
            jk_fail(ex, JK_OPTION_ERROR, &option->value,
                    "%s=%s: %ld is out of range; each value must be from %ld to %ld", key,
                    option->value.text, value, min, max);
            goto out;
        }
        out[n++] = value;
    }
    *count = n;
    result = 1;

out:
    free(copy);
    return result;
}

int jk_check_options(jk_exec *ex, const jk_command *cmd, const char *const *allowed)
{
    for (size_t i = 0; i < cmd->n_options; i++) {
        const jk_option *option = &cmd->options[i];
        int known = 0;

        for (size_t j = 0; allowed[j]; j++) {
            if (strcmp(allowed[j], option->key.text) == 0)
                known = 1;
        }
        if (!known) {
            const char *suggestion = jk_suggest(option->key.text, allowed);
            char *joined = join_choices(allowed);

            if (!allowed[0])
                jk_fail(ex, JK_OPTION_ERROR, &option->key, "%s takes no options, but got %s=",
                        cmd->name.text, option->key.text);
            else if (suggestion)
                jk_fail(ex, JK_OPTION_ERROR, &option->key,
                        "unknown option '%s' for %s; did you mean '%s'? Options: %s",
                        option->key.text, cmd->name.text, suggestion, joined ? joined : "");
            else
                jk_fail(ex, JK_OPTION_ERROR, &option->key,
                        "unknown option '%s' for %s; options: %s", option->key.text,
                        cmd->name.text, joined ? joined : "");
            free(joined);
            return -1;
        }

        for (size_t j = 0; j < i; j++) {
            if (strcmp(cmd->options[j].key.text, option->key.text) == 0)
                return jk_fail(ex, JK_OPTION_ERROR, &option->key,
                               "option %s is given twice; keep one %s=", option->key.text,
                               option->key.text);
        }
    }
    return 0;
}

int jk_check_args(jk_exec *ex, const jk_command *cmd, size_t max)
{
    if (cmd->n_args <= max)
        return 0;
    if (max == 0)
        return jk_fail(ex, JK_COMMAND_ERROR, &cmd->args[0],
                       "%s takes no arguments, but got '%s'; type help %s for its usage",
                       cmd->name.text, cmd->args[0].text, cmd->name.text);
    return jk_fail(ex, JK_COMMAND_ERROR, &cmd->args[max],
                   "%s takes at most %zu argument%s, but got '%s' as well; options are "
                   "written key=value (type help %s)",
                   cmd->name.text, max, max == 1 ? "" : "s", cmd->args[max].text,
                   cmd->name.text);
}
