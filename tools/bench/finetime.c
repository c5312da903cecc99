/* SIPp clock shim for the benchmarks, loaded with LD_PRELOAD.
 * SIPp 3.6 times everything with CLOCK_MONOTONIC_COARSE, which ticks every 4 ms on
 * this kernel, so its response times would all be multiples of 4 ms and a p99 of a
 * fast proxy would read 0 or 4. Asking the precise clock instead gives µs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

typedef int (*clock_gettime_t)(clockid_t, struct timespec *);

int clock_gettime(clockid_t clock, struct timespec *now) {
  static clock_gettime_t next;
  if (!next) next = (clock_gettime_t)dlsym(RTLD_NEXT, "clock_gettime");
  if (clock == CLOCK_MONOTONIC_COARSE) clock = CLOCK_MONOTONIC;
  if (clock == CLOCK_REALTIME_COARSE) clock = CLOCK_REALTIME;
  return next(clock, now);
}
