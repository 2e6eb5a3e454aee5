#!/usr/bin/env bash
# End-to-end throughput of a stateless streams application (filter -> mapValues -> to of
# 100-byte records) through a Release `runnel server` on a fresh data dir: fills a
# 4-partition topic with `runnel perf produce`, then runs bench/streams_perf.cc with 1 and
# 2 stream threads; then the restore speed of a 1M-record changelog into a RocksDB and an
# in-memory store (bench/streams_restore_perf.cc).
# Usage: bench/streams_e2e_perf.sh [records] [data-dir-parent]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-5000000}
parent=${2:-/tmp}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUNNEL_BUILD_TESTS=OFF -DRUNNEL_BUILD_BENCH=ON >/dev/null
cmake --build build --target runnel streams_perf streams_restore_perf >/dev/null
data=$(mktemp -d "$parent/runnel-streams-perf.XXXXXX")
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bootstrap=127.0.0.1:$port
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$data"; }
build/runnel server --override "log.dirs=$data/logs" --override "listeners=PLAINTEXT://$bootstrap" \
  --override group.initial.rebalance.delay.ms=0 2>"$data/server.log" &
server_pid=$!
trap cleanup EXIT
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.01; done
echo "== machine"
nproc; grep -m1 'model name' /proc/cpuinfo
build/runnel topics --bootstrap-server "$bootstrap" --create --topic perf-streams-in --partitions 4 \
  --replication-factor 1 >/dev/null
echo "== fill: $records x 100 B"
build/runnel perf produce --topic perf-streams-in --num-records "$records" --record-size 100 --throughput -1 \
  --producer-props "bootstrap.servers=$bootstrap" acks=1 linger.ms=5 batch.size=1000000 | tail -1
for threads in 1 2; do
  echo "== streams filter -> mapValues -> to, $threads stream thread(s)"
  build/bench/streams_perf --bootstrap-server "$bootstrap" --topic perf-streams-in \
    --output-topic "perf-streams-out-$threads" --records "$records" --threads "$threads" | tail -1
done
for store in rocksdb memory; do
  echo "== restore of a 1M-record changelog (100 B values) into $store"
  build/bench/streams_restore_perf --bootstrap-server "$bootstrap" --store "$store" | tail -2
done
