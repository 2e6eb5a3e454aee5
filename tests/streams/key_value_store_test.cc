// Key-value stores: the same behaviour from the in-memory and the RocksDB backend, typed
// and at the bytes level, plus what only a persistent store does (reopen, crash, bad dirs).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "streams/key_value_store.h"
#include "streams/or_throw.h"
#include "streams/serdes.h"
#include "streams/stores.h"

namespace runnel::streams {
namespace {

const SerdePtr<std::string> kStrings = Serdes::String();
// Big-endian, as Kafka's LongSerializer: negative numbers sort after positive ones.
const SerdePtr<int64_t> kLongs = Serdes::Long();
// An empty optional is null: a null key is refused, a null value deletes.
const SerdePtr<std::optional<std::string>> kNullableStrings = Serdes::Optional(Serdes::String());

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "runnel-kvstore-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct InMemory {
  static KeyValueBytesStoreSupplierPtr supplier(std::string name) { return Stores::inMemoryKeyValueStore(std::move(name)); }
};
struct RocksDb {
  static KeyValueBytesStoreSupplierPtr supplier(std::string name) { return Stores::persistentKeyValueStore(std::move(name)); }
};

template <class K, class V>
std::vector<std::pair<K, V>> drain(KeyValueIterator<K, V>& it) {
  std::vector<std::pair<K, V>> out;
  for (; it.valid(); it.next()) out.emplace_back(it.key(), it.value());
  EXPECT_TRUE(it.status().isOk()) << it.status().toString();
  return out;
}

std::vector<std::string> keysOf(KeyValueBytesIterator& it) {
  std::vector<std::string> out;
  for (; it.valid(); it.next()) out.emplace_back(it.key());
  EXPECT_TRUE(it.status().isOk()) << it.status().toString();
  return out;
}

template <class Backend>
class KeyValueStoreTest : public ::testing::Test {
 protected:
  KeyValueStoreTest() { context_ = {"app", "0_0", dir_.path() / "app" / "0_0"}; }

  // A typed store, opened.
  template <class K, class V>
  std::unique_ptr<KeyValueStore<K, V>> open(const SerdePtr<K>& keys, const SerdePtr<V>& values) {
    auto store = Stores::keyValueStoreBuilder(Backend::supplier("store"), keys, values)->buildStore();
    EXPECT_TRUE(store->init(context_).isOk());
    return store;
  }
  std::unique_ptr<KeyValueBytesStore> openBytes() {
    auto store = Backend::supplier("bytes")->get();
    EXPECT_TRUE(store->init(context_).isOk());
    return store;
  }

  TempDir dir_;
  StateStoreContext context_;
};

using Backends = ::testing::Types<InMemory, RocksDb>;
TYPED_TEST_SUITE(KeyValueStoreTest, Backends);

TYPED_TEST(KeyValueStoreTest, PutGetOverwriteRemove) {
  auto store = this->open(kStrings, kLongs);
  EXPECT_FALSE(store->get("a")->has_value());
  ASSERT_TRUE(store->put("a", 1).isOk());
  EXPECT_EQ(*store->get("a"), std::optional<int64_t>(1));
  ASSERT_TRUE(store->put("a", 2).isOk());
  EXPECT_EQ(*store->get("a"), std::optional<int64_t>(2));
  int64_t reused = 0;
  EXPECT_TRUE(*store->get("a", reused));
  EXPECT_EQ(reused, 2);
  EXPECT_EQ(*store->remove("a"), std::optional<int64_t>(2));
  EXPECT_FALSE(store->get("a")->has_value());
  EXPECT_FALSE(store->remove("a")->has_value());
  EXPECT_FALSE(*store->get("a", reused));
}

TYPED_TEST(KeyValueStoreTest, PutIfAbsentKeepsTheFirstValue) {
  auto store = this->open(kStrings, kStrings);
  EXPECT_FALSE(store->putIfAbsent("k", "first")->has_value());
  EXPECT_EQ(*store->putIfAbsent("k", "second"), std::optional<std::string>("first"));
  EXPECT_EQ(*store->get("k"), std::optional<std::string>("first"));
}

TYPED_TEST(KeyValueStoreTest, NullValueDeletesAndNullKeyIsRefused) {
  auto store = this->open(kNullableStrings, kNullableStrings);
  ASSERT_TRUE(store->put("k", "v").isOk());
  ASSERT_TRUE(store->put("k", std::nullopt).isOk());
  EXPECT_FALSE(store->get("k")->has_value());
  EXPECT_EQ(store->put(std::nullopt, "v").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store->get(std::nullopt).status().code(), Status::Code::kInvalidArgument);
}

TYPED_TEST(KeyValueStoreTest, RangeIsInclusiveAtBothEnds) {
  auto store = this->open(kStrings, kLongs);
  for (const char* key : {"a", "b", "c", "d"}) ASSERT_TRUE(store->put(key, key[0]).isOk());
  auto it = store->range("b", "c");
  EXPECT_EQ(drain(it), (std::vector<std::pair<std::string, int64_t>>{{"b", 'b'}, {"c", 'c'}}));
  auto reverse = store->reverseRange("a", "c");
  EXPECT_EQ(drain(reverse), (std::vector<std::pair<std::string, int64_t>>{{"c", 'c'}, {"b", 'b'}, {"a", 'a'}}));
  auto between = store->range("aa", "bb");
  EXPECT_EQ(drain(between).size(), 1u);
  auto backwards = store->range("c", "b");
  EXPECT_TRUE(drain(backwards).empty());
  auto beyond = store->reverseRange("e", "z");
  EXPECT_TRUE(drain(beyond).empty());
}

TYPED_TEST(KeyValueStoreTest, AllIsInByteOrder) {
  auto store = this->open(kLongs, kStrings);
  // Big-endian two's complement: -1 (0xff...) sorts after every positive number.
  for (int64_t key : std::vector<int64_t>{-1, 256, 0, 1, std::numeric_limits<int64_t>::max()}) ASSERT_TRUE(store->put(key, std::to_string(key)).isOk());
  std::vector<int64_t> forward;
  for (auto it = store->all(); it.valid(); it.next()) forward.push_back(it.key());
  EXPECT_EQ(forward, (std::vector<int64_t>{0, 1, 256, std::numeric_limits<int64_t>::max(), -1}));
  std::vector<int64_t> backward;
  for (auto it = store->reverseAll(); it.valid(); it.next()) backward.push_back(it.key());
  EXPECT_EQ(backward, (std::vector<int64_t>{-1, std::numeric_limits<int64_t>::max(), 256, 1, 0}));
}

TYPED_TEST(KeyValueStoreTest, PrefixScan) {
  auto store = this->open(kStrings, kLongs);
  for (const char* key : {"a", "ab", "abc", "abd", "ac", "b"}) ASSERT_TRUE(store->put(key, 0).isOk());
  std::vector<std::string> keys;
  for (auto it = store->prefixScan(std::string("ab"), kStrings); it.valid(); it.next()) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ab", "abc", "abd"}));
  auto none = store->prefixScan(std::string("z"), kStrings);
  EXPECT_TRUE(drain(none).empty());
}

TYPED_TEST(KeyValueStoreTest, PrefixScanOfHighBytes) {
  auto bytes = this->openBytes();
  for (std::string key : {std::string("\xff"), std::string("\xff\xff"), std::string("\xff\xff\x01"), std::string("\xfe")}) {
    ASSERT_TRUE(bytes->put(key, "v").isOk());
  }
  EXPECT_EQ(keysOf(*bytes->prefixScan("\xff\xff")), (std::vector<std::string>{"\xff\xff", "\xff\xff\x01"}));
  EXPECT_EQ(keysOf(*bytes->prefixScan("")).size(), 4u);
}

TYPED_TEST(KeyValueStoreTest, PutAllAppliesPutsAndDeletesInOrder) {
  auto store = this->open(kStrings, kNullableStrings);
  ASSERT_TRUE(store->put("gone", "x").isOk());
  ASSERT_TRUE(store->putAll({{"a", "1"}, {"b", "2"}, {"gone", std::nullopt}, {"a", "3"}}).isOk());
  auto it = store->all();
  EXPECT_EQ(drain(it), (std::vector<std::pair<std::string, std::optional<std::string>>>{{"a", "3"}, {"b", "2"}}));
}

TYPED_TEST(KeyValueStoreTest, ApproximateNumEntries) {
  auto store = this->open(kLongs, kLongs);
  for (int64_t i = 0; i < 100; ++i) ASSERT_TRUE(store->put(i, i).isOk());
  uint64_t count = *store->approximateNumEntries();
  EXPECT_GE(count, 50u);
  EXPECT_LE(count, 200u);
}

TYPED_TEST(KeyValueStoreTest, RemovingWhileIteratingVisitsEveryEntry) {
  auto store = this->open(kLongs, kLongs);
  for (int64_t i = 0; i < 10; ++i) ASSERT_TRUE(store->put(i, i).isOk());
  for (bool reverse : {false, true}) {
    std::vector<int64_t> seen;
    for (auto it = reverse ? store->reverseAll() : store->all(); it.valid(); it.next()) {
      seen.push_back(it.key());
      if (it.key() % 2 == 0 || reverse) {
        ASSERT_TRUE(store->remove(it.key())->has_value());
      }
    }
    EXPECT_EQ(seen.size(), reverse ? 5u : 10u);
  }
  EXPECT_FALSE(store->all().valid());
}

TYPED_TEST(KeyValueStoreTest, CloseClosesOpenIterators) {
  auto store = this->open(kStrings, kStrings);
  ASSERT_TRUE(store->put("a", "1").isOk());
  auto it = store->all();
  ASSERT_TRUE(it.valid());
  ASSERT_TRUE(store->close().isOk());
  EXPECT_FALSE(it.valid());
  EXPECT_EQ(it.status().code(), Status::Code::kInvalidArgument);
  it.close();
  EXPECT_EQ(store->get("a").status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(store->all().valid());
  ASSERT_TRUE(store->init(this->context_).isOk());
  EXPECT_EQ(store->get("a")->has_value(), store->persistent());
}

TYPED_TEST(KeyValueStoreTest, ClosedIteratorLetsTheStoreCloseAndReopen) {
  auto store = this->open(kStrings, kStrings);
  ASSERT_TRUE(store->put("a", "1").isOk());
  {
    auto it = store->all();
    EXPECT_EQ(it.key(), "a");
  }
  ASSERT_TRUE(store->close().isOk());
  EXPECT_FALSE(store->isOpen());
  ASSERT_TRUE(store->init(this->context_).isOk());
  EXPECT_EQ(store->init(this->context_).code(), Status::Code::kInvalidArgument);
}

TYPED_TEST(KeyValueStoreTest, UndecodableEntryStopsIterationWithItsError) {
  auto bytes = TypeParam::supplier("raw")->get();
  KeyValueBytesStore* raw = bytes.get();
  KeyValueStore<std::string, int64_t> store(std::move(bytes), kStrings, kLongs);
  ASSERT_TRUE(store.init(this->context_).isOk());
  ASSERT_TRUE(store.put("a", 1).isOk());
  ASSERT_TRUE(raw->put("b", "short").isOk());
  auto it = store.all();
  ASSERT_TRUE(it.valid());
  it.next();
  EXPECT_FALSE(it.valid());
  EXPECT_EQ(it.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store.get("b").status().code(), Status::Code::kInvalidArgument);
}

TYPED_TEST(KeyValueStoreTest, OrThrowForProcessorCode) {
  auto store = this->open(kStrings, kLongs);
  orThrow(store->put("k", orThrow(store->get("k")).value_or(0) + 1));
  EXPECT_EQ(orThrow(store->get("k")), std::optional<int64_t>(1));
  ASSERT_TRUE(store->close().isOk());
  EXPECT_THROW(orThrow(store->get("k")), StreamsException);
  EXPECT_THROW(orThrow(store->put("k", 2)), StreamsException);
}

TEST(StoresTest, BuilderRecordsFlagsAndBuildsFreshStores) {
  auto builder = Stores::keyValueStoreBuilder(Stores::persistentKeyValueStore("counts"), kStrings, kLongs);
  EXPECT_EQ(builder->name(), "counts");
  EXPECT_TRUE(builder->loggingEnabled());
  EXPECT_FALSE(builder->cachingEnabled());
  auto same = builder->withCachingEnabled()->withLoggingEnabled({{"retention.ms", "1000"}});
  EXPECT_EQ(same, builder);
  EXPECT_TRUE(builder->cachingEnabled());
  EXPECT_EQ(builder->logConfig().at("retention.ms"), "1000");
  builder->withLoggingDisabled()->withCachingDisabled();
  EXPECT_FALSE(builder->loggingEnabled());
  EXPECT_FALSE(builder->cachingEnabled());

  std::unique_ptr<StateStore> first = builder->build();
  std::unique_ptr<StateStore> second = builder->build();
  EXPECT_NE(first.get(), second.get());
  EXPECT_TRUE(first->persistent());
  EXPECT_FALSE(first->isOpen());
  EXPECT_EQ(first->name(), "counts");
  // How a processor context finds the typed store.
  using Counts = KeyValueStore<std::string, int64_t>;
  using Names = KeyValueStore<std::string, std::string>;
  EXPECT_NE(dynamic_cast<Counts*>(first.get()), nullptr);
  EXPECT_EQ(dynamic_cast<Names*>(first.get()), nullptr);

  auto in_memory = Stores::keyValueStoreBuilder(Stores::inMemoryKeyValueStore("m"), kStrings, kLongs)->build();
  EXPECT_FALSE(in_memory->persistent());
}

class RocksDbStoreTest : public ::testing::Test {
 protected:
  RocksDbStoreTest() { context_ = {"app", "0_1", dir_.path() / "app" / "0_1"}; }

  std::unique_ptr<KeyValueStore<std::string, std::string>> make() {
    return Stores::keyValueStoreBuilder(Stores::persistentKeyValueStore("s"), kStrings, kStrings)->buildStore();
  }

  TempDir dir_;
  StateStoreContext context_;
};

TEST_F(RocksDbStoreTest, OpensUnderTheTaskDirectory) {
  auto store = make();
  ASSERT_TRUE(store->init(context_).isOk());
  EXPECT_TRUE(std::filesystem::exists(context_.task_dir / "rocksdb" / "s" / "CURRENT"));
}

TEST_F(RocksDbStoreTest, DataSurvivesCloseAndReopen) {
  {
    auto store = make();
    ASSERT_TRUE(store->init(context_).isOk());
    ASSERT_TRUE(store->put("k", "v").isOk());
    ASSERT_TRUE(store->put("gone", "v").isOk());
    ASSERT_TRUE(store->remove("gone")->has_value());
    ASSERT_TRUE(store->close().isOk());
  }
  auto store = make();
  ASSERT_TRUE(store->init(context_).isOk());
  EXPECT_EQ(*store->get("k"), std::optional<std::string>("v"));
  EXPECT_FALSE(store->get("gone")->has_value());
}

TEST_F(RocksDbStoreTest, FlushedWritesSurviveACrash) {
  // "threadsafe" re-executes the test binary for the child: forking a process that runs
  // RocksDB's background threads would leave the child without them.
  // The child runs this test again from the start, with a TempDir of its own: the
  // parent's directory reaches it in the environment.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  constexpr const char* kDirVariable = "RUNNEL_KV_STORE_TEST_CRASH_DIR";
  if (std::getenv(kDirVariable) == nullptr) ::setenv(kDirVariable, dir_.path().c_str(), 1);
  context_.task_dir = std::filesystem::path(std::getenv(kDirVariable)) / "app" / "0_1";
  EXPECT_EXIT(
      {
        auto store = make();
        bool ok = store->init(context_).isOk() && store->put("k", "v").isOk() && store->flush().isOk();
        std::filesystem::remove(dir_.path());  // the child's own, unused
        std::_Exit(ok ? 0 : 1);  // no close(), no destructors: as kill -9 after a commit
      },
      ::testing::ExitedWithCode(0), "");
  ::unsetenv(kDirVariable);
  auto store = make();
  ASSERT_TRUE(store->init(context_).isOk());
  EXPECT_EQ(*store->get("k"), std::optional<std::string>("v"));
}

TEST_F(RocksDbStoreTest, IteratorReadsASnapshot) {
  auto store = make();
  ASSERT_TRUE(store->init(context_).isOk());
  ASSERT_TRUE(store->put("a", "1").isOk());
  ASSERT_TRUE(store->put("c", "3").isOk());
  auto it = store->all();
  ASSERT_TRUE(store->put("b", "2").isOk());
  ASSERT_TRUE(store->put("c", "changed").isOk());
  EXPECT_EQ(drain(it), (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"c", "3"}}));
}

TEST_F(RocksDbStoreTest, UnwritableDirectoryIsAClearError) {
  std::filesystem::create_directories(context_.task_dir);
  std::ofstream(context_.task_dir / "rocksdb") << "a file where the directory should be";
  auto store = make();
  Status status = store->init(context_);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_NE(status.message().find((context_.task_dir / "rocksdb" / "s").string()), std::string::npos) << status.toString();
  EXPECT_FALSE(store->isOpen());
}

TEST_F(RocksDbStoreTest, CorruptStoreIsAClearError) {
  {
    auto store = make();
    ASSERT_TRUE(store->init(context_).isOk());
    ASSERT_TRUE(store->close().isOk());
  }
  std::filesystem::path path = context_.task_dir / "rocksdb" / "s";
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    if (entry.path().filename().string().starts_with("MANIFEST")) {
      std::ofstream(entry.path()) << "garbage";
    }
  }
  auto store = make();
  Status status = store->init(context_);
  EXPECT_FALSE(status.isOk());
  EXPECT_NE(status.message().find(path.string()), std::string::npos) << status.toString();
}

}  // namespace
}  // namespace runnel::streams
