#define _GNU_SOURCE
#include "qa_linux.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int qa_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int qa_set_thread_affinity(int32_t tid, const int32_t *cpus, int count) {
    if (count <= 0) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE) return EINVAL;
        CPU_SET(cpus[i], &set);
    }
    return sched_setaffinity((pid_t)tid, sizeof(set), &set) == 0 ? 0 : errno;
}

int qa_thread_affinity(int32_t tid, int32_t *cpus, int capacity) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity((pid_t)tid, sizeof(set), &set) != 0) return -errno;
    int found = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &set)) continue;
        if (found < capacity) cpus[found] = cpu;
        found++;
    }
    return found;
}

int qa_list_threads(int32_t *tids, int capacity) {
    DIR *dir = opendir("/proc/self/task");
    if (dir == NULL) return -errno;
    int found = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        long tid = strtol(entry->d_name, NULL, 10);
        if (tid <= 0) continue;
        if (found < capacity) tids[found] = (int32_t)tid;
        found++;
    }
    closedir(dir);
    return found;
}

int qa_set_current_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof(truncated) - 1);
    truncated[sizeof(truncated) - 1] = 0;
    return pthread_setname_np(pthread_self(), truncated);
}

int qa_current_cpu(void) { return sched_getcpu(); }

int64_t qa_current_affinity_mask(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) != 0) return -1;
    int64_t mask = 0;
    for (int i = 0; i < 64; i++) {
        if (CPU_ISSET(i, &set)) mask |= ((int64_t)1 << i);
    }
    return mask;
}

int32_t qa_thread_id(void) { return (int32_t)syscall(SYS_gettid); }

int qa_futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns) {
    struct timespec ts;
    struct timespec *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000LL;
        ts.tv_nsec = timeout_ns % 1000000000LL;
        tsp = &ts;
    }
    long rc = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, tsp, NULL, 0);
    return rc == 0 ? 0 : errno;
}

int qa_futex_wake(uint32_t *word, int count) {
    long rc = syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
    return rc < 0 ? -errno : (int)rc;
}

void qa_thread_context_switches(int64_t *voluntary, int64_t *involuntary) {
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) != 0) {
        *voluntary = -1;
        *involuntary = -1;
        return;
    }
    *voluntary = usage.ru_nvcsw;
    *involuntary = usage.ru_nivcsw;
}

uint64_t qa_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t qa_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static _Thread_local void *qa_current_executor_marker = NULL;
void *qa_get_current_executor(void) { return qa_current_executor_marker; }
void qa_set_current_executor(void *executor) { qa_current_executor_marker = executor; }
