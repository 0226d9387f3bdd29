/* signals.c: SIGINT and SIGTERM.
 *
 * jupyter_client interrupts a kernel in signal mode by sending SIGINT to its process
 * group, and OpenBLAS starts its worker threads with an empty signal mask, so the
 * signal can land on any thread. The handlers therefore only set flags (and write one
 * byte to a pipe that the main thread polls), which is safe on every thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "kernel.h"

static volatile sig_atomic_t interrupt_flag;
static volatile sig_atomic_t terminate_flag;
static int wake_pipe[2] = {-1, -1};

volatile sig_atomic_t *jk_interrupt_flag(void)
{
    return &interrupt_flag;
}

void jk_interrupt(void)
{
    interrupt_flag = 1;
}

void jk_interrupt_clear(void)
{
    interrupt_flag = 0;
}

int jk_terminate_requested(void)
{
    return terminate_flag;
}

static void on_interrupt(int signal_number)
{
    (void)signal_number;
    interrupt_flag = 1;
}

static void on_terminate(int signal_number)
{
    int saved_errno = errno;
    ssize_t written;

    (void)signal_number;
    terminate_flag = 1;
    interrupt_flag = 1;
    written = write(wake_pipe[1], "T", 1);
    (void)written; /* a full pipe already holds a wake-up byte */
    errno = saved_errno;
}

int jk_signals_install(void)
{
    struct sigaction action;

    if (pipe(wake_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }

    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    /* SA_RESTART keeps system calls in other threads (OpenBLAS, file reads) going. */
    action.sa_flags = SA_RESTART;
    action.sa_handler = on_interrupt;
    if (sigaction(SIGINT, &action, NULL) != 0)
        return -1;
    action.sa_handler = on_terminate;
    if (sigaction(SIGTERM, &action, NULL) != 0)
        return -1;
    return wake_pipe[0];
}
