/* install.h: writing the kernelspec that makes Jupyter offer nnscope. */
#ifndef JK_INSTALL_H
#define JK_INSTALL_H

#include <stddef.h>

/* Runs `nnscope install [--user | --prefix DIR] [--name NAME]
 * [--interrupt-mode signal|message]` with the arguments after "install". Returns the
 * process exit status. */
int jk_install_main(int argc, char **argv);

/* Draws the nnscope logo, size x size pixels, into a PNG file. Returns 0, or -1 with a
 * message in err. */
int jk_logo_write(const char *path, int size, char *err, size_t err_size);

#endif /* JK_INSTALL_H */
