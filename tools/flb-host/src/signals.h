/*
 * signals.h - SIGINT/SIGTERM handling. The handler only records the signal
 * and writes a byte to a self-pipe; code that blocks (reading stdin,
 * waiting for the next cpu sample, --wait) polls that pipe as well.
 * A second SIGINT/SIGTERM ends the process at once. SIGHUP asks for a
 * reload (see -Y), which the main thread runs between two chunks. SIGUSR1
 * ends a --chunks replay early, as if its last chunk had been sent.
 */
#ifndef FLB_HOST_SIGNALS_H
#define FLB_HOST_SIGNALS_H

#include <time.h>

/* install handlers (SIGINT, SIGTERM; SIGPIPE ignored); 0 or -1 */
int signals_install(void);
/* the signal number that asked us to stop, 0 if none */
int signals_stop_requested(void);
/* consume a pending reload request (SIGHUP): 1 if there was one */
int signals_take_reload(void);
/* 1 once SIGUSR1 asked the --chunks source to end its input */
int signals_end_input_requested(void);
/* block SIGINT/SIGTERM/SIGHUP/SIGUSR1 in the calling thread (host worker threads) */
void signals_block_here(void);
/*
 * Wait until fd is readable (fd < 0: only wait), the timeout passes
 * (NULL: no timeout) or a stop is requested.
 * Returns 1 readable, 0 timeout, -1 stop requested.
 */
int signals_wait(int fd, const struct timespec *timeout);
/* the same, but also returns 2 as soon as a reload (SIGHUP) is pending */
int signals_wait_or_reload(int fd, const struct timespec *timeout);
/* wait for the timeout; -1 on a stop, 3 as soon as the input is to end (SIGUSR1) */
int signals_wait_or_end_input(const struct timespec *timeout);

#endif
