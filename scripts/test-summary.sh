#!/usr/bin/env bash
# Runs a test command, keeping its whole output in a log, and when it fails ends with a
# summary of what failed (the failing tests and the recorded issues), so the end of a CI
# log says which test broke even when only its tail is shown. Exit status: the command's.
set -u
log="${TEST_LOG:-.build/test-output.log}"
mkdir -p "$(dirname "$log")"
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo
  echo "== test failures (exit $status; whole output in $log) =="
  grep -aE "✘|recorded an issue|Expectation failed|Fatal error|Crash|error: |signal [0-9]+" "$log" \
    | grep -avE "^\s*[0-9-]+T[0-9:]+.*(info|notice|warning|debug|error|critical) " | tail -n 40
fi
exit "$status"
