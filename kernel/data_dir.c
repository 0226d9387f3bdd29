/* data_dir.c: where the kernel's data files are. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"

#ifndef NNSCOPE_PKGDATADIR
#error "NNSCOPE_PKGDATADIR must be defined by the build (kernel/Makefile.am)"
#endif

const char *jk_data_dir(void)
{
    static char directory[PATH_MAX];
    const char *setting = getenv("NNSCOPE_DATA_DIR");
    char binary[PATH_MAX];
    char build_binary[PATH_MAX];
    ssize_t length;

    if (setting && *setting)
        return setting;
    if (directory[0])
        return directory;

    /* A binary that is the one make built in the build tree reads the build tree's
     * data, so the kernel works before `make install`. */
    snprintf(directory, sizeof directory, "%s", NNSCOPE_PKGDATADIR);
#if defined(NNSCOPE_BUILD_BINARY) && defined(NNSCOPE_BUILD_DATA_DIR)
    /* /proc/self/exe has symbolic links resolved, so the build path is resolved too. */
    length = readlink("/proc/self/exe", binary, sizeof binary - 1);
    if (length > 0 && realpath(NNSCOPE_BUILD_BINARY, build_binary)) {
        binary[length] = '\0';
        if (strcmp(binary, build_binary) == 0)
            snprintf(directory, sizeof directory, "%s", NNSCOPE_BUILD_DATA_DIR);
    }
#else
    (void)binary;
    (void)build_binary;
    (void)length;
#endif
    return directory;
}
