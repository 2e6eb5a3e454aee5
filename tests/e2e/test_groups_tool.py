"""`runnel groups` (kafka-consumer-groups) against a real broker and a real
confluent_kafka consumer group: list, describe while the group runs, reset offsets after
it stopped, delete offsets, delete the group."""

import datetime
import time
import unittest

from confluent_kafka import Consumer, Producer, TopicPartition

from runnel_fixture import SLOW, BrokerTestCase, create_topic, run_tool, wait_until

# Record i of a partition has timestamp BASE_TS + i s; recent, so that retention keeps it.
BASE_TS = (int(time.time()) - 3600) * 1000


def iso_utc(ms):
    """Kafka's --to-datetime format, in UTC."""
    t = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}"


def offset_rows(stdout):
    """The data rows of a --describe table: {(topic, partition): [current, end, lag, consumer, host, client]}."""
    lines = [l for l in stdout.splitlines() if l.strip()]
    assert lines and lines[0].split()[:3] == ["GROUP", "TOPIC", "PARTITION"], stdout
    rows = {}
    for line in lines[1:]:
        cols = line.split()
        rows[(cols[1], int(cols[2]))] = cols[3:]
    return rows


class GroupsToolTest(BrokerTestCase):
    broker_overrides = {"group.initial.rebalance.delay.ms": "0"}

    def groups(self, *args, check=True):
        return run_tool(["groups", "--bootstrap-server", self.bootstrap, "--timeout", str(int(10000 * SLOW))]
                        + list(args), check=check)

    def produce(self, topic, counts):
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 5})
        for partition, count in counts.items():
            for i in range(count):
                producer.produce(topic, value=f"{partition}-{i}".encode(), partition=partition,
                                 timestamp=BASE_TS + i * 1000)
        self.assertEqual(producer.flush(30 * SLOW), 0)

    def start_member(self, group, topic, client_id):
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": group, "client.id": client_id,
                             "enable.auto.commit": False, "auto.offset.reset": "earliest",
                             "session.timeout.ms": 6000, "heartbeat.interval.ms": 300,
                             "fetch.wait.max.ms": 100})
        consumer.subscribe([topic])
        return consumer

    def consume(self, consumer, n):
        got = []
        wait_until(lambda: got.extend(m for m in consumer.consume(100, timeout=0.2) if not m.error())
                   or len(got) >= n, 30 * SLOW, interval=0, what=f"{n} records")
        return got

    def describe(self, group, *extra, check=True):
        return self.groups("--describe", "--group", group, *extra, check=check)

    def committed(self, group):
        return {tp: row[0] for tp, row in offset_rows(self.describe(group).stdout).items()}

    def reset(self, group, *spec):
        return self.groups("--reset-offsets", "--group", group, "--execute", *spec)

    def test_group_lifecycle(self):
        topic, group = "orders", "billing"
        create_topic(self.bootstrap, topic, partitions=2)
        self.produce(topic, {0: 10, 1: 6})

        consumer = self.start_member(group, topic, "groups-e2e")
        try:
            self.assertEqual(len(self.consume(consumer, 16)), 16)
            consumer.commit(offsets=[TopicPartition(topic, 0, 7), TopicPartition(topic, 1, 4)], asynchronous=False)

            self.assertIn(group, self.groups("--list").stdout.splitlines())
            states = self.groups("--list", "--state", "stable").stdout.splitlines()
            self.assertEqual(states[0].split(), ["GROUP", "STATE"])
            self.assertIn([group, "Stable"], [l.split() for l in states[1:]])

            described = self.describe(group)
            self.assertEqual(described.stdout.splitlines()[0], "")  # Kafka's leading blank line
            rows = offset_rows(described.stdout)
            self.assertEqual(set(rows), {(topic, 0), (topic, 1)})
            self.assertEqual(rows[(topic, 0)][:3], ["7", "10", "3"])
            self.assertEqual(rows[(topic, 1)][:3], ["4", "6", "2"])
            member_id = rows[(topic, 0)][3]
            self.assertTrue(member_id.startswith("groups-e2e-"), member_id)  # librdkafka: client.id-uuid
            for row in rows.values():
                self.assertEqual(row[3], member_id)
                self.assertNotEqual(row[4], "-")
                self.assertEqual(row[5], "groups-e2e")

            members = self.describe(group, "--members", "--verbose").stdout.splitlines()
            self.assertEqual(members[1].split(), ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS",
                                                  "ASSIGNMENT"])
            cols = members[2].split()
            self.assertEqual((cols[0], cols[1], cols[3], cols[4], cols[5]),
                             (group, member_id, "groups-e2e", "2", f"{topic}(0,1)"))

            state = self.describe(group, "--state").stdout.splitlines()
            self.assertEqual(state[1].split()[:3], ["GROUP", "COORDINATOR", "(ID)"])
            cols = state[2].split()
            self.assertEqual((cols[0], cols[1], cols[2], cols[-2], cols[-1]),
                             (group, self.bootstrap, "(1)", "Stable", "1"))

            refused = self.groups("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest",
                                  "--execute", check=False)
            self.assertEqual(refused.returncode, 1)
            self.assertIn(f"Error: Assignments can only be reset if the group '{group}' is inactive, but the "
                          "current state is Stable.", refused.stderr)
            not_deleted = self.groups("--delete", "--group", group, check=False)
            self.assertEqual(not_deleted.returncode, 1)
            self.assertIn("Error: Deletion of some consumer groups failed:", not_deleted.stderr)
            self.assertIn(f"* Group '{group}' could not be deleted due to: "
                          "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.",
                          not_deleted.stderr)
            self.assertEqual(self.committed(group), {(topic, 0): "7", (topic, 1): "4"})
        finally:
            consumer.close()

        # The member left: the group is Empty and keeps its offsets.
        described = self.describe(group)
        self.assertIn(f"Consumer group '{group}' has no active members.", described.stderr)
        rows = offset_rows(described.stdout)
        self.assertEqual(rows[(topic, 0)], ["7", "10", "3", "-", "-", "-"])
        self.assertEqual(rows[(topic, 1)], ["4", "6", "2", "-", "-", "-"])

        plan = self.reset(group, "--topic", topic, "--to-earliest")
        self.assertEqual([l.split() for l in plan.stdout.splitlines()[1:]],
                         [["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"], [group, topic, "0", "0"],
                          [group, topic, "1", "0"]])
        rows = offset_rows(self.describe(group).stdout)
        self.assertEqual(rows[(topic, 0)][:3], ["0", "10", "10"])
        self.assertEqual(rows[(topic, 1)][:3], ["0", "6", "6"])

        # A dry run (the default) plans without committing.
        dry = self.groups("--reset-offsets", "--group", group, "--all-topics", "--to-latest")
        self.assertIn("WARN: No action will be performed as the --execute option is missing.", dry.stderr)
        self.assertEqual([l.split()[2:] for l in dry.stdout.splitlines()[2:]], [["0", "10"], ["1", "6"]])
        self.assertEqual(self.committed(group), {(topic, 0): "0", (topic, 1): "0"})

        self.reset(group, "--all-topics", "--shift-by", "3")
        self.assertEqual(self.committed(group), {(topic, 0): "3", (topic, 1): "3"})
        shifted = self.reset(group, "--topic", f"{topic}:1", "--shift-by", "-5")
        self.assertIn(f"New offset (-2) is lower than earliest offset for topic partition {topic}-1", shifted.stderr)
        self.assertEqual(self.committed(group), {(topic, 0): "3", (topic, 1): "0"})

        self.reset(group, "--topic", f"{topic}:0", "--to-offset", "8")
        self.reset(group, "--topic", f"{topic}:1", "--to-offset", "100")
        self.assertEqual(self.committed(group), {(topic, 0): "8", (topic, 1): "6"})

        # Record i has timestamp BASE_TS + i s: the first at or after +4.5 s is offset 5.
        self.reset(group, "--topic", topic, "--to-datetime", iso_utc(BASE_TS + 4500))
        self.assertEqual(self.committed(group), {(topic, 0): "5", (topic, 1): "5"})
        later = self.reset(group, "--topic", topic, "--to-datetime", iso_utc(BASE_TS + 8000) + "+00:00")
        self.assertIn(f"Warn: Partition 1 from topic {topic} is empty. Falling back to latest known offset.",
                      later.stdout)
        self.assertEqual(self.committed(group), {(topic, 0): "8", (topic, 1): "6"})

        exported = self.groups("--reset-offsets", "--group", group, "--all-topics", "--to-earliest", "--dry-run",
                               "--export")
        self.assertEqual(exported.stdout, f"{topic},0,0\n{topic},1,0\n\n")

        deleted = self.groups("--delete-offsets", "--group", group, "--topic", f"{topic}:1")
        self.assertIn(f"Request succeed for deleting offsets with topic {topic}:1 group {group}", deleted.stdout)
        self.assertEqual(deleted.stdout.splitlines()[-1].split(), [topic, "1", "Successful"])
        self.assertEqual(self.committed(group), {(topic, 0): "8"})

        gone = self.groups("--delete", "--group", group)
        self.assertEqual(gone.stdout, f"Deletion of requested consumer groups ('{group}') was successful.\n")
        self.assertNotIn(group, self.groups("--list").stdout.splitlines())
        missing = self.describe(group, check=False)
        self.assertEqual(missing.returncode, 1)
        self.assertIn(f"Error: Consumer group '{group}' does not exist.", missing.stderr)

    def test_unknown_topic_and_usage_errors(self):
        usage = self.groups("--describe", check=False)
        self.assertEqual(usage.returncode, 1)
        self.assertTrue(usage.stderr.startswith("Option [describe] takes one of these options: [group], "
                                                "[all-groups]\n"))
        failed = self.groups("--reset-offsets", "--group", "nobody", "--topic", "no-such-topic", "--to-earliest",
                             "--execute", check=False)
        self.assertEqual(failed.returncode, 1)
        self.assertIn("Error: Executing consumer group command failed due to "
                      "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host "
                      "this topic-partition.", failed.stderr)


if __name__ == "__main__":
    unittest.main()
