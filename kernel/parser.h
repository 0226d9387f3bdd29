/* parser.h: the nnscope command language.
 *
 * Grammar, informally:
 *   cell     := { line }
 *   line     := blank | comment | command [ comment ]
 *   command  := NAME { argument | option }
 *   option   := KEY "=" VALUE          (KEY a letter or "_", then letters, digits or "_")
 *   comment  := "#" up to the end of the physical line (only where a token may start)
 * A token is a run of characters without spaces; single- or double-quoted parts may
 * contain spaces and newlines, and inside them a backslash escapes \ ' " n t. A
 * backslash at the end of a physical line (outside quotes) joins the next line to this
 * one. Commands that take raw text (print, warn) get the rest of the line verbatim:
 * quotes and "#" have no special meaning there.
 */
#ifndef JK_PARSER_H
#define JK_PARSER_H

#include <stddef.h>

#include "command.h"

typedef struct {
    jk_command *commands;
    size_t count;
    int continued; /* 1 when the code ends with a line-continuing backslash */
} jk_program;

typedef struct {
    int line, column; /* 1-based, in code points */
    char message[512];
    int unclosed_quote; /* 1 when the code ended inside a quoted string */
} jk_parse_error;

/* Non-zero for command names whose rest of line is raw text (not tokenized). May be
 * NULL when no command takes raw text. */
typedef int (*jk_raw_text_predicate)(const char *name);

/* Parses code (valid UTF-8) into commands. Returns 0, or -1 with err filled. */
int jk_parse(const char *code, jk_raw_text_predicate takes_raw_text, jk_program *out,
             jk_parse_error *err);
void jk_program_free(jk_program *program);

/* "incomplete" when code ends inside a quoted string or with a line-continuing
 * backslash, "complete" otherwise (syntax errors are reported when the code runs). */
const char *jk_is_complete(const char *code, jk_raw_text_predicate takes_raw_text);

/* Edit distance with adjacent transpositions (optimal string alignment), in bytes; ASCII
 * letters compare without case. */
size_t jk_edit_distance(const char *a, const char *b);

/* The candidate closest to word when it is close enough to be a likely typo (distance 1
 * for words of up to 4 characters, 2 for longer ones), else NULL. candidates is
 * NULL-terminated. */
const char *jk_suggest(const char *word, const char *const *candidates);

#endif /* JK_PARSER_H */
