/* install.c: `nnscope install`, which writes kernel.json and the logos the way
 * `python3 -m ipykernel install` does. */
#include "install.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NNSCOPE_PREFIX
#error "NNSCOPE_PREFIX must be defined by the build (kernel/Makefile.am)"
#endif

static const char usage[] =
    "usage: nnscope install [--user | --prefix DIR] [--name NAME] "
    "[--interrupt-mode signal|message]\n";

/* Creates path and its missing parents, like mkdir -p. */
static int make_directories(const char *path)
{
    char partial[PATH_MAX];
    size_t length = strlen(path);

    if (length >= sizeof partial) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(partial, path, length + 1);
    for (size_t i = 1; i <= length; i++) {
        if (partial[i] != '/' && partial[i] != '\0')
            continue;
        partial[i] = '\0';
        if (mkdir(partial, 0755) != 0 && errno != EEXIST)
            return -1;
        partial[i] = path[i];
    }
    return 0;
}

static int valid_kernel_name(const char *name)
{
    /* Jupyter accepts ASCII letters, digits, '.', '_' and '-' in kernel names. */
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return 0;
    }
    return 1;
}

int jk_install_main(int argc, char **argv)
{
    const char *prefix = NNSCOPE_PREFIX;
    const char *name = "nnscope";
    const char *interrupt_mode = "signal";
    int user = 0, prefix_given = 0;
    char binary[PATH_MAX], directory[PATH_MAX], path[PATH_MAX + 32], err[512];
    ssize_t length;
    json_t *spec;

    for (int i = 0; i < argc; i++) {
        const char *argument = argv[i];
        if (strcmp(argument, "--user") == 0) {
            user = 1;
        } else if (strcmp(argument, "--prefix") == 0 && i + 1 < argc) {
            prefix = argv[++i];
            prefix_given = 1;
        } else if (strcmp(argument, "--name") == 0 && i + 1 < argc) {
            name = argv[++i];
        } else if (strcmp(argument, "--interrupt-mode") == 0 && i + 1 < argc) {
            interrupt_mode = argv[++i];
        } else if (strcmp(argument, "--help") == 0 || strcmp(argument, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "nnscope install: unknown or incomplete argument '%s'\n%s",
                    argument, usage);
            return 2;
        }
    }
    if (user && prefix_given) {
        fprintf(stderr, "nnscope install: use either --user or --prefix, not both\n");
        return 2;
    }
    if (strcmp(interrupt_mode, "signal") != 0 && strcmp(interrupt_mode, "message") != 0) {
        fprintf(stderr, "nnscope install: --interrupt-mode %s is not valid; use signal or "
                        "message\n", interrupt_mode);
        return 2;
    }
    if (!valid_kernel_name(name)) {
        fprintf(stderr, "nnscope install: --name '%s' is not valid; use letters, digits, "
                        "'.', '_' and '-'\n", name);
        return 2;
    }

    length = readlink("/proc/self/exe", binary, sizeof binary - 1);
    if (length <= 0) {
        fprintf(stderr, "nnscope install: cannot find the nnscope binary's path: %s\n",
                strerror(errno));
        return 1;
    }
    binary[length] = '\0';

    if (user) {
        const char *home = getenv("HOME");
        if (!home || !*home) {
            fprintf(stderr, "nnscope install: --user needs HOME to be set\n");
            return 1;
        }
        snprintf(directory, sizeof directory, "%s/.local/share/jupyter/kernels/%s", home, name);
    } else {
        snprintf(directory, sizeof directory, "%s/share/jupyter/kernels/%s", prefix, name);
    }
    if (make_directories(directory) != 0) {
        fprintf(stderr, "nnscope install: cannot create %s: %s\n", directory, strerror(errno));
        return 1;
    }

    spec = json_pack("{s:[s, s, s], s:s, s:s, s:s, s:{s:b}}", "argv", binary, "-f",
                     "{connection_file}", "display_name", "nnscope", "language", "nnscope",
                     "interrupt_mode", interrupt_mode, "metadata", "debugger", 0);
    snprintf(path, sizeof path, "%s/kernel.json", directory);
    if (!spec || json_dump_file(spec, path, JSON_INDENT(1)) != 0) {
        fprintf(stderr, "nnscope install: cannot write %s: %s\n", path, strerror(errno));
        json_decref(spec);
        return 1;
    }
    json_decref(spec);

    for (int size = 32; size <= 64; size *= 2) {
        snprintf(path, sizeof path, "%s/logo-%dx%d.png", directory, size, size);
        if (jk_logo_write(path, size, err, sizeof err) != 0) {
            fprintf(stderr, "nnscope install: %s\n", err);
            return 1;
        }
    }

    printf("Installed kernelspec %s in %s\n", name, directory);
    return 0;
}
