// The machine's own stalls, without Swift or the agent: a thread pinned to one CPU does
// nothing but read CLOCK_MONOTONIC for S seconds and counts the gaps between two reads by
// size. It also replays a stream of ticks due every 10 µs (100k ticks/s) against those
// gaps — a tick's latency is how long after it was due the loop next ran — and prints the
// stream's percentiles (power-of-two buckets, so "p99 <= 32.8 us" means 16.4–32.8 µs).
// `perf e2e --executor floor` measures the same with the agent's feed and engine thread.
//
//   cc -O2 -o /tmp/hiccup Perf/Scripts/hiccup.c && /tmp/hiccup 1 5
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s CPU SECONDS\n", argv[0]);
        return 2;
    }
    char *end = NULL;
    long cpu = strtol(argv[1], &end, 10);
    if (*argv[1] == 0 || *end != 0 || cpu < 0 || cpu >= CPU_SETSIZE) {
        fprintf(stderr, "CPU '%s' is not a CPU number\n", argv[1]);
        return 2;
    }
    double seconds = strtod(argv[2], &end);
    if (*argv[2] == 0 || *end != 0 || !(seconds > 0 && seconds <= 3600)) {
        fprintf(stderr, "SECONDS '%s' is not in (0, 3600]\n", argv[2]);
        return 2;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        return 1;
    }
    const uint64_t limits[] = {1000, 10000, 50000, 100000, 1000000};
    const char *names[] = {"<1us", "1-10us", "10-50us", "50-100us", "100us-1ms", ">1ms"};
    uint64_t gaps[6] = {0}, stalled[6] = {0}, longest = 0;
    uint64_t stream[64] = {0}, ticks = 0;
    uint64_t start = now_ns(), stop = start + (uint64_t)(seconds * 1e9), previous = start, due = start;
    for (;;) {
        uint64_t t = now_ns(), gap = t - previous;
        previous = t;
        if (t > stop) break;
        if (gap > longest) longest = gap;
        int bucket = 0;
        while (bucket < 5 && gap >= limits[bucket]) bucket++;
        gaps[bucket]++;
        stalled[bucket] += gap;
        for (; due <= t; due += 10000, ticks++) {
            uint64_t late = t - due;
            int k = 0;
            while (k < 63 && (1ull << k) < late) k++;
            stream[k]++;
        }
    }
    printf("cpu %ld, %.1f s: max gap %.1f us\n", cpu, seconds, longest / 1e3);
    for (int b = 0; b < 6; b++) printf("  gaps %-9s %12lu  (%.2f ms in all)\n", names[b], (unsigned long)gaps[b], stalled[b] / 1e6);
    const double percentiles[] = {0.5, 0.9, 0.99, 0.999};
    uint64_t seen = 0;
    int next = 0;
    for (int k = 0; k < 64 && next < 4; k++) {
        seen += stream[k];
        while (next < 4 && seen >= percentiles[next] * ticks) {
            printf("  100k ticks/s stream p%g <= %.1f us\n", percentiles[next] * 100, (1ull << k) / 1e3);
            next++;
        }
    }
    return 0;
}
