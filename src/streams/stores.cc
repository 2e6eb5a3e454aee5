#include "streams/stores.h"

#include "streams/in_memory_key_value_store.h"
#include "streams/rocksdb_key_value_store.h"

namespace runnel::streams {
namespace {

class KeyValueBytesStoreFactory final : public KeyValueBytesStoreSupplier {
 public:
  using Make = std::unique_ptr<KeyValueBytesStore> (*)(std::string);

  KeyValueBytesStoreFactory(std::string name, Make make) : name_(std::move(name)), make_(make) {}

  const std::string& name() const override { return name_; }
  std::unique_ptr<KeyValueBytesStore> get() const override { return make_(name_); }

 private:
  std::string name_;
  Make make_;
};

}  // namespace

KeyValueBytesStoreSupplierPtr Stores::persistentKeyValueStore(std::string name) {
  return std::make_shared<KeyValueBytesStoreFactory>(std::move(name), &makeRocksDbKeyValueStore);
}

KeyValueBytesStoreSupplierPtr Stores::inMemoryKeyValueStore(std::string name) {
  return std::make_shared<KeyValueBytesStoreFactory>(std::move(name), &makeInMemoryKeyValueStore);
}

}  // namespace runnel::streams
