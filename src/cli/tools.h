#pragma once

namespace runnel::cli {

// The console tools, as `runnel topics|produce|consume ...`. argv[0] is the subcommand
// name; each returns the process exit code. Flags and output follow Kafka's
// kafka-topics.sh, kafka-console-producer.sh and kafka-console-consumer.sh
// (docs/tools.md lists the differences).
int topicsMain(int argc, char** argv);
int produceMain(int argc, char** argv);
int consumeMain(int argc, char** argv);
// `runnel perf produce|consume`: kafka-producer-perf-test / kafka-consumer-perf-test.
int perfMain(int argc, char** argv);
// `runnel groups`: kafka-consumer-groups.sh.
int groupsMain(int argc, char** argv);
// `runnel sql [server]`: the ksql CLI.
int sqlMain(int argc, char** argv);

}  // namespace runnel::cli
