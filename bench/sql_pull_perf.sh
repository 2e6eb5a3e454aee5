#!/usr/bin/env bash
# Pull-query latency over loopback HTTP against a Release `runnel server` (embedded broker
# and SQL server) on a fresh data dir (bench/sql_pull_perf.cc).
# Usage: bench/sql_pull_perf.sh [rate] [seconds] [data-dir-parent]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-5000}
seconds=${2:-10}
parent=${3:-/tmp}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUNNEL_BUILD_TESTS=OFF -DRUNNEL_BUILD_BENCH=ON >/dev/null
cmake --build build --target runnel sql_pull_perf >/dev/null
data=$(mktemp -d "$parent/runnel-pull-perf.XXXXXX")
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
sql_port=$(free_port)
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$data"; }
build/runnel server --override "log.dirs=$data/logs" --override "listeners=PLAINTEXT://127.0.0.1:$port" \
  --override group.initial.rebalance.delay.ms=0 --override "ksql.listeners=http://127.0.0.1:$sql_port" \
  2>"$data/server.log" &
server_pid=$!
trap cleanup EXIT
until (exec 3<>"/dev/tcp/127.0.0.1/$sql_port") 2>/dev/null; do sleep 0.05; done
echo "== machine"
nproc; grep -m1 'model name' /proc/cpuinfo
echo "== pull queries by key, $rate q/s for $seconds s"
build/bench/sql_pull_perf --server "http://127.0.0.1:$sql_port" --rate "$rate" --seconds "$seconds"
