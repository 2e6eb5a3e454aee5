# All third-party libraries come from Debian 12 packages that scripts/setup.sh installs.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(SNAPPY REQUIRED IMPORTED_TARGET snappy)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(ROCKSDB REQUIRED IMPORTED_TARGET rocksdb)
pkg_check_modules(SIMDJSON REQUIRED IMPORTED_TARGET simdjson)
pkg_check_modules(RAPIDJSON REQUIRED IMPORTED_TARGET RapidJSON)
# The SQL shell's line editing (BSD licensed, not GNU readline).
pkg_check_modules(LIBEDIT REQUIRED IMPORTED_TARGET libedit)
find_package(CLI11 CONFIG REQUIRED)
# jemalloc as the allocator of the programs we ship, as RocksDB recommends: with glibc's
# malloc, malloc/free took a tenth of the SQL pipeline's time (bench/RESULTS.md). Not under
# the sanitizers, which bring their own allocator.
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
function(runnel_use_jemalloc target)
  if(NOT RUNNEL_SANITIZE)
    target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
  endif()
endfunction()
# Howard Hinnant's date library: time zones for the SQL date/time functions, read from the
# system's /usr/share/zoneinfo (the package's date::date-tz is built with USE_OS_TZDB=1).
find_package(date CONFIG REQUIRED)
if(RUNNEL_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(RUNNEL_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
