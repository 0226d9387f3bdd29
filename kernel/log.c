/* log.c: one line per event on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The kernel's stderr reaches the user's terminal (jupyter console prints it between
 * outputs), so by default only problems are logged. */
static jk_log_level minimum_level = JK_LOG_WARNING;

static const char *const level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};

void jk_log_init(void)
{
    const char *setting = getenv("NNSCOPE_LOG_LEVEL");

    if (!setting || !*setting)
        return;
    for (int level = JK_LOG_DEBUG; level <= JK_LOG_ERROR; level++) {
        if (strcasecmp(setting, level_names[level]) == 0) {
            minimum_level = (jk_log_level)level;
            return;
        }
    }
    fprintf(stderr, "nnscope: ignoring NNSCOPE_LOG_LEVEL=%s; use debug, info, warning or error\n",
            setting);
}

void jk_log(jk_log_level level, const char *msg_id, const char *fmt, ...)
{
    char line[1024];
    struct timespec now;
    struct tm utc;
    size_t used;
    va_list args;

    if (level < minimum_level)
        return;

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &utc);
    used = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &utc);
    used += (size_t)snprintf(line + used, sizeof line - used, ".%06ldZ nnscope %s ",
                             now.tv_nsec / 1000, level_names[level]);
    if (msg_id && *msg_id)
        used += (size_t)snprintf(line + used, sizeof line - used, "[%s] ", msg_id);

    va_start(args, fmt);
    vsnprintf(line + used, sizeof line - used, fmt, args);
    va_end(args);

    /* One fputs per line: stdio locks the stream for the call, so lines from different
     * threads never interleave. A line longer than the buffer is cut. */
    used = strlen(line);
    if (used > sizeof line - 2)
        used = sizeof line - 2;
    line[used] = '\n';
    line[used + 1] = '\0';
    fputs(line, stderr);
}
