"""Metadata and topic administration with real clients: kcat -L, confluent_kafka
AdminClient and `runnel topics`, against one broker."""

import json
import re
import unittest

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import ConfigResource, NewPartitions, NewTopic

from runnel_fixture import (SLOW, BrokerTestCase, admin_client, create_topic, run_kcat, run_tool,
                            wait_for_topic, wait_until)

T = 30 * SLOW  # bound on every admin future


def error_of(future):
    """The KafkaError a failed admin future carries (fails the test if it succeeded)."""
    try:
        value = future.result(timeout=T)
    except KafkaException as e:
        return e.args[0]
    raise AssertionError(f"expected the request to fail, it returned {value!r}")


class MetadataAdminTest(BrokerTestCase):

    def setUp(self):
        self.admin = admin_client(self.bootstrap)

    # -- metadata ------------------------------------------------------------------------

    def test_kcat_metadata_lists_broker_at_listener(self):
        topic = self.unique_topic("kcat-md")
        create_topic(self.bootstrap, topic, partitions=4)
        out = run_kcat(["-b", self.bootstrap, "-L", "-m", str(int(10 * SLOW))]).stdout.decode()
        self.assertIn(f"(from broker 1: {self.bootstrap}/1)", out)
        self.assertIn(" 1 brokers:", out)
        self.assertRegex(out, rf"broker 1 at {re.escape(self.bootstrap)}( \(controller\))?\n")
        self.assertIn(f'topic "{topic}" with 4 partitions:', out)
        for p in range(4):
            self.assertIn(f"partition {p}, leader 1, replicas: 1, isrs: 1", out)

        # The JSON form, parsed.
        md = json.loads(run_kcat(["-b", self.bootstrap, "-L", "-J", "-t", topic]).stdout)
        self.assertEqual(md["brokers"], [{"id": 1, "name": self.bootstrap}])
        self.assertEqual(md["controllerid"], 1)
        (t,) = md["topics"]
        self.assertEqual(t["topic"], topic)
        self.assertEqual(sorted(p["partition"] for p in t["partitions"]), [0, 1, 2, 3])
        for p in t["partitions"]:
            self.assertEqual((p["leader"], [r["id"] for r in p["replicas"]], [r["id"] for r in p["isrs"]]),
                             (1, [1], [1]))

    def test_admin_list_topics_broker_and_cluster_id(self):
        md = self.admin.list_topics(timeout=T)
        self.assertEqual(md.cluster_id, self.broker.cluster_id())
        self.assertRegex(md.cluster_id, r"^[A-Za-z0-9_-]{22}$")  # base64url of a UUID, as Kafka
        self.assertEqual(md.controller_id, 1)
        self.assertEqual(md.orig_broker_id, 1)
        self.assertEqual(list(md.brokers.keys()), [1])
        b = md.brokers[1]
        self.assertEqual((b.id, b.host, b.port), (1, "127.0.0.1", self.broker.port))
        # The offsets topic exists and is internal-looking; no user topic is invented.
        self.assertIn("__consumer_offsets", md.topics)

    # -- create / describe / alter / delete ----------------------------------------------

    def test_create_topic_with_admin_client(self):
        topic = self.unique_topic("admin-created")
        fs = self.admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1,
                                                config={"retention.ms": "3600000"})],
                                      operation_timeout=T, request_timeout=T)
        self.assertIsNone(fs[topic].result(timeout=T))
        wait_for_topic(self.admin, topic, 4)
        t = self.admin.list_topics(topic=topic, timeout=T).topics[topic]
        self.assertIsNone(t.error)
        self.assertEqual(sorted(t.partitions), [0, 1, 2, 3])
        for p in t.partitions.values():
            self.assertEqual((p.leader, p.replicas, p.isrs), (1, [1], [1]))

        # Visible to the console tool as well.
        out = run_tool(["topics", "--bootstrap-server", self.bootstrap, "--describe", "--topic", topic]).stdout
        self.assertRegex(out, rf"Topic: {topic}\t(TopicId: \S+\t)?PartitionCount: 4\tReplicationFactor: 1\t"
                              r"Configs: .*retention\.ms=3600000")
        self.assertIn(topic, run_tool(["topics", "--bootstrap-server", self.bootstrap, "--list"]).stdout.split())

    def test_create_topic_with_runnel_topics(self):
        topic = self.unique_topic("tool-created")
        out = run_tool(["topics", "--bootstrap-server", self.bootstrap, "--create", "--topic", topic,
                        "--partitions", "4", "--replication-factor", "1",
                        "--config", "cleanup.policy=compact"]).stdout
        self.assertEqual(out, f"Created topic {topic}.\n")
        wait_for_topic(self.admin, topic, 4)
        md = self.admin.list_topics(topic=topic, timeout=T)
        self.assertEqual(len(md.topics[topic].partitions), 4)
        configs = self.admin.describe_configs([ConfigResource("topic", topic)])
        (entries,) = [f.result(timeout=T) for f in configs.values()]
        self.assertEqual(entries["cleanup.policy"].value, "compact")
        self.assertFalse(entries["cleanup.policy"].is_default)

        # Creating it again: the tool reports the error and fails; --if-not-exists does not.
        again = run_tool(["topics", "--bootstrap-server", self.bootstrap, "--create", "--topic", topic,
                          "--partitions", "4", "--replication-factor", "1"], check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("already exists", again.stdout + again.stderr)
        run_tool(["topics", "--bootstrap-server", self.bootstrap, "--create", "--topic", topic,
                  "--partitions", "4", "--replication-factor", "1", "--if-not-exists"])

    def test_describe_and_alter_configs(self):
        topic = self.unique_topic("configs")
        create_topic(self.bootstrap, topic, partitions=1)
        res = ConfigResource("topic", topic)

        entries = self.admin.describe_configs([res])[res].result(timeout=T)
        # Kafka's topic configs with their defaults (the broker's log.* defaults).
        self.assertEqual(entries["retention.ms"].value, "604800000")
        self.assertTrue(entries["retention.ms"].is_default)
        self.assertEqual(entries["segment.bytes"].value, "1073741824")
        self.assertEqual(entries["cleanup.policy"].value, "delete")
        self.assertEqual(entries["max.message.bytes"].value, "1048588")
        self.assertEqual(entries["message.timestamp.type"].value, "CreateTime")

        altered = ConfigResource("topic", topic, set_config={"retention.ms": "86400000",
                                                             "max.message.bytes": "2000000"})
        self.assertIsNone(self.admin.alter_configs([altered])[altered].result(timeout=T))
        entries = self.admin.describe_configs([res])[res].result(timeout=T)
        self.assertEqual(entries["retention.ms"].value, "86400000")
        self.assertFalse(entries["retention.ms"].is_default)
        self.assertEqual(entries["retention.ms"].source, 1)  # DYNAMIC_TOPIC_CONFIG
        self.assertEqual(entries["max.message.bytes"].value, "2000000")

        # Non-incremental AlterConfigs replaces the whole set: what is not named reverts.
        only_one = ConfigResource("topic", topic, set_config={"max.message.bytes": "3000000"})
        self.admin.alter_configs([only_one])[only_one].result(timeout=T)
        entries = self.admin.describe_configs([res])[res].result(timeout=T)
        self.assertEqual(entries["max.message.bytes"].value, "3000000")
        self.assertEqual(entries["retention.ms"].value, "604800000")
        self.assertTrue(entries["retention.ms"].is_default)

        # The console tool's --alter --config goes through the same path.
        run_tool(["topics", "--bootstrap-server", self.bootstrap, "--alter", "--topic", topic,
                  "--config", "retention.ms=1234567"])
        entries = self.admin.describe_configs([res])[res].result(timeout=T)
        self.assertEqual(entries["retention.ms"].value, "1234567")

    def test_describe_broker_configs(self):
        res = ConfigResource("broker", "1")
        entries = self.admin.describe_configs([res])[res].result(timeout=T)
        self.assertIn("log.segment.bytes", entries)
        self.assertEqual(entries["log.segment.bytes"].value, "1073741824")

    def test_create_partitions(self):
        topic = self.unique_topic("grow")
        create_topic(self.bootstrap, topic, partitions=4)
        fs = self.admin.create_partitions([NewPartitions(topic, 6)], operation_timeout=T, request_timeout=T)
        self.assertIsNone(fs[topic].result(timeout=T))
        wait_for_topic(self.admin, topic, 6)

        # Shrinking is refused.
        fs = self.admin.create_partitions([NewPartitions(topic, 3)], request_timeout=T)
        self.assertEqual(error_of(fs[topic]).code(), KafkaError.INVALID_PARTITIONS)
        # So is "growing" to the same count.
        fs = self.admin.create_partitions([NewPartitions(topic, 6)], request_timeout=T)
        self.assertEqual(error_of(fs[topic]).code(), KafkaError.INVALID_PARTITIONS)

        # The new partitions take records.
        out = run_kcat(["-b", self.bootstrap, "-P", "-t", topic, "-p", "5"], input=b"into-5\n").returncode
        self.assertEqual(out, 0)
        got = run_kcat(["-b", self.bootstrap, "-C", "-t", topic, "-p", "5", "-o", "beginning", "-e",
                        "-f", "%p:%o:%s\n"]).stdout.decode()
        self.assertEqual(got, "5:0:into-5\n")

        # And through the tool.
        run_tool(["topics", "--bootstrap-server", self.bootstrap, "--alter", "--topic", topic,
                  "--partitions", "8"])
        wait_for_topic(self.admin, topic, 8)

    def test_delete_topic(self):
        topic = self.unique_topic("doomed")
        create_topic(self.bootstrap, topic, partitions=2)
        fs = self.admin.delete_topics([topic], operation_timeout=T, request_timeout=T)
        self.assertIsNone(fs[topic].result(timeout=T))
        wait_until(lambda: topic not in self.admin.list_topics(timeout=T).topics, T,
                   what=f"{topic} to disappear")
        # Deleting it again: UNKNOWN_TOPIC_OR_PARTITION.
        fs = self.admin.delete_topics([topic], request_timeout=T)
        self.assertEqual(error_of(fs[topic]).code(), KafkaError.UNKNOWN_TOPIC_OR_PART)

        # The name can be reused, and the new topic starts empty.
        create_topic(self.bootstrap, topic, partitions=3)
        got = run_kcat(["-b", self.bootstrap, "-C", "-t", topic, "-o", "beginning", "-e"]).stdout
        self.assertEqual(got, b"")

        # Through the tool.
        run_tool(["topics", "--bootstrap-server", self.bootstrap, "--delete", "--topic", topic])
        wait_until(lambda: topic not in self.admin.list_topics(timeout=T).topics, T,
                   what=f"{topic} to disappear")

    # -- errors ----------------------------------------------------------------------------

    def test_create_existing_topic_fails_with_topic_already_exists(self):
        topic = self.unique_topic("twice")
        create_topic(self.bootstrap, topic, partitions=4)
        fs = self.admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1)],
                                      request_timeout=T)
        self.assertEqual(error_of(fs[topic]).code(), KafkaError.TOPIC_ALREADY_EXISTS)

    def test_replication_factor_3_fails_with_invalid_replication_factor(self):
        topic = self.unique_topic("rf3")
        fs = self.admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=3)],
                                      request_timeout=T)
        self.assertEqual(error_of(fs[topic]).code(), KafkaError.INVALID_REPLICATION_FACTOR)
        self.assertNotIn(topic, self.admin.list_topics(timeout=T).topics)

    def test_bad_config_value_fails_with_invalid_config(self):
        for name, value in [("retention.ms", "not-a-number"), ("cleanup.policy", "sometimes"),
                            ("no.such.config", "1")]:
            with self.subTest(config=name):
                topic = self.unique_topic("badcfg")
                fs = self.admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1,
                                                        config={name: value})], request_timeout=T)
                self.assertEqual(error_of(fs[topic]).code(), KafkaError.INVALID_CONFIG)
                self.assertNotIn(topic, self.admin.list_topics(timeout=T).topics)

        topic = self.unique_topic("badalter")
        create_topic(self.bootstrap, topic, partitions=1)
        bad = ConfigResource("topic", topic, set_config={"retention.ms": "soon"})
        self.assertEqual(error_of(self.admin.alter_configs([bad])[bad]).code(), KafkaError.INVALID_CONFIG)
        res = ConfigResource("topic", topic)
        self.assertEqual(self.admin.describe_configs([res])[res].result(timeout=T)["retention.ms"].value,
                         "604800000")

    def test_invalid_topic_name_and_partition_count(self):
        fs = self.admin.create_topics([NewTopic("bad/name", num_partitions=1, replication_factor=1)],
                                      request_timeout=T)
        self.assertEqual(error_of(fs["bad/name"]).code(), KafkaError.TOPIC_EXCEPTION)
        topic = self.unique_topic("zero")
        fs = self.admin.create_topics([NewTopic(topic, num_partitions=0, replication_factor=1)],
                                      request_timeout=T)
        self.assertEqual(error_of(fs[topic]).code(), KafkaError.INVALID_PARTITIONS)

    def test_describe_configs_of_unknown_topic(self):
        res = ConfigResource("topic", "no-such-topic")
        self.assertEqual(error_of(self.admin.describe_configs([res])[res]).code(),
                         KafkaError.UNKNOWN_TOPIC_OR_PART)


class NoAutoCreateTest(BrokerTestCase):
    broker_overrides = {"auto.create.topics.enable": "false", "num.partitions": "3"}

    def test_metadata_for_unknown_topic_is_unknown_topic_or_partition(self):
        # librdkafka asks for auto-creation (allow_auto_topic_creation=true) when it
        # requests one topic's metadata; the broker setting must win.
        admin = admin_client(self.bootstrap)
        md = admin.list_topics(topic="never-created", timeout=T)
        self.assertEqual(md.topics["never-created"].error.code(), KafkaError.UNKNOWN_TOPIC_OR_PART)
        self.assertNotIn("never-created", admin.list_topics(timeout=T).topics)

    def test_produce_to_unknown_topic_is_refused(self):
        proc = run_kcat(["-b", self.bootstrap, "-P", "-t", "nope", "-m", str(int(5 * SLOW)),
                         "-X", "message.timeout.ms=3000"], input=b"x\n", check=False)
        self.assertNotEqual(proc.returncode, 0)
        admin = admin_client(self.bootstrap)
        self.assertNotIn("nope", admin.list_topics(timeout=T).topics)


class AutoCreateTest(BrokerTestCase):
    broker_overrides = {"num.partitions": "3"}

    def test_produce_auto_creates_with_num_partitions(self):
        run_kcat(["-b", self.bootstrap, "-P", "-t", "auto-made"], input=b"x\n")
        admin = admin_client(self.bootstrap)
        wait_for_topic(admin, "auto-made", 3)


if __name__ == "__main__":
    unittest.main()
