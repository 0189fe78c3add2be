/*
 * cpu_stat.h - the numbers behind --cpu: parse /proc/stat, compute the
 * percentages the way Fluent Bit's cpu input does, and encode the record.
 *
 * Facts taken from Fluent Bit's in_cpu (not its code):
 *  - per line: cpu = user + nice + system, user = user + nice, system = system
 *    ticks; a value is 0.0 when the ticks did not change, otherwise
 *  - system-wide ("cpu" line): |diff| / CLK_TCK * 100 / n_cpus / interval
 *  - one core ("cpuN" line):   |diff| * 100 / CLK_TCK / interval
 *    where interval is the configured collection interval in seconds and
 *    n_cpus = sysconf(_SC_NPROCESSORS_ONLN);
 *  - record keys: cpu_p, user_p, system_p, then cpuK.p_cpu, cpuK.p_user,
 *    cpuK.p_system for K = 0..n-1, all float64.
 */
#ifndef FLB_HOST_CPU_STAT_H
#define FLB_HOST_CPU_STAT_H

#include <msgpack.h>
#include <stdint.h>

struct cpu_times {
    unsigned long long user;
    unsigned long long nice;
    unsigned long long system;
};

struct cpu_percent {
    double cpu;
    double user;
    double system;
};

/*
 * Parse /proc/stat text into out[0] (the "cpu" line) and out[1..n] (the
 * "cpuN" lines in order; missing ones are left as they were).
 * Returns the number of cpuN lines read, or -1 if there is no "cpu" line.
 */
int cpu_stat_parse(const char *text, struct cpu_times *out, int n);
/* read and parse a file (normally /proc/stat); -1 on error */
int cpu_stat_read(const char *path, struct cpu_times *out, int n);
/* out[0..n] from two samples taken `interval` seconds apart */
void cpu_stat_compute(const struct cpu_times *pre, const struct cpu_times *now,
                      int n, long ticks, double interval,
                      struct cpu_percent *out);
/* append one event [[EventTime, {}], {cpu_p: ..., ...}], shaped as the
 * cpu input's (built by the log event encoder: map32 metadata and body) */
void cpu_stat_encode(msgpack_packer *pk, uint32_t sec, uint32_t nsec,
                     const struct cpu_percent *p, int n);

#endif
