#!/usr/bin/env bash
# End-to-end throughput: a Release `runnel server` on a fresh data dir, driven by
# `runnel perf produce|consume` (librdkafka) over loopback; plus the disk's sequential
# write bandwidth (dd with fdatasync), idle memory and start-up time. Prints the figures
# that bench/RESULTS.md records. Usage: bench/e2e_perf.sh [data-dir-parent]
set -euo pipefail
cd "$(dirname "$0")/.."
parent=${1:-/tmp}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUNNEL_BUILD_TESTS=OFF -DRUNNEL_BUILD_BENCH=OFF >/dev/null
cmake --build build --target runnel >/dev/null
runnel=build/runnel
data=$(mktemp -d "$parent/runnel-perf.XXXXXX")
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bootstrap=127.0.0.1:$port
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$data"; }

echo "== machine"
nproc; grep -m1 'model name' /proc/cpuinfo; free -h | head -2
echo "== disk: sequential write, 2 GiB, dd conv=fdatasync"
dd if=/dev/zero of="$data/dd.bin" bs=1M count=2048 conv=fdatasync 2>&1 | tail -1
rm -f "$data/dd.bin"

start_ns=$(date +%s%N)
$runnel server --override "log.dirs=$data/logs" --override "listeners=PLAINTEXT://$bootstrap" \
  --override group.initial.rebalance.delay.ms=0 2>"$data/server.log" &
server_pid=$!
trap cleanup EXIT
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.01; done
echo "== start-up: $(( ($(date +%s%N) - start_ns) / 1000000 )) ms until the listener accepts"
sleep 1
echo "== idle resident memory: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"

run_case() {  # topic record-size records
  $runnel topics --bootstrap-server "$bootstrap" --create --topic "$1" --partitions 4 --replication-factor 1 >/dev/null
  echo "== produce $3 x $2 B (acks=1, linger.ms=5, batch.size=1000000)"
  $runnel perf produce --topic "$1" --num-records "$3" --record-size "$2" --throughput -1 \
    --producer-props "bootstrap.servers=$bootstrap" acks=1 linger.ms=5 batch.size=1000000 | tail -1
  echo "== consume $3 x $2 B"
  $runnel perf consume --bootstrap-server "$bootstrap" --topic "$1" --messages "$3" | tail -1
}
run_case perf-100 100 10000000
run_case perf-1k 1024 2000000
group_case() {  # 3 consumers in one group share a 6-partition topic of 6M x 100 B
  $runnel topics --bootstrap-server "$bootstrap" --create --topic perf-group --partitions 6 --replication-factor 1 >/dev/null
  $runnel perf produce --topic perf-group --num-records 6000000 --record-size 100 --throughput -1 \
    --producer-props "bootstrap.servers=$bootstrap" acks=1 linger.ms=5 batch.size=1000000 >/dev/null
  echo "== group consume: 3 members of one group, 6 partitions, 6M x 100 B (rate from each member's first to last record)"
  for member in 1 2 3; do
    $runnel perf consume --bootstrap-server "$bootstrap" --topic perf-group --group perf-group \
      --messages 6000000 --timeout 3000 >"$data/member-$member.txt" 2>/dev/null &
  done
  wait_members=$(jobs -p | grep -v "^$server_pid$" || true)
  for pid in $wait_members; do wait "$pid" || true; done
  for member in 1 2 3; do echo "member $member: $(tail -1 "$data/member-$member.txt")"; done
  awk -F', ' 'FNR == 2 { msgs += $5; rate += $6 } END { printf "group total: %d msgs, %.0f msgs/s summed over members\n", msgs, rate }' \
    "$data"/member-*.txt
}
group_case
echo "== resident memory after the runs: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
