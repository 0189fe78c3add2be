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

/* SIGUSR1 asks for the end of the input: a flag and a wake-up byte */
static void on_end_input(int sig)
{
    int saved = errno;
    ssize_t ignored;

    (void) sig;
    end_input = 1;
    ignored = write(wake_pipe[1], "e", 1);
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
    sa.sa_handler = on_end_input;
    if (sigaction(SIGUSR1, &sa, NULL) != 0) {
        return -1;
    }
    /* without -Y Fluent Bit ignores SIGHUP too; the host has no reload */
    sa.sa_handler = SIG_IGN;
    return sigaction(SIGPIPE, &sa, NULL) != 0 || sigaction(SIGHUP, &sa, NULL) != 0 ? -1 : 0;
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
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int signals_end_input_requested(void)
{
    return end_input;
}

/* 1 fd readable, 0 timeout, -1 stop, 3 end of input (if asked to wake on it) */
static int wait_impl(int fd, const struct timespec *timeout, int wake_on_end_input)
{
    struct pollfd pfd[2];
    nfds_t n = fd >= 0 ? 2 : 1;
    int ret;

    for (;;) {
        if (stop_signal != 0) {
            return -1;
        }
        if (wake_on_end_input && end_input != 0) {
            return 3;
        }
        pfd[0].fd = wake_pipe[0];
        pfd[0].events = POLLIN;
        pfd[1].fd = fd;
        pfd[1].events = POLLIN;
        pfd[0].revents = pfd[1].revents = 0;
        ret = ppoll(pfd, n, timeout, NULL);
        if (ret < 0 && errno == EINTR) {
            continue;
        }
        if (ret < 0 || stop_signal != 0) {
            return -1;
        }
        if (ret == 0) {
            return 0;
        }
        if (n == 2 && pfd[1].revents != 0) {
            return 1;
        }
        /* a byte in the pipe without a stop (SIGUSR1): drain it, look again */
        if (pfd[0].revents != 0) {
            char c;
            ssize_t ignored = read(wake_pipe[0], &c, 1);
            (void) ignored;
        }
    }
}

int signals_wait(int fd)
{
    return wait_impl(fd, NULL, 0);
}

int signals_sleep_until(const struct timespec *deadline, int wake_on_end_input)
{
    for (;;) {
        struct timespec now, left;
        int ret;

        clock_gettime(CLOCK_MONOTONIC, &now);
        left.tv_sec = deadline->tv_sec - now.tv_sec;
        left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
        if (left.tv_nsec < 0) {
            left.tv_sec--;
            left.tv_nsec += 1000000000L;
        }
        if (left.tv_sec < 0) {
            return 0;
        }
        ret = wait_impl(-1, &left, wake_on_end_input);
        if (ret != 0) {
            return ret;
        }
    }
}
