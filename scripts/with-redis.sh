#!/usr/bin/env bash
# Runs a command with a private redis-server on a free loopback port, exported as
# QUANTUM_AGENT_REDIS_URL, and stops that server by pid afterwards even when the
# command fails. Exit status: the command's.
set -u
port=""
for _ in $(seq 1 50); do
  candidate=$(( 20000 + RANDOM % 30000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
if [ -z "$port" ]; then echo "with-redis: no free loopback port found" >&2; exit 1; fi

dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
  --daemonize no --logfile "$dir/redis.log" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 100); do
  if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then break; fi
  sleep 0.05
done
if ! redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
  echo "with-redis: redis-server did not start on port $port" >&2; cat "$dir/redis.log" >&2; exit 1
fi
echo "with-redis: redis-server pid $pid on 127.0.0.1:$port"
export QUANTUM_AGENT_REDIS_URL="redis://127.0.0.1:$port"
"$@"
