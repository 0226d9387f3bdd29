/* main.c: the nnscope command line. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "install.h"
#include "kernel.h"
#include "log.h"

static const char help_text[] =
    "nnscope: a Jupyter kernel for learning how neural networks work.\n"
    "\n"
    "usage:\n"
    "  nnscope -f CONNECTION_FILE   run the kernel (Jupyter starts it this way)\n"
    "  nnscope install [--user | --prefix DIR] [--name NAME] [--interrupt-mode signal|message]\n"
    "                               write the kernelspec; the default directory is\n"
    "                               " NNSCOPE_PREFIX "/share/jupyter/kernels/NAME\n"
    "  nnscope --version            print the version\n"
    "  nnscope --help               print this help\n"
    "\n"
    "environment:\n"
    "  NNSCOPE_DATA_DIR    directory of the data files (default: the installed data)\n"
    "  NNSCOPE_LOG_LEVEL   debug, info, warning or error (default: warning); logs go to stderr\n";

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "install") == 0)
        return jk_install_main(argc - 2, argv + 2);
    if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
        printf("nnscope %s\n", PACKAGE_VERSION);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(help_text, stdout);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "-f") == 0) {
        jk_log_init();
        return jk_kernel_run(argv[2]);
    }

    if (argc < 2)
        fputs("nnscope: missing arguments; to run the kernel use nnscope -f CONNECTION_FILE\n\n",
              stderr);
    else if (strcmp(argv[1], "-f") == 0)
        fputs("nnscope: -f needs exactly one argument, the connection file\n\n", stderr);
    else
        fprintf(stderr, "nnscope: unknown argument '%s'\n\n", argv[1]);
    fputs(help_text, stderr);
    return 2;
}
