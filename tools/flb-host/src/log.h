/*
 * log.h - everything the host writes to stderr: its own messages
 * ("flb-host: ...") and the lines plugins print through log_print.
 * Every line is written with one write(2) under one mutex, so lines from
 * concurrent threads never interleave.
 */
#ifndef FLB_HOST_LOG_H
#define FLB_HOST_LOG_H

#include <stdarg.h>

/* "flb-host: <message>\n" on stderr */
void host_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "flb-host: warning: <message>\n" on stderr */
void host_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "[<level>] <message>\n" on stderr (the plugin's log_print) */
void log_plugin_line(int level, const char *fmt, va_list ap);

/* one line on stdout, flushed at once ("flb-host: started", "... ready") */
void host_stdout_line(const char *line);

/* "error", "warn", ... for 1..5; NULL otherwise */
const char *log_level_name(int level);

#endif
