/* registry.c: finding commands in the core and model tables. */
#include "registry.h"

#include <string.h>

static const jk_command_spec *const tables[] = {jk_core_commands, jk_model_commands};
#define TABLE_COUNT (sizeof tables / sizeof tables[0])

/* Enough for both tables; names beyond this are left out of suggestions only. */
#define MAX_COMMANDS 256

const jk_command_spec *jk_find_command(const char *name)
{
    for (size_t t = 0; t < TABLE_COUNT; t++) {
        for (const jk_command_spec *spec = tables[t]; spec->name; spec++) {
            if (strcmp(spec->name, name) == 0)
                return spec;
        }
    }
    return NULL;
}

int jk_takes_raw_text(const char *name)
{
    return strcmp(name, "print") == 0 || strcmp(name, "warn") == 0;
}

const char *const *jk_command_names(void)
{
    /* The tables are constant, so the list is built once; only the main thread calls
     * this. */
    static const char *names[MAX_COMMANDS + 1];
    static int built;

    if (!built) {
        size_t count = 0;
        for (size_t t = 0; t < TABLE_COUNT; t++) {
            for (const jk_command_spec *spec = tables[t]; spec->name && count < MAX_COMMANDS;
                 spec++)
                names[count++] = spec->name;
        }
        names[count] = NULL;
        built = 1;
    }
    return names;
}

void jk_each_command(void (*visit)(const jk_command_spec *spec, void *data), void *data)
{
    for (size_t t = 0; t < TABLE_COUNT; t++) {
        for (const jk_command_spec *spec = tables[t]; spec->name; spec++)
            visit(spec, data);
    }
}
