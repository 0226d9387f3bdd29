/* format.c: numbers as people read them in tables and chart annotations. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

void render_format_count(char *buf, size_t size, unsigned long long n)
{
    char digits[32], grouped[48];
    size_t length, out = 0;

    if (size == 0)
        return;

    length = (size_t)snprintf(digits, sizeof digits, "%llu", n);
    for (size_t i = 0; i < length; i++) {
        /* A comma goes before every digit whose distance from the end is a multiple of 3. */
        if (i > 0 && (length - i) % 3 == 0)
            grouped[out++] = ',';
        grouped[out++] = digits[i];
    }
    grouped[out] = '\0';

    /* A buffer too small for the grouped number gets its leading part, still terminated. */
    if (out >= size)
        out = size - 1;
    memcpy(buf, grouped, out);
    buf[out] = '\0';
}

void render_format_number(char *buf, size_t size, double value)
{
    if (size == 0)
        return;

    if (isnan(value)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(value)) {
        snprintf(buf, size, value > 0 ? "inf" : "-inf");
        return;
    }

    if (fabs(value) >= 10000 && fabs(value) < 1e18) {
        char digits[32];
        render_format_count(digits, sizeof digits, (unsigned long long)llround(fabs(value)));
        snprintf(buf, size, "%s%s", value < 0 ? "-" : "", digits);
        return;
    }

    /* %g switches to exponents below 1e-4, where 4 significant digits would otherwise
     * need long runs of zeros. */
    snprintf(buf, size, "%.4g", value == 0 ? 0.0 : value);
}

void render_drop_negative_zero(char *text)
{
    int digits = 0;

    if (text[0] != '-')
        return;
    for (const char *p = text + 1; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
        if (*p >= '1' && *p <= '9')
            return;
        digits += *p == '0';
    }
    if (digits > 0) /* not "-inf" or "-nan" */
        memmove(text, text + 1, strlen(text));
}
