#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (packages, configure, build) and runs `runnel server`
# with config/server.properties on the embedded data directory ./data. Extra arguments
# go to `runnel server`, e.g. --override listeners=PLAINTEXT://127.0.0.1:19092.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUNNEL_BUILD_TESTS=OFF -DRUNNEL_BUILD_BENCH=OFF >/dev/null
cmake --build build --target runnel
mkdir -p data
exec build/runnel server config/server.properties "$@"
