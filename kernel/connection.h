/* connection.h: the connection file that Jupyter writes for a kernel it starts. */
#ifndef JK_CONNECTION_H
#define JK_CONNECTION_H

#include <stddef.h>

typedef struct {
    char transport[16];       /* "tcp" or "ipc" */
    char ip[256];             /* an address for tcp, a path prefix for ipc */
    int shell_port, control_port, stdin_port, iopub_port, hb_port;
    char signature_scheme[32];
    char *key;                /* malloc'd; may be empty (signing disabled) */
    size_t key_size;
    char kernel_name[128];
} jk_connection;

/* Reads and checks path. Returns 0, or -1 with a message naming the file, the field and
 * the fix in err. */
int jk_connection_load(const char *path, jk_connection *out, char *err, size_t err_size);
void jk_connection_free(jk_connection *connection);

/* Writes the ZeroMQ endpoint of port, e.g. "tcp://127.0.0.1:5555", "tcp://[::1]:5555"
 * or "ipc:///tmp/kernel-1234-5555". */
void jk_connection_endpoint(const jk_connection *connection, int port, char *out, size_t size);

#endif /* JK_CONNECTION_H */
