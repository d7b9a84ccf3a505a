// Thin C shim for the Linux calls Swift's Glibc module cannot see without
// _GNU_SOURCE (pthread_setaffinity_np, CPU_SET, sched_getcpu, the futex
// syscall), plus a few explicit-ordering atomics on plain integers used by the
// lock-free rings. The atomics are `static inline` so the compiler inlines
// them into Swift callers: one instruction each on x86-64.
#ifndef QUANTUM_AGENT_LINUX_H
#define QUANTUM_AGENT_LINUX_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Pins the calling thread to one CPU. Returns 0 or an errno value.
int qa_pin_current_thread(int cpu);
/// The CPU the calling thread is running on, or -1.
int qa_current_cpu(void);
/// The CPUs the calling thread may run on, as a bit mask of the first 64 CPUs; -1 on error.
int64_t qa_current_affinity_mask(void);
/// Linux thread id of the calling thread.
int32_t qa_thread_id(void);
/// Blocks while *word == expected (futex FUTEX_WAIT_PRIVATE). timeout_ns < 0 waits forever.
/// Returns 0 when woken, or an errno value (EAGAIN when *word != expected, ETIMEDOUT, EINTR).
int qa_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns);
/// Wakes up to `count` threads blocked on word. Returns the number woken or -errno.
int qa_futex_wake(uint32_t *word, int count);
/// Restricts thread `tid` of this process (0: the calling thread) to the `count` CPUs in
/// `cpus` (sched_setaffinity). Returns 0 or an errno value.
int qa_set_thread_affinity(int32_t tid, const int32_t *cpus, int count);
/// Writes the CPUs thread `tid` (0: the calling thread) may run on into `cpus`, at most
/// `capacity` of them, in increasing order. Returns how many there are (which may exceed
/// `capacity`) or -errno.
int qa_thread_affinity(int32_t tid, int32_t *cpus, int capacity);
/// Writes the thread ids of this process (/proc/self/task) into `tids`, at most `capacity`.
/// Returns how many threads there are (which may exceed `capacity`) or -errno.
int qa_list_threads(int32_t *tids, int capacity);
/// Names the calling thread (pthread_setname_np; the first 15 bytes are kept), as shown by
/// `top -H`, `ps -L` and /proc/PID/task/TID/comm. Returns 0 or an errno value.
int qa_set_current_thread_name(const char *name);
/// Voluntary context switches and involuntary ones of the calling thread (getrusage RUSAGE_THREAD).
void qa_thread_context_switches(int64_t *voluntary, int64_t *involuntary);
/// Monotonic time in nanoseconds (CLOCK_MONOTONIC).
uint64_t qa_monotonic_ns(void);
/// Wall-clock time in nanoseconds since the Unix epoch (CLOCK_REALTIME).
uint64_t qa_realtime_ns(void);

/// The executor that owns the calling thread, or NULL (thread-local marker for checkIsolated).
void *qa_get_current_executor(void);
void qa_set_current_executor(void *executor);

static inline int64_t qa_load_acquire(const int64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline int64_t qa_load_relaxed(const int64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
static inline void qa_store_release(int64_t *p, int64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline void qa_store_relaxed(int64_t *p, int64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
static inline int64_t qa_fetch_add(int64_t *p, int64_t v) { return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL); }
static inline int64_t qa_fetch_add_relaxed(int64_t *p, int64_t v) { return __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static inline _Bool qa_cas(int64_t *p, int64_t expected, int64_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
static inline uint32_t qa_load32_acquire(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void qa_store32_release(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline uint32_t qa_exchange32(uint32_t *p, uint32_t v) { return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL); }
static inline _Bool qa_cas32(uint32_t *p, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
static inline void qa_fence_seq_cst(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
/// A spin-wait hint (x86 PAUSE).
static inline void qa_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// Prefetches the cache line at p for writing (x86 PREFETCHW; a no-op hint elsewhere).
static inline void qa_prefetch_write(const void *p) {
#if defined(__x86_64__)
    __asm__ __volatile__("prefetchw %0" : : "m"(*(const char *)p));
#else
    __builtin_prefetch(p, 1, 3);
#endif
}
/// Hints that the cache line at p be moved from this core's private caches to the
/// shared last-level cache (x86 CLDEMOTE; a NOP on CPUs without it).
static inline void qa_cache_demote(const void *p) {
#if defined(__x86_64__)
    __asm__ __volatile__(".byte 0x0f, 0x1c, 0x07" : : "D"(p) : "memory");
#else
    (void)p;
#endif
}

#ifdef __cplusplus
}
#endif
#endif
