/* error.h: filling an nn_error, shared by every file of the engine. */
#ifndef NN_ERROR_H
#define NN_ERROR_H

#include "nn.h"

/* Fills err (when not NULL) with code and a formatted message, and returns -1 so a caller
 * can write `return nn_fail(...)`. */
int nn_fail(nn_error *err, nn_error_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* NN_ERROR_H */
