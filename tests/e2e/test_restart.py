"""A clean restart (SIGTERM, start again on the same data directory) keeps everything:
records, topic metadata and configs, committed offsets."""

import time
import unittest

from confluent_kafka import OFFSET_INVALID, Consumer, Producer, TopicPartition
from confluent_kafka.admin import ConfigResource, NewPartitions

from runnel_fixture import (SLOW, BrokerTestCase, admin_client, consume_all, create_topic, wait_for_topic)

T = 60 * SLOW


def snapshot(messages):
    return [(m.topic(), m.partition(), m.offset(), m.key(), m.value(), m.headers(), m.timestamp())
            for m in messages]


def by_partition(rows):
    out = {}
    for row in rows:
        out.setdefault(row[1], []).append(row)
    return out


def produce(bootstrap, topic, count, start=0, codec="gzip"):
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "compression.codec": codec,
                         "partitioner": "murmur2_random", "linger.ms": 5})
    base_ts = (int(time.time()) - 3600) * 1000  # recent: older records would be retention-deleted
    for i in range(start, start + count):
        while True:
            try:
                producer.produce(topic, key=f"k{i % 101}".encode(), value=f"v{i}".encode() * 5,
                                 headers=[("i", str(i).encode())], timestamp=base_ts + i)
                break
            except BufferError:
                producer.poll(0.05)
    assert producer.flush(T) == 0, "undelivered records"


class RestartTest(BrokerTestCase):
    # Small segments, so recovery has many segments and indexes to load.
    broker_overrides = {"log.segment.bytes": "65536"}

    def committed(self, group, tps):
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": group,
                             "enable.auto.commit": False})
        try:
            result = consumer.committed(tps, timeout=T)
            for tp in result:
                self.assertIsNone(tp.error, f"committed() error for {tp}")
            return {(tp.topic, tp.partition): tp.offset for tp in result}
        finally:
            consumer.close()

    def test_records_identical_after_restart(self):
        topic = self.unique_topic("restart-records")
        n = 20_000
        create_topic(self.bootstrap, topic, partitions=3)
        produce(self.bootstrap, topic, n)
        before = snapshot(consume_all(self.bootstrap, topic, 3, n, timeout=T))
        self.assertEqual(len(before), n)
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "wm"})
        marks_before = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=T) for p in range(3)]
        consumer.close()

        self.assertEqual(self.broker.stop(), 0, "broker exit code on SIGTERM")
        self.broker.start()

        after = snapshot(consume_all(self.bootstrap, topic, 3, n, timeout=T))
        self.assertEqual(len(after), n)
        # Identical per partition (arrival order across partitions may differ).
        self.assertEqual(by_partition(after), by_partition(before))
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "wm"})
        marks_after = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=T) for p in range(3)]
        consumer.close()
        self.assertEqual(marks_after, marks_before)

        # New records continue at the old end offsets; nothing is overwritten.
        produce(self.bootstrap, topic, 300, start=n)
        all_rows = snapshot(consume_all(self.bootstrap, topic, 3, n + 300, timeout=T))
        self.assertEqual(len(all_rows), n + 300)
        grouped = by_partition(all_rows)
        for p in range(3):
            self.assertEqual(grouped[p][:len(by_partition(before)[p])], by_partition(before)[p])
            self.assertEqual([r[2] for r in grouped[p]], list(range(len(grouped[p]))))

    def test_committed_offsets_survive_restart(self):
        topic = self.unique_topic("restart-commits")
        create_topic(self.bootstrap, topic, partitions=3)
        produce(self.bootstrap, topic, 3000)
        group = "restart-group"

        # Assign mode with a group id: read some records, commit explicitly.
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": group,
                             "enable.auto.commit": False, "auto.offset.reset": "earliest"})
        try:
            consumer.assign([TopicPartition(topic, p) for p in range(3)])
            got = []
            deadline = time.monotonic() + T
            while len(got) < 100 and time.monotonic() < deadline:
                m = consumer.poll(0.5)
                if m is not None and not m.error():
                    got.append(m)
            self.assertGreaterEqual(len(got), 100)
            last = got[-1]
            # Committing a message commits its offset + 1.
            consumer.commit(message=last, asynchronous=False)
            # And explicit offsets for the others.
            explicit = [TopicPartition(topic, p, 17 + p) for p in range(3) if p != last.partition()]
            consumer.commit(offsets=explicit, asynchronous=False)
        finally:
            consumer.close()

        expected = {(topic, p): 17 + p for p in range(3)}
        expected[(topic, last.partition())] = last.offset() + 1
        tps = [TopicPartition(topic, p) for p in range(3)]
        self.assertEqual(self.committed(group, tps), expected)
        # Another group has nothing committed.
        self.assertEqual(set(self.committed("other-group", tps).values()), {OFFSET_INVALID})

        self.assertEqual(self.broker.stop(), 0)
        self.broker.start()

        self.assertEqual(self.committed(group, tps), expected)
        # A consumer assigned without offsets starts at the committed ones.
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": group,
                             "enable.auto.commit": False, "auto.offset.reset": "latest"})
        try:
            consumer.assign(tps)
            first = {}
            deadline = time.monotonic() + T
            while len(first) < 3 and time.monotonic() < deadline:
                m = consumer.poll(0.5)
                if m is not None and not m.error():
                    first.setdefault((m.topic(), m.partition()), m.offset())
            self.assertEqual(first, expected)
            # A commit after the restart overwrites, and survives the next restart too.
            consumer.commit(offsets=[TopicPartition(topic, 0, 999)], asynchronous=False)
        finally:
            consumer.close()
        self.broker.restart()
        expected[(topic, 0)] = 999
        self.assertEqual(self.committed(group, tps), expected)

    def test_topic_metadata_and_configs_survive_restart(self):
        topic = self.unique_topic("restart-meta")
        gone = self.unique_topic("restart-deleted")
        admin = create_topic(self.bootstrap, topic, partitions=2, config={"retention.ms": "7200000"})
        create_topic(self.bootstrap, gone, partitions=1)
        admin.create_partitions([NewPartitions(topic, 5)])[topic].result(timeout=T)
        wait_for_topic(admin, topic, 5)
        res = ConfigResource("topic", topic, set_config={"retention.ms": "7200000", "cleanup.policy": "compact"})
        admin.alter_configs([res])[res].result(timeout=T)
        admin.delete_topics([gone])[gone].result(timeout=T)
        cluster_id = admin.list_topics(timeout=T).cluster_id

        self.broker.restart()

        admin = admin_client(self.bootstrap)
        md = admin.list_topics(timeout=T)
        self.assertEqual(md.cluster_id, cluster_id)
        self.assertEqual(len(md.topics[topic].partitions), 5)
        self.assertNotIn(gone, md.topics)
        res = ConfigResource("topic", topic)
        entries = admin.describe_configs([res])[res].result(timeout=T)
        self.assertEqual(entries["retention.ms"].value, "7200000")
        self.assertEqual(entries["cleanup.policy"].value, "compact")


if __name__ == "__main__":
    unittest.main()
