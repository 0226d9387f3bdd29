/* kernel_test_commands.h: a stand-in model command table and an output recorder for
 * the kernel's unit tests that run real cells (test_options, test_complete). */
#ifndef KERNEL_TEST_COMMANDS_H
#define KERNEL_TEST_COMMANDS_H

#include <jansson.h>

#include "kernel/exec.h"

/* What a cell sent: outputs is an array of {"msg_type", "content"} objects, stdout_text
 * and stderr_text the stream text joined. */
typedef struct {
    json_t *outputs;
    char stdout_text[4096];
    char stderr_text[4096];
} recorded_output;

/* Runs code as a cell with a recording output; free with recording_clear. */
void run_recorded(const char *code, recorded_output *record, jk_cell_outcome *outcome);
void recording_clear(recorded_output *record, jk_cell_outcome *outcome);

/* The msg_type of output number index, or "" when there is none. */
const char *recorded_type(const recorded_output *record, size_t index);

#endif /* KERNEL_TEST_COMMANDS_H */
