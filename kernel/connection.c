/* connection.c: reading the connection file. */
#include "connection.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int copy_string(json_t *root, const char *key, const char *fallback, char *out,
                       size_t size, const char *path, char *err, size_t err_size)
{
    json_t *value = json_object_get(root, key);
    const char *text;

    if (!value && fallback) {
        snprintf(out, size, "%s", fallback);
        return 0;
    }
    if (!json_is_string(value)) {
        snprintf(err, err_size, "%s: field \"%s\" is %s; expected a string", path, key,
                 value ? "not a string" : "missing");
        return -1;
    }
    text = json_string_value(value);
    if (strlen(text) >= size) {
        snprintf(err, err_size, "%s: field \"%s\" is longer than %zu bytes", path, key,
                 size - 1);
        return -1;
    }
    snprintf(out, size, "%s", text);
    return 0;
}

static int read_port(json_t *root, const char *key, int *out, const char *path, char *err,
                     size_t err_size)
{
    json_t *value = json_object_get(root, key);

    if (!json_is_integer(value) || json_integer_value(value) < 1 ||
        json_integer_value(value) > 65535) {
        snprintf(err, err_size, "%s: field \"%s\" must be a port number from 1 to 65535", path,
                 key);
        return -1;
    }
    *out = (int)json_integer_value(value);
    return 0;
}

int jk_connection_load(const char *path, jk_connection *out, char *err, size_t err_size)
{
    json_error_t parse_error;
    json_t *root = json_load_file(path, 0, &parse_error);
    json_t *key;
    int result = -1;

    memset(out, 0, sizeof *out);
    if (!root && parse_error.line > 0) {
        snprintf(err, err_size, "cannot read connection file %s: %s (line %d)", path,
                 parse_error.text, parse_error.line);
        return -1;
    }
    if (!root) {
        snprintf(err, err_size, "cannot read connection file %s: %s", path, parse_error.text);
        return -1;
    }
    if (!json_is_object(root)) {
        snprintf(err, err_size, "connection file %s does not contain a JSON object", path);
        goto out;
    }

    if (copy_string(root, "transport", "tcp", out->transport, sizeof out->transport, path, err,
                    err_size) != 0 ||
        copy_string(root, "ip", "127.0.0.1", out->ip, sizeof out->ip, path, err, err_size) != 0 ||
        copy_string(root, "signature_scheme", "hmac-sha256", out->signature_scheme,
                    sizeof out->signature_scheme, path, err, err_size) != 0 ||
        copy_string(root, "kernel_name", "nnscope", out->kernel_name, sizeof out->kernel_name,
                    path, err, err_size) != 0)
        goto out;
    if (strcmp(out->transport, "tcp") != 0 && strcmp(out->transport, "ipc") != 0) {
        snprintf(err, err_size, "%s: transport \"%s\" is not supported; use tcp or ipc", path,
                 out->transport);
        goto out;
    }

    if (read_port(root, "shell_port", &out->shell_port, path, err, err_size) != 0 ||
        read_port(root, "control_port", &out->control_port, path, err, err_size) != 0 ||
        read_port(root, "stdin_port", &out->stdin_port, path, err, err_size) != 0 ||
        read_port(root, "iopub_port", &out->iopub_port, path, err, err_size) != 0 ||
        read_port(root, "hb_port", &out->hb_port, path, err, err_size) != 0)
        goto out;

    key = json_object_get(root, "key");
    if (key && !json_is_string(key)) {
        snprintf(err, err_size, "%s: field \"key\" must be a string", path);
        goto out;
    }
    out->key_size = key ? json_string_length(key) : 0;
    out->key = malloc(out->key_size + 1);
    if (!out->key) {
        snprintf(err, err_size, "out of memory");
        goto out;
    }
    if (out->key_size)
        memcpy(out->key, json_string_value(key), out->key_size);
    out->key[out->key_size] = '\0';
    result = 0;

out:
    json_decref(root);
    return result;
}

void jk_connection_free(jk_connection *connection)
{
    if (connection->key) {
        /* The key is a secret; do not leave it in freed memory. */
        memset(connection->key, 0, connection->key_size);
        free(connection->key);
    }
    connection->key = NULL;
    connection->key_size = 0;
}

void jk_connection_endpoint(const jk_connection *connection, int port, char *out, size_t size)
{
    if (strcmp(connection->transport, "ipc") == 0)
        snprintf(out, size, "ipc://%s-%d", connection->ip, port);
    else if (strchr(connection->ip, ':') && connection->ip[0] != '[')
        snprintf(out, size, "tcp://[%s]:%d", connection->ip, port); /* IPv6 */
    else
        snprintf(out, size, "tcp://%s:%d", connection->ip, port);
}
