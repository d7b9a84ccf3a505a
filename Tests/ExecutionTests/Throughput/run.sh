#!/bin/sh
# Builds the throughput loop with -O (whole-module) against Protocols' message types, Risk and
# Execution, then runs it: ./Tests/ExecutionTests/Throughput/run.sh [orders per run]
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lib() { # name sources...
    name=$1; shift
    swiftc -O -wmo -parse-as-library -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -emit-library -static -o "$out/lib$name.a" -I "$out" "$@"
}
lib Protocols "$root"/Protocols/Messages/*.swift
lib Risk "$root"/Actors/Risk/*.swift
lib Execution "$root"/Actors/Execution/*.swift
swiftc -O -wmo -I "$out" -L "$out" -lExecution -lRisk -lProtocols -o "$out/orders-throughput" \
    "$root/Tests/ExecutionTests/Throughput/main.swift"
"$out/orders-throughput" "${1:-2000000}"
