#!/usr/bin/env bash
# Builds the libFuzzer harness of the cluster wire codec (Fuzz/WireFuzz) with
# -sanitize=fuzzer in its own scratch path (.build-fuzz, so the normal .build is never
# rebuilt with instrumentation) and runs it for a bounded time.
#   scripts/fuzz-wire.sh [SECONDS]     default 30; FUZZ_SECONDS also works
# Exit status: 0 when no input failed, non-zero (with the crashing input saved under
# .build-fuzz/artifacts/) otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${FUZZ_SECONDS:-30}}"
swift build --scratch-path .build-fuzz --product WireFuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xlinker --allow-multiple-definition
mkdir -p .build-fuzz/corpus/wire .build-fuzz/artifacts
# libFuzzer reports crashes itself; the Swift backtracer would hide its artifact output.
SWIFT_BACKTRACE=enable=no .build-fuzz/debug/WireFuzz \
  -max_total_time="$seconds" -max_len=4096 -artifact_prefix=.build-fuzz/artifacts/ \
  -print_final_stats=1 .build-fuzz/corpus/wire
