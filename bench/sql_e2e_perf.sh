#!/usr/bin/env bash
# End-to-end throughput of persistent SQL queries through a Release `runnel server` on a
# fresh data dir (bench/sql_perf.cc): a projection + filter CSAS and a GROUP BY count CTAS
# over 256-byte JSON records, with 1 and 2 stream threads.
# Usage: bench/sql_e2e_perf.sh [records] [data-dir-parent]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
parent=${2:-/tmp}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUNNEL_BUILD_TESTS=OFF -DRUNNEL_BUILD_BENCH=ON >/dev/null
cmake --build build --target runnel sql_perf >/dev/null
data=$(mktemp -d "$parent/runnel-sql-perf.XXXXXX")
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bootstrap=127.0.0.1:$port
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$data"; }
build/runnel server --override "log.dirs=$data/logs" --override "listeners=PLAINTEXT://$bootstrap" \
  --override group.initial.rebalance.delay.ms=0 --override ksql.enabled=false 2>"$data/server.log" &
server_pid=$!
trap cleanup EXIT
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.01; done
echo "== machine"
nproc; grep -m1 'model name' /proc/cpuinfo
for threads in 1 2; do
  echo "== $records records, $threads stream thread(s)"
  build/bench/sql_perf --bootstrap-server "$bootstrap" --records "$records" --threads "$threads" | tail -3
done
