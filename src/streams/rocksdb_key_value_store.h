#pragma once

#include <memory>
#include <string>

#include "streams/key_value_bytes_store.h"

namespace runnel::streams {

// A persistent store in RocksDB at <task_dir>/rocksdb/<name>, as Kafka Streams'
// RocksDBStore and with its options (see docs/streams-state-stores.md): writes skip the
// write-ahead log and flush() writes the memtables to disk, so what was written before
// the last flush() survives a crash, and the changelog restores the rest.
std::unique_ptr<KeyValueBytesStore> makeRocksDbKeyValueStore(std::string name);

}  // namespace runnel::streams
