/* error.c: filling an nn_error. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int nn_fail(nn_error *err, nn_error_code code, const char *format, ...)
{
    va_list args;

    if (!err)
        return -1;
    err->code = code;
    va_start(args, format);
    vsnprintf(err->message, sizeof err->message, format, args);
    va_end(args);
    return -1;
}
