"""Log compaction with real clients: a cleanup.policy=compact topic written by
confluent_kafka keeps, once the broker's cleaner has run, only the latest record per key
at its original offset, and tombstoned keys vanish after delete.retention.ms."""

import time
import unittest

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition

from runnel_fixture import SLOW, BrokerTestCase, create_topic

T = 60 * SLOW
KEYS = 40
UPDATES = 15
TOMBSTONED = [f"key{i}" for i in range(0, KEYS, 4)]
DELETE_RETENTION_MS = 2000


def read_partition(bootstrap, topic):
    """Every record of partition 0 from the beginning up to the high watermark, as
    (offset, key, value) tuples."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "compaction-reader",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 50})
    try:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=T)
        consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        out = []
        deadline = time.monotonic() + T
        while (not out or out[-1][0] < high - 1) and time.monotonic() < deadline:
            for m in consumer.consume(num_messages=1000, timeout=0.5):
                if m.error():
                    raise AssertionError(f"consumer error: {m.error()}")
                out.append((m.offset(), m.key().decode(), None if m.value() is None else m.value().decode()))
        assert out and out[-1][0] == high - 1, f"did not reach the high watermark {high}"
        return out
    finally:
        consumer.close()


class CompactionTest(BrokerTestCase):
    broker_overrides = {"log.cleaner.backoff.ms": "200"}

    def produce_updates(self, topic):
        """Returns {key: (offset, value)} of each key's last record."""
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 0, "batch.num.messages": 20,
                             "partitioner": "murmur2_random"})
        latest = {}

        def delivered(err, msg):
            self.assertIsNone(err)
            key = msg.key().decode()
            if key.startswith("key"):
                latest[key] = (msg.offset(), None if msg.value() is None else msg.value().decode())

        for update in range(UPDATES):
            for k in range(KEYS):
                producer.produce(topic, key=f"key{k}", value=f"key{k}-update{update}-" + "x" * 20,
                                 on_delivery=delivered)
            producer.flush(T)
        for key in TOMBSTONED:
            producer.produce(topic, key=key, value=None, on_delivery=delivered)
        producer.flush(T)
        # Rolls the segment holding the last updates, so that they become cleanable.
        for i in range(40):
            producer.produce(topic, key=f"filler{i % 3}", value="f" * 100)
        self.assertEqual(producer.flush(T), 0)
        return latest

    def test_latest_value_per_key_and_tombstones_expire(self):
        topic = self.unique_topic("compacted")
        create_topic(self.bootstrap, topic, config={
            "cleanup.policy": "compact", "segment.bytes": "1024", "min.cleanable.dirty.ratio": "0.01",
            "delete.retention.ms": str(DELETE_RETENTION_MS)})
        latest = self.produce_updates(topic)
        self.assertEqual(len(latest), KEYS)

        def keyed(records):
            return [r for r in records if r[1].startswith("key")]

        # First the cleaner leaves one record per key: the latest, at its original offset,
        # tombstones included.
        expected = sorted((offset, key, value) for key, (offset, value) in latest.items())
        deadline = time.monotonic() + T
        while keyed(read_partition(self.bootstrap, topic)) != expected:
            self.assertLess(time.monotonic(), deadline, "the cleaner did not compact the topic in time")
            time.sleep(0.3)

        # Then, delete.retention.ms after that cleaning, the tombstones go as well.
        live = [r for r in expected if r[2] is not None]
        deadline = time.monotonic() + T
        while keyed(read_partition(self.bootstrap, topic)) != live:
            self.assertLess(time.monotonic(), deadline, "the tombstones were not removed in time")
            time.sleep(0.3)
        fillers = [r for r in read_partition(self.bootstrap, topic) if r[1].startswith("filler")]
        self.assertTrue(fillers)

    def test_keyless_records_are_rejected(self):
        topic = self.unique_topic("compacted-keyless")
        create_topic(self.bootstrap, topic, config={"cleanup.policy": "compact"})
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 0, "retries": 0})
        errors = []
        producer.produce(topic, value=b"no key", on_delivery=lambda err, msg: errors.append(err))
        producer.flush(T)
        self.assertEqual(len(errors), 1)
        self.assertIsNotNone(errors[0])
        self.assertEqual(errors[0].code(), KafkaError.INVALID_RECORD)
        producer.produce(topic, key=b"k", value=b"with key", on_delivery=lambda err, msg: errors.append(err))
        producer.flush(T)
        self.assertIsNone(errors[1])


if __name__ == "__main__":
    unittest.main()
