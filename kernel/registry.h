/* registry.h: lookups over both command tables (jk_core_commands, jk_model_commands). */
#ifndef JK_REGISTRY_H
#define JK_REGISTRY_H

#include "command.h"

/* Non-zero for commands that take the rest of their line as raw text (print, warn). */
int jk_takes_raw_text(const char *name);

/* All command names, NULL-terminated, in table order (core commands first). */
const char *const *jk_command_names(void);

/* Calls visit for every command in table order. */
void jk_each_command(void (*visit)(const jk_command_spec *spec, void *data), void *data);

#endif /* JK_REGISTRY_H */
