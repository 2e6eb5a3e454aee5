#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include <string>
#include <vector>

#include "driver_util.h"
#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {
namespace {

using std::string;

TEST(DslTest, FilterMapValuesTo) {
  StreamsBuilder builder;
  builder.stream("in", strings())
      .filter([](const string&, const string& v) { return v.size() > 2; })
      .filterNot([](const string& k, const string&) { return k == "skip"; })
      .mapValues([](const string& v) { return "<" + v + ">"; })
      .to("out");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::String());
  in.pipeInput("a", "hello", 10);
  in.pipeInput("b", "x", 11);
  in.pipeInput("skip", "long enough", 12);
  in.pipeInput("c", "world", 13);
  auto records = out.readRecordsToList();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], (TestRecord<string, string>{"a", "<hello>", 10, {}}));
  EXPECT_EQ(records[1], (TestRecord<string, string>{"c", "<world>", 13, {}}));
  EXPECT_TRUE(out.isEmpty());
}

TEST(DslTest, MapValuesWithKeyAndTypeChange) {
  StreamsBuilder builder;
  builder.stream("in", strings())
      .mapValues([](const string& k, const string& v) { return static_cast<int64_t>(k.size() + v.size()); })
      .to("out", Produced<string, int64_t>::with(Serdes::String(), Serdes::Long()));
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::Long());
  in.pipeInput("ab", "cde");
  EXPECT_EQ(out.readKeyValue(), (KeyValue<string, int64_t>{"ab", 5}));
}

TEST(DslTest, MapSelectKeyFlatMapFlatMapValues) {
  StreamsBuilder builder;
  auto stream = builder.stream("in", strings());
  stream.map([](const string& k, const string& v) { return KeyValue<string, string>{v, k}; }).to("swapped");
  stream.selectKey([](const string&, const string& v) { return v.substr(0, 1); }).to("rekeyed");
  stream
      .flatMap([](const string& k, const string& v) {
        std::vector<KeyValue<string, int32_t>> out;
        for (char c : v) out.push_back({k + c, 1});
        return out;
      })
      .to("chars", Produced<string, int32_t>::with(Serdes::String(), Serdes::Integer()));
  stream
      .flatMapValues([](const string& v) {
        std::vector<string> words;
        size_t start = 0;
        while (start <= v.size()) {
          size_t end = v.find(' ', start);
          if (end == string::npos) end = v.size();
          words.push_back(v.substr(start, end - start));
          start = end + 1;
        }
        return words;
      })
      .to("words");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("k", "hello big world", 5);
  EXPECT_EQ(driver->createOutputTopic("swapped", Serdes::String(), Serdes::String()).readKeyValue(),
            (KeyValue<string, string>{"hello big world", "k"}));
  EXPECT_EQ(driver->createOutputTopic("rekeyed", Serdes::String(), Serdes::String()).readKeyValue(),
            (KeyValue<string, string>{"h", "hello big world"}));
  EXPECT_EQ(driver->createOutputTopic("chars", Serdes::String(), Serdes::Integer()).getQueueSize(), 15u);
  auto words = driver->createOutputTopic("words", Serdes::String(), Serdes::String()).readValuesToList();
  EXPECT_EQ(words, (std::vector<string>{"hello", "big", "world"}));
}

TEST(DslTest, PeekForeachAndMerge) {
  StreamsBuilder builder;
  std::vector<string> peeked, seen;
  auto a = builder.stream("a", strings());
  auto b = builder.stream("b", strings());
  a.merge(b)
      .peek([&](const string& k, const string&) { peeked.push_back(k); })
      .foreach ([&](const string& k, const string& v) { seen.push_back(k + "=" + v); });
  auto driver = makeDriver(builder);
  driver->createInputTopic("a", Serdes::String(), Serdes::String()).pipeInput("1", "x");
  driver->createInputTopic("b", Serdes::String(), Serdes::String()).pipeInput("2", "y");
  EXPECT_EQ(peeked, (std::vector<string>{"1", "2"}));
  EXPECT_EQ(seen, (std::vector<string>{"1=x", "2=y"}));
}

TEST(DslTest, SplitWithNamedAndDefaultBranches) {
  StreamsBuilder builder;
  auto branches = builder.stream("in", strings())
                      .split(Named::as("lang-"))
                      .branch([](const string&, const string& v) { return v.starts_with("en:"); },
                              Branched<string, string>::as("english"))
                      .branch([](const string&, const string& v) { return v.starts_with("fr:"); },
                              Branched<string, string>::as("french"))
                      .defaultBranch(Branched<string, string>::as("other"));
  ASSERT_EQ(branches.size(), 3u);
  branches.at("lang-english").to("en");
  branches.at("lang-french").to("fr");
  branches.at("lang-other").to("rest");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeValueList({"en:hi", "fr:salut", "de:hallo", "en:yo"});
  EXPECT_EQ(driver->createOutputTopic("en", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"en:hi", "en:yo"}));
  EXPECT_EQ(driver->createOutputTopic("fr", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"fr:salut"}));
  EXPECT_EQ(driver->createOutputTopic("rest", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"de:hallo"}));
}

TEST(DslTest, SplitBranchesWithFunctionAndConsumer) {
  using Stream = KStream<string, string>;
  StreamsBuilder builder;
  auto starts = [](char c) { return [c](const string&, const string& v) { return !v.empty() && v[0] == c; }; };
  auto branches =
      builder.stream("in", strings())
          .split(Named::as("s-"))
          .branch(starts('a'), Branched<string, string>::withFunction(
                                   [](Stream s) { return std::optional(s.mapValues([](const string& v) {
                                     return v + "!";
                                   })); },
                                   "bang"))
          .branch(starts('b'), Branched<string, string>::withConsumer([](Stream s) { s.to("b-out"); }, "bees"))
          .branch(starts('c'), Branched<string, string>::withFunction([](Stream s) {
            s.to("c-out");
            return std::optional<Stream>();
          }))
          .defaultBranch();
  // A function's result is its branch's entry; a consumer's branch and a function that
  // returns nothing have none.
  std::vector<string> names;
  for (const auto& [name, stream] : branches) names.push_back(name);
  EXPECT_EQ(names, (std::vector<string>{"s-0", "s-bang"}));
  branches.at("s-bang").to("a-out");
  branches.at("s-0").to("rest");
  auto driver = makeDriver(builder);
  driver->createInputTopic("in", Serdes::String(), Serdes::String()).pipeValueList({"a1", "b1", "c1", "d1", "a2"});
  auto read = [&](const string& topic) {
    return driver->createOutputTopic(topic, Serdes::String(), Serdes::String()).readValuesToList();
  };
  EXPECT_EQ(read("a-out"), (std::vector<string>{"a1!", "a2!"}));
  EXPECT_EQ(read("b-out"), (std::vector<string>{"b1"}));
  EXPECT_EQ(read("c-out"), (std::vector<string>{"c1"}));
  EXPECT_EQ(read("rest"), (std::vector<string>{"d1"}));
  // The third branch, unnamed, is named by its position.
  EXPECT_NE(builder.build()->describe().find("s-3"), string::npos);
}

TEST(DslTest, SplitNumbersUnnamedBranchesAndDropsUnmatched) {
  StreamsBuilder builder;
  auto branches = builder.stream("in", strings())
                      .split()
                      .branch([](const string&, const string& v) { return v == "x"; })
                      .noDefaultBranch();
  ASSERT_EQ(branches.size(), 1u);
  EXPECT_EQ(branches.begin()->first, "KSTREAM-BRANCH-00000000011");
  branches.begin()->second.to("x");
  auto driver = makeDriver(builder);
  driver->createInputTopic("in", Serdes::String(), Serdes::String()).pipeValueList({"x", "y", "x"});
  EXPECT_EQ(driver->createOutputTopic("x", Serdes::String(), Serdes::String()).getQueueSize(), 2u);
  EXPECT_EQ(driver->producedTopicNames(), (std::vector<string>{"x"}));
}

TEST(DslTest, TopicNameExtractorRoutesPerRecord) {
  StreamsBuilder builder;
  builder.stream("in", strings()).to([](const string& key, const string&, const RecordMetadata*) {
    return "out-" + key;
  });
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("a", "1");
  in.pipeInput("b", "2");
  EXPECT_EQ(driver->createOutputTopic("out-a", Serdes::String(), Serdes::String()).readValue(), "1");
  EXPECT_EQ(driver->createOutputTopic("out-b", Serdes::String(), Serdes::String()).readValue(), "2");
}

TEST(DslTest, RepartitionGoesThroughAnInternalTopic) {
  StreamsBuilder builder;
  builder.stream("in", strings())
      .selectKey([](const string&, const string& v) { return v; })
      .repartition(Repartitioned<string, string>::as("by-value").withNumberOfPartitions(3))
      .to("out");
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk());
  auto built = topology->internals().build("app");
  ASSERT_TRUE(built.isOk());
  ASSERT_EQ(built->sub_topologies.size(), 2u);
  ASSERT_EQ(built->internal_topics.size(), 1u);
  EXPECT_EQ(built->internal_topics[0].name, "app-by-value-repartition");
  EXPECT_EQ(built->internal_topics[0].partitions, 3);
  EXPECT_EQ(built->sub_topologies[1].source_topics, (std::vector<string>{"app-by-value-repartition"}));

  auto driver = makeDriver(builder, {{"application.id", "app"}});
  driver->createInputTopic("in", Serdes::String(), Serdes::String()).pipeInput("k", "v", 42);
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::String());
  EXPECT_EQ(out.readRecord(), (TestRecord<string, string>{"v", "v", 42, {}}));
  auto produced = driver->producedTopicNames();
  EXPECT_EQ(produced, (std::vector<string>{"app-by-value-repartition", "out"}));
}

TEST(DslTest, DefaultSerdesComeFromTheConfig) {
  StreamsBuilder builder;
  builder.stream<string, string>("in").mapValues([](const string& v) { return v + "!"; }).to("out");
  auto driver = makeDriver(builder, {{"default.key.serde", "Serdes$StringSerde"}});
  driver->createInputTopic("in", Serdes::String(), Serdes::String()).pipeInput("k", "v");
  EXPECT_EQ(driver->createOutputTopic("out", Serdes::String(), Serdes::String()).readValue(), "v!");
}

TEST(DslTest, MissingOrMismatchedDefaultSerdeIsAClearError) {
  StreamsBuilder builder;
  builder.stream<string, string>("in").to("out");
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk());
  auto missing = TopologyTestDriver::create(*topology);
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.status().message().find("please specify a key serde"), string::npos) << missing.status().message();
  auto mismatched = TopologyTestDriver::create(
      *topology, {{"default.key.serde", "Serdes$LongSerde"}, {"default.value.serde", "Serdes$StringSerde"}});
  ASSERT_FALSE(mismatched.isOk());
  EXPECT_NE(mismatched.status().message().find("does not produce"), string::npos) << mismatched.status().message();
}

TEST(DslTest, DeserializationErrorsFailOrAreSkipped) {
  auto build = [] {
    StreamsBuilder builder;
    builder.stream("in", Consumed<string, int32_t>::with(Serdes::String(), Serdes::Integer()))
        .to("out", Produced<string, int32_t>::with(Serdes::String(), Serdes::Integer()));
    return *builder.build();
  };
  {
    auto driver = TopologyTestDriver::create(build());
    ASSERT_TRUE(driver.isOk());
    auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
    EXPECT_THROW(in.pipeInput("k", "abc"), StreamsException);
  }
  auto driver = TopologyTestDriver::create(
      build(), {{"default.deserialization.exception.handler",
                 "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler"}});
  ASSERT_TRUE(driver.isOk());
  auto bad = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  auto good = (*driver)->createInputTopic("in", Serdes::String(), Serdes::Integer());
  bad.pipeInput("k", "abc");
  good.pipeInput("k", 7);
  auto out = (*driver)->createOutputTopic("out", Serdes::String(), Serdes::Integer());
  EXPECT_EQ(out.readValuesToList(), (std::vector<int32_t>{7}));
}

TEST(DslTest, NegativeTimestampFailsByDefaultAndCustomExtractorWins) {
  StreamsBuilder builder;
  builder
      .stream("in", Consumed<string, string>::with(Serdes::String(), Serdes::String())
                        .withTimestampExtractor([](const ConsumerRecordInfo&, const string&, const string& v,
                                                   int64_t) { return static_cast<int64_t>(std::stoll(v)); }))
      .to("out");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("k", "1000", 5);
  in.pipeInput("k", "-1", 6);  // dropped: negative extracted timestamp
  auto records = driver->createOutputTopic("out", Serdes::String(), Serdes::String()).readRecordsToList();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].timestamp, 1000);

  StreamsBuilder plain;
  plain.stream("in", strings()).to("out");
  auto strict = makeDriver(plain);
  EXPECT_THROW(strict->createInputTopic("in", Serdes::String(), Serdes::String()).pipeInput("k", "v", -5),
               StreamsException);
}

TEST(DslTest, ProductionErrorsFailOrAreSkipped) {
  // An empty topic name cannot be sent: the producer refuses the record.
  auto build = [] {
    StreamsBuilder builder;
    builder.stream("in", strings()).to([](const string& key, const string&, const RecordMetadata*) {
      return key == "bad" ? string() : "out";
    });
    return *builder.build();
  };
  {
    auto driver = TopologyTestDriver::create(build());
    ASSERT_TRUE(driver.isOk());
    auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
    EXPECT_THROW(in.pipeInput("bad", "v"), StreamsException);
  }
  auto driver = TopologyTestDriver::create(
      build(), {{"default.production.exception.handler",
                 "org.apache.kafka.streams.errors.AlwaysContinueProductionExceptionHandler"}});
  ASSERT_TRUE(driver.isOk());
  auto in = (*driver)->createInputTopic("in", Serdes::String(), Serdes::String());
  in.pipeInput("bad", "lost");
  in.pipeInput("good", "kept");
  EXPECT_EQ((*driver)->createOutputTopic("out", Serdes::String(), Serdes::String()).readValuesToList(),
            (std::vector<string>{"kept"}));
}

TEST(DslTest, UserExceptionsCarryTheTaskAndRecord) {
  StreamsBuilder builder;
  builder.stream("in", strings()).foreach ([](const string&, const string&) { throw std::runtime_error("boom"); });
  auto driver = makeDriver(builder);
  try {
    driver->createInputTopic("in", Serdes::String(), Serdes::String()).pipeInput("k", "v");
    FAIL() << "no exception";
  } catch (const StreamsException& e) {
    string what = e.what();
    EXPECT_NE(what.find("taskId=0_0, processor=KSTREAM-FOREACH-0000000001"), string::npos) << what;
    EXPECT_NE(what.find("topic=in, partition=0, offset=0"), string::npos) << what;
    EXPECT_NE(what.find("boom"), string::npos) << what;
  }
}

TEST(DslTest, HeadersAndTimestampsFlowThrough) {
  StreamsBuilder builder;
  builder.stream("in", strings()).mapValues([](const string& v) { return v + v; }).to("out");
  auto driver = makeDriver(builder);
  TestRecord<string, string> record{"k", "ab", 1234, {{"trace", "42"}, {"empty", std::nullopt}}};
  driver->createInputTopic("in", Serdes::String(), Serdes::String()).pipeInput(record);
  auto out = driver->createOutputTopic("out", Serdes::String(), Serdes::String()).readRecord();
  ASSERT_TRUE(out);
  EXPECT_EQ(out->value, "abab");
  EXPECT_EQ(out->timestamp, 1234);
  EXPECT_EQ(out->headers, record.headers);
}

TEST(DslTest, AutoAdvancingInputTimestamps) {
  StreamsBuilder builder;
  builder.stream("in", strings()).to("out");
  auto driver = makeDriver(builder);
  auto in = driver->createInputTopic("in", Serdes::String(), Serdes::String(), 1000, std::chrono::milliseconds(10));
  in.pipeValueList({"a", "b", "c"});
  auto records = driver->createOutputTopic("out", Serdes::String(), Serdes::String()).readRecordsToList();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].timestamp, 1000);
  EXPECT_EQ(records[2].timestamp, 1020);
}

TEST(DslTest, DescribeMatchesKafkaStreamsLayout) {
  StreamsBuilder builder;
  builder.stream("users", Consumed<Void, string>::with(Serdes::Void(), Serdes::String()))
      .filter([](const Void&, const string& v) { return !v.empty(); })
      .mapValues([](const string& v) { return v; })
      .to("out");
  auto topology = builder.build();
  ASSERT_TRUE(topology.isOk());
  EXPECT_EQ(topology->describe(),
            "Topologies:\n"
            "   Sub-topology: 0\n"
            "    Source: KSTREAM-SOURCE-0000000000 (topics: [users])\n"
            "      --> KSTREAM-FILTER-0000000001\n"
            "    Processor: KSTREAM-FILTER-0000000001 (stores: [])\n"
            "      --> KSTREAM-MAPVALUES-0000000002\n"
            "      <-- KSTREAM-SOURCE-0000000000\n"
            "    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])\n"
            "      --> KSTREAM-SINK-0000000003\n"
            "      <-- KSTREAM-FILTER-0000000001\n"
            "    Sink: KSTREAM-SINK-0000000003 (topic: out)\n"
            "      <-- KSTREAM-MAPVALUES-0000000002\n"
            "\n");
}

TEST(DslTest, DuplicateNamesAreReportedByBuild) {
  StreamsBuilder builder;
  auto s = builder.stream("in", strings());
  s.filter([](const string&, const string&) { return true; }, Named::as("same"));
  s.filter([](const string&, const string&) { return true; }, Named::as("same"));
  auto topology = builder.build();
  ASSERT_FALSE(topology.isOk());
  EXPECT_NE(topology.status().message().find("same"), string::npos);
}

TEST(DslTest, PrintWritesLabelledLines) {
  char path[] = "/tmp/runnel-print-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  StreamsBuilder builder;
  builder.stream("in", Consumed<Void, string>::with(Serdes::Void(), Serdes::String()))
      .print(Printed<Void, string>::toFile(path).withLabel("users"));
  {
    auto driver = makeDriver(builder);
    driver->createInputTopic("in", Serdes::Void(), Serdes::String()).pipeValueList({"mitch", "elyse"});
  }
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "[users]: null, mitch\n[users]: null, elyse\n");
  std::remove(path);
}

}  // namespace
}  // namespace runnel::streams
