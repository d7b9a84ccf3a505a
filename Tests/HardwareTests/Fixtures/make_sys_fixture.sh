#!/usr/bin/env bash
# Writes a /sys-shaped directory for the recommended production server:
# 2 sockets = 2 NUMA nodes, 8 cores each, 2 SMT threads per core (32 CPUs),
# CPU n and n+16 are siblings; node 0: 0-7,16-23; node 1: 8-15,24-31;
# isolcpus=2-7,10-15,18-23,26-31; L1d/L1i 32K and L2 1M per core, L3 32M per socket.
set -euo pipefail
out=${1:-$(dirname "$0")/sys-16core-2node}
rm -rf "$out"
cpu=$out/devices/system/cpu
node=$out/devices/system/node
mkdir -p "$cpu" "$node"
echo "0-31" > "$cpu/online"
echo "2-7,10-15,18-23,26-31" > "$cpu/isolated"
echo "0-1" > "$node/online"
mkdir -p "$node/node0" "$node/node1"
echo "0-7,16-23" > "$node/node0/cpulist"
echo "8-15,24-31" > "$node/node1/cpulist"
for n in $(seq 0 31); do
  core=$(( n % 16 ))
  pkg=$(( core / 8 ))
  d=$cpu/cpu$n
  mkdir -p "$d/topology"
  echo "$core" > "$d/topology/core_id"
  echo "$pkg" > "$d/topology/physical_package_id"
  echo "$core,$(( core + 16 ))" > "$d/topology/thread_siblings_list"
  if [ "$pkg" = 0 ]; then l3="0-7,16-23"; else l3="8-15,24-31"; fi
  i=0
  for spec in "1 Data 32K $core,$(( core + 16 ))" "1 Instruction 32K $core,$(( core + 16 ))" \
              "2 Unified 1024K $core,$(( core + 16 ))" "3 Unified 32768K $l3"; do
    set -- $spec
    mkdir -p "$d/cache/index$i"
    echo "$1" > "$d/cache/index$i/level"
    echo "$2" > "$d/cache/index$i/type"
    echo "$3" > "$d/cache/index$i/size"
    echo "$4" > "$d/cache/index$i/shared_cpu_list"
    i=$(( i + 1 ))
  done
done
