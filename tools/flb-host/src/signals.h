/*
 * signals.h - SIGINT/SIGTERM handling. The handler only records the signal
 * and writes a byte to a self-pipe; code that blocks (reading stdin,
 * waiting for the next cpu sample, --wait) polls that pipe as well.
 * A second SIGINT/SIGTERM ends the process at once. SIGHUP is ignored. SIGUSR1
 * ends a --chunks replay early, as if its last chunk had been sent.
 */
#ifndef FLB_HOST_SIGNALS_H
#define FLB_HOST_SIGNALS_H

#include <time.h>

/* install handlers (SIGINT, SIGTERM; SIGPIPE ignored); 0 or -1 */
int signals_install(void);
/* the signal number that asked us to stop, 0 if none */
int signals_stop_requested(void);
/* 1 once SIGUSR1 asked the --chunks source to end its input */
int signals_end_input_requested(void);
/* block SIGINT/SIGTERM/SIGUSR1 in the calling thread (host worker threads) */
void signals_block_here(void);
/* wait until fd is readable (1) or a stop is requested (-1) */
int signals_wait(int fd);
/* sleep until the CLOCK_MONOTONIC deadline (0); -1 on a stop, 3 as soon as
 * the input is to end (SIGUSR1) if wake_on_end_input */
int signals_sleep_until(const struct timespec *deadline, int wake_on_end_input);

#endif
