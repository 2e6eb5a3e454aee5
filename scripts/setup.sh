#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, once. Safe to re-run:
# apt-get is called only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang
  libboost-dev libfmt-dev libspdlog-dev libcli11-dev
  librdkafka-dev zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  librocksdb-dev libsimdjson-dev rapidjson-dev libhowardhinnant-date-dev tzdata
  kcat python3 python3-confluent-kafka
  libedit-dev libjemalloc-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
