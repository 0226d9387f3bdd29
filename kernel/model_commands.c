/* model_commands.c: the table of model commands (data, build, train, ...).
 *
 * The kernel's dispatcher looks commands up here after its own core table. Each entry's
 * run function lives in a cmd_*.c file of its own; the table is terminated by an entry
 * whose name is NULL.
 */
#include "command.h"

const jk_command_spec jk_model_commands[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
