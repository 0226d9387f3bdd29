/* history.h: this session's inputs and outputs, for history_request. */
#ifndef JK_HISTORY_H
#define JK_HISTORY_H

#include <jansson.h>

/* The session number history replies carry: this kernel keeps only its own session. */
#define JK_HISTORY_SESSION 1

/* Records cell number line with its input and the text/plain of its execute_result
 * (output may be NULL). */
void jk_history_add(int line, const char *input, const char *output);

/* Builds the content of history_reply for a history_request's content. */
json_t *jk_history_reply(const json_t *request);

/* Matches text against a glob pattern as SQLite's GLOB does (which IPython's history
 * search uses): * any run, ? any one character, [...] a set or range, [^...] its
 * complement; case-sensitive. */
int jk_glob_match(const char *pattern, const char *text);

void jk_history_clear(void);

#endif /* JK_HISTORY_H */
