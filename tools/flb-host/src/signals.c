/*
 * signals.c - stop requests from SIGINT/SIGTERM via a self-pipe.
 */
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal = 0;
static volatile sig_atomic_t reload_pending = 0;
static volatile sig_atomic_t end_input = 0;
static int wake_pipe[2] = { -1, -1 };

static void on_stop_signal(int sig)
{
    static const char msg[] = "flb-host: second signal, exiting at once\n";
    int saved = errno;
    ssize_t ignored;

    if (stop_signal != 0) {
        ignored = write(2, msg, sizeof(msg) - 1);
        (void) ignored;
        _exit(128 + sig);
    }
    stop_signal = sig;
    ignored = write(wake_pipe[1], "s", 1);
    (void) ignored;
    errno = saved;
}

/* SIGHUP asks for a reload, SIGUSR1 for the end of the input: a flag and a wake-up byte each */
static void on_request_signal(int sig)
{
    int saved = errno;
    ssize_t ignored;

    if (sig == SIGHUP) {
        reload_pending = 1;
    }
    else {
        end_input = 1;
    }
    ignored = write(wake_pipe[1], sig == SIGHUP ? "r" : "e", 1);
    (void) ignored;
    errno = saved;
}

int signals_install(void)
{
    struct sigaction sa;

    if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0) {
        return -1;
    }
    sa.sa_handler = on_request_signal;
    if (sigaction(SIGHUP, &sa, NULL) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0) {
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGPIPE, &sa, NULL);
}

int signals_stop_requested(void)
{
    return stop_signal;
}

void signals_block_here(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int signals_take_reload(void)
{
    if (reload_pending == 0) {
        return 0;
    }
    reload_pending = 0;
    return 1;
}

int signals_end_input_requested(void)
{
    return end_input;
}

enum { WAKE_ON_RELOAD = 1, WAKE_ON_END_INPUT = 2 };

static int wait_impl(int fd, const struct timespec *timeout, int wake_on);

int signals_wait(int fd, const struct timespec *timeout)
{
    return wait_impl(fd, timeout, 0);
}

int signals_wait_or_reload(int fd, const struct timespec *timeout)
{
    return wait_impl(fd, timeout, WAKE_ON_RELOAD);
}

int signals_wait_or_end_input(const struct timespec *timeout)
{
    return wait_impl(-1, timeout, WAKE_ON_END_INPUT);
}

static int wait_impl(int fd, const struct timespec *timeout, int wake_on)
{
    struct pollfd pfd[2];
    nfds_t n = 1;
    int ret;

    for (;;) {
        if (stop_signal != 0) {
            return -1;
        }
        if ((wake_on & WAKE_ON_RELOAD) && reload_pending != 0) {
            return 2;
        }
        if ((wake_on & WAKE_ON_END_INPUT) && end_input != 0) {
            return 3;
        }
        pfd[0].fd = wake_pipe[0];
        pfd[0].events = POLLIN;
        pfd[0].revents = 0;
        if (fd >= 0) {
            pfd[1].fd = fd;
            pfd[1].events = POLLIN;
            pfd[1].revents = 0;
            n = 2;
        }
        ret = ppoll(pfd, n, timeout, NULL);
        if (ret < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (stop_signal != 0) {
            return -1;
        }
        if (ret == 0) {
            return 0;
        }
        if (n == 2 && pfd[1].revents != 0) {
            return 1;
        }
        /* spurious byte in the pipe without a stop: keep waiting */
        if (pfd[0].revents != 0) {
            char c;
            ssize_t ignored = read(wake_pipe[0], &c, 1);
            (void) ignored;
        }
    }
}
