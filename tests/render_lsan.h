/* render_lsan.h: LeakSanitizer settings for programs that draw text with cairo.
 *
 * fontconfig, which cairo's text API uses to find DejaVu Sans, keeps a few font patterns
 * for the life of the process, and cairo_debug_reset_static_data does not release them.
 * The amount is fixed per font variant: 288 bytes after one bar chart and after fifty.
 * Builds with --enable-sanitizers read this hook, so those one-time allocations are not
 * reported as leaks while leaks of our own still are. Include it in exactly one file of
 * a program.
 */
#ifndef RENDER_LSAN_H
#define RENDER_LSAN_H

const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

#endif /* RENDER_LSAN_H */
