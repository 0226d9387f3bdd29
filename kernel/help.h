/* help.h: help texts built from the command tables. */
#ifndef JK_HELP_H
#define JK_HELP_H

#include <jansson.h>

#include "command.h"

/* Plain-text help: the list of commands when spec is NULL, else the command's synopsis,
 * description and options. malloc'd. */
char *jk_help_text(const jk_command_spec *spec);

/* The same as a bundle with text/plain and text/html. */
json_t *jk_help_bundle(const jk_command_spec *spec);

/* Escapes & < > " ' for HTML text and attributes; malloc'd. */
char *jk_html_escape(const char *text);

/* Escapes text like jk_html_escape and turns each pair of backticks into a <code>
 * element, so `build basic` reads as code in HTML. A backtick without a partner and an
 * empty pair stay as typed. malloc'd, or NULL when out of memory. */
char *jk_html_with_code(const char *text);

#endif /* JK_HELP_H */
