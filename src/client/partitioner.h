#pragma once

#include <cstdint>
#include <string_view>

namespace runnel::client {

// The partition of a record with a non-null key among `num_partitions` (> 0), exactly as
// Java's DefaultPartitioner and librdkafka's murmur2_random partitioner compute it:
// toPositive(murmur2(key)) % num_partitions. Records without a key are not hashed; each
// client spreads them its own way.
int32_t murmur2Partition(std::string_view key, int32_t num_partitions);

}  // namespace runnel::client
