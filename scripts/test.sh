#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test: unit tests, fuzz corpus replays and
# the end-to-end tests that start their own brokers on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=${RUNNEL_TEST_BUILD_DIR:-build-asan}
# -O1 -g1, as the sanitizers' docs advise: line tables are all their stack traces need, and
# the instrumented template-heavy units compile in half the time of -O2 -g (docs/testing.md).
sanitizer_flags="-O1 -g1 -DNDEBUG"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRUNNEL_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$sanitizer_flags" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$sanitizer_flags" \
  -DRUNNEL_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build_dir" --output-on-failure --timeout 900 -j "$(nproc)"
