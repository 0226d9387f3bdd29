/* test_connection.c: reading connection files and forming ZeroMQ endpoints. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "kernel/connection.h"

static char path[64];

/* Writes text to a fresh temporary file whose name goes to path. */
static void write_file(const char *text)
{
    int fd;

    snprintf(path, sizeof path, "/tmp/nnscope-connection-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        fprintf(stderr, "cannot write %s\n", path);
    close(fd);
}

static int load(const char *text, jk_connection *connection, char *err, size_t err_size)
{
    int result;

    write_file(text);
    result = jk_connection_load(path, connection, err, err_size);
    unlink(path);
    return result;
}

static const char tcp_file[] =
    "{\"shell_port\": 5001, \"iopub_port\": 5002, \"stdin_port\": 5003, \"control_port\": 5004, "
    "\"hb_port\": 5005, \"ip\": \"127.0.0.1\", \"key\": \"a-secret\", \"transport\": \"tcp\", "
    "\"signature_scheme\": \"hmac-sha512\", \"kernel_name\": \"nnscope\"}";

static void test_tcp_file_read(void)
{
    jk_connection connection;
    char err[512] = "";
    char endpoint[300];

    CHECK_INT_EQ(load(tcp_file, &connection, err, sizeof err), 0);
    CHECK_STR_EQ(err, "");
    CHECK_INT_EQ(connection.shell_port, 5001);
    CHECK_INT_EQ(connection.hb_port, 5005);
    CHECK_STR_EQ(connection.signature_scheme, "hmac-sha512");
    CHECK_INT_EQ(connection.key_size, 8);
    CHECK_STR_EQ(connection.key, "a-secret");
    jk_connection_endpoint(&connection, connection.iopub_port, endpoint, sizeof endpoint);
    CHECK_STR_EQ(endpoint, "tcp://127.0.0.1:5002");
    jk_connection_free(&connection);
    CHECK(connection.key == NULL);
}

static void test_ipc_endpoint_uses_path(void)
{
    jk_connection connection;
    char err[512];
    char endpoint[300];

    CHECK_INT_EQ(load("{\"shell_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3, "
                      "\"control_port\": 4, \"hb_port\": 5, \"ip\": \"/tmp/kernel-7\", "
                      "\"key\": \"\", \"transport\": \"ipc\"}",
                      &connection, err, sizeof err), 0);
    jk_connection_endpoint(&connection, connection.control_port, endpoint, sizeof endpoint);
    CHECK_STR_EQ(endpoint, "ipc:///tmp/kernel-7-4");
    /* Missing optional fields get Jupyter's defaults. */
    CHECK_STR_EQ(connection.signature_scheme, "hmac-sha256");
    CHECK_INT_EQ(connection.key_size, 0);
    jk_connection_free(&connection);
}

static void test_ipv6_address_bracketed(void)
{
    jk_connection connection;
    char err[512];
    char endpoint[300];

    CHECK_INT_EQ(load("{\"shell_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3, "
                      "\"control_port\": 4, \"hb_port\": 5, \"ip\": \"::1\", \"key\": \"k\"}",
                      &connection, err, sizeof err), 0);
    jk_connection_endpoint(&connection, connection.shell_port, endpoint, sizeof endpoint);
    CHECK_STR_EQ(endpoint, "tcp://[::1]:1");
    jk_connection_free(&connection);
}

static void test_missing_port_named(void)
{
    jk_connection connection;
    char err[512] = "";

    CHECK_INT_EQ(load("{\"shell_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3, "
                      "\"hb_port\": 5}", &connection, err, sizeof err), -1);
    CHECK(strstr(err, "control_port") != NULL);
    CHECK(strstr(err, "1 to 65535") != NULL);
}

static void test_unknown_transport_rejected(void)
{
    jk_connection connection;
    char err[512] = "";

    CHECK_INT_EQ(load("{\"transport\": \"udp\", \"shell_port\": 1}", &connection, err,
                      sizeof err), -1);
    CHECK(strstr(err, "udp") != NULL);
    CHECK(strstr(err, "tcp or ipc") != NULL);
}

static void test_invalid_json_reports_line(void)
{
    jk_connection connection;
    char err[512] = "";

    CHECK_INT_EQ(load("{\n\"shell_port\": 1,\n", &connection, err, sizeof err), -1);
    CHECK(strstr(err, "line") != NULL);
}

static void test_missing_file_reported(void)
{
    jk_connection connection;
    char err[512] = "";

    CHECK_INT_EQ(jk_connection_load("/nonexistent/kernel.json", &connection, err, sizeof err),
                 -1);
    CHECK(strstr(err, "/nonexistent/kernel.json") != NULL);
}

int main(void)
{
    RUN(test_tcp_file_read);
    RUN(test_ipc_endpoint_uses_path);
    RUN(test_ipv6_address_bracketed);
    RUN(test_missing_port_named);
    RUN(test_unknown_transport_rejected);
    RUN(test_invalid_json_reports_line);
    RUN(test_missing_file_reported);
    return check_summary();
}
