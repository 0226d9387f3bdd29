/* help.c: the help of one command, and the table of all commands. */
#include "help.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "utf8.h"

/*** a growing string ***/

typedef struct {
    char *data;
    size_t size, capacity;
    int failed;
} text_builder;

static void builder_append(text_builder *b, const char *text)
{
    size_t length = strlen(text);

    if (b->failed)
        return;
    if (b->size + length + 1 > b->capacity) {
        size_t capacity = 2 * (b->size + length + 1) + 64;
        char *grown = realloc(b->data, capacity);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->size, text, length + 1);
    b->size += length;
}

static void builder_printf(text_builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void builder_printf(text_builder *b, const char *fmt, ...)
{
    char *text;
    va_list args;
    int length;

    va_start(args, fmt);
    length = vasprintf(&text, fmt, args);
    va_end(args);
    if (length < 0) {
        b->failed = 1;
        return;
    }
    builder_append(b, text);
    free(text);
}

/* Appends text as HTML, with `code spans` as <code> elements. */
static void builder_append_escaped(text_builder *b, const char *text)
{
    char *escaped = jk_html_with_code(text);

    if (!escaped) {
        b->failed = 1;
        return;
    }
    builder_append(b, escaped);
    free(escaped);
}

static char *builder_finish(text_builder *b)
{
    if (b->failed || !b->data) {
        free(b->data);
        return b->failed ? NULL : strdup("");
    }
    return b->data;
}

char *jk_html_escape(const char *text)
{
    text_builder b = {0};
    char single[2] = {0, 0};

    builder_append(&b, "");
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': builder_append(&b, "&amp;"); break;
        case '<': builder_append(&b, "&lt;"); break;
        case '>': builder_append(&b, "&gt;"); break;
        case '"': builder_append(&b, "&quot;"); break;
        case '\'': builder_append(&b, "&#39;"); break;
        default:
            single[0] = *p;
            builder_append(&b, single);
        }
    }
    return builder_finish(&b);
}

char *jk_html_with_code(const char *text)
{
    char *escaped = jk_html_escape(text);
    text_builder b = {0};
    char single[2] = {0, 0};
    const char *p;

    if (!escaped)
        return NULL;

    /* Escaping first means a backtick can only come from the text itself, and no markup
     * in the text survives inside the <code> element. */
    builder_append(&b, "");
    for (p = escaped; *p; p++) {
        const char *close = *p == '`' ? strchr(p + 1, '`') : NULL;

        if (close && close > p + 1) {
            builder_append(&b, "<code>");
            for (const char *q = p + 1; q < close; q++) {
                single[0] = *q;
                builder_append(&b, single);
            }
            builder_append(&b, "</code>");
            p = close;
            continue;
        }
        single[0] = *p;
        builder_append(&b, single);
    }
    free(escaped);
    return builder_finish(&b);
}

/*** the list of commands ***/

typedef struct {
    text_builder *b;
    size_t name_width;
    int html;
} list_context;

static void measure_name(const jk_command_spec *spec, void *data)
{
    list_context *context = data;
    size_t width = jk_utf8_length(spec->name);

    if (width > context->name_width)
        context->name_width = width;
}

static void list_row(const jk_command_spec *spec, void *data)
{
    list_context *context = data;

    if (context->html) {
        builder_append(context->b, "<tr><td style=\"text-align:left\"><code>");
        builder_append_escaped(context->b, spec->synopsis);
        builder_append(context->b, "</code></td><td style=\"text-align:left\">");
        builder_append_escaped(context->b, spec->summary);
        builder_append(context->b, "</td></tr>\n");
        return;
    }
    builder_printf(context->b, "  %-*s  %s\n", (int)context->name_width, spec->name,
                   spec->summary);
}

static char *command_list(int html)
{
    text_builder b = {0};
    list_context context = {&b, 0, html};

    if (html) {
        builder_append(&b, "<table>\n<thead><tr><th style=\"text-align:left\">Command</th>"
                           "<th style=\"text-align:left\">What it does</th></tr></thead>\n"
                           "<tbody>\n");
        jk_each_command(list_row, &context);
        builder_append(&b, "</tbody>\n</table>\n<p>Type <code>help COMMAND</code> for the "
                           "options of one command.</p>\n");
    } else {
        jk_each_command(measure_name, &context);
        builder_append(&b, "Commands:\n");
        jk_each_command(list_row, &context);
        builder_append(&b, "Type help COMMAND for the options of one command.\n");
    }
    return builder_finish(&b);
}

/*** one command ***/

static char *command_help(const jk_command_spec *spec, int html)
{
    text_builder b = {0};

    if (html) {
        builder_append(&b, "<p><code>");
        builder_append_escaped(&b, spec->synopsis);
        builder_append(&b, "</code></p>\n<p>");
        builder_append_escaped(&b, spec->summary);
        builder_append(&b, "</p>\n");
        if (spec->description) {
            builder_append(&b, "<p>");
            builder_append_escaped(&b, spec->description);
            builder_append(&b, "</p>\n");
        }
        if (spec->options && spec->options[0].name) {
            builder_append(&b, "<table>\n<thead><tr><th style=\"text-align:left\">Option</th>"
                               "<th style=\"text-align:left\">Meaning</th></tr></thead>\n"
                               "<tbody>\n");
            for (const jk_option_help *option = spec->options; option->name; option++) {
                builder_append(&b, "<tr><td style=\"text-align:left\"><code>");
                builder_append_escaped(&b, option->name);
                builder_append(&b, "</code></td><td style=\"text-align:left\">");
                builder_append_escaped(&b, option->help);
                builder_append(&b, "</td></tr>\n");
            }
            builder_append(&b, "</tbody>\n</table>\n");
        }
        return builder_finish(&b);
    }

    builder_printf(&b, "%s\n\n%s\n", spec->synopsis, spec->summary);
    if (spec->description)
        builder_printf(&b, "\n%s\n", spec->description);
    if (spec->options && spec->options[0].name) {
        size_t width = 0;
        for (const jk_option_help *option = spec->options; option->name; option++) {
            if (jk_utf8_length(option->name) > width)
                width = jk_utf8_length(option->name);
        }
        builder_append(&b, "\nOptions:\n");
        for (const jk_option_help *option = spec->options; option->name; option++)
            builder_printf(&b, "  %-*s  %s\n", (int)width, option->name, option->help);
    }
    return builder_finish(&b);
}

char *jk_help_text(const jk_command_spec *spec)
{
    return spec ? command_help(spec, 0) : command_list(0);
}

json_t *jk_help_bundle(const jk_command_spec *spec)
{
    char *text = jk_help_text(spec);
    char *html = spec ? command_help(spec, 1) : command_list(1);
    json_t *bundle = NULL;

    if (text && html)
        bundle = json_pack("{s:s, s:s}", "text/plain", text, "text/html", html);
    free(text);
    free(html);
    return bundle;
}
