"""kill -9 while a producer streams: every record the broker acknowledged (acks=all) is
there after the restart, at the acknowledged offset, with its value."""

import time
import unittest

from confluent_kafka import Consumer, Producer, TopicPartition

from runnel_fixture import SLOW, BrokerTestCase, create_topic

T = 60 * SLOW
PARTITIONS = 3


class Kill9Test(BrokerTestCase):
    # Small segments: kills land near segment rolls too.
    broker_overrides = {"log.segment.bytes": "262144"}

    def test_acknowledged_records_survive_kill9(self):
        topic = self.unique_topic("kill9")
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)

        acked = {}     # value -> (partition, offset), from delivery reports
        failed = []    # (value, error) of records the producer gave up on
        producer = Producer({
            "bootstrap.servers": self.bootstrap,
            "acks": "all",
            "partitioner": "murmur2_random",
            "linger.ms": 2,
            "batch.num.messages": 500,
            "compression.codec": "lz4",
            "message.timeout.ms": int(120000 * SLOW),
            "retries": 1000000,
            "retry.backoff.ms": 50,
            "reconnect.backoff.ms": 50,
            "reconnect.backoff.max.ms": 500,
            "queue.buffering.max.messages": 20000,
        })

        def on_delivery(err, msg):
            if err is not None:
                failed.append((msg.value(), err))
            else:
                acked[msg.value()] = (msg.partition(), msg.offset())

        seq = 0

        def produce_one():
            nonlocal seq
            value = f"rec-{seq:07d}-".encode() + b"x" * (seq % 50)
            try:
                producer.produce(topic, key=f"key-{seq % 53}".encode(), value=value, on_delivery=on_delivery)
                seq += 1
            except BufferError:
                producer.poll(0.01)
            producer.poll(0)

        # Three kill points: early, after a segment roll or two, and after more (counted
        # in acknowledged records since the previous restart).
        kills = 0
        for step in (3000, 9000, 13000):
            kill_at = len(acked) + step
            deadline = time.monotonic() + T
            # Also wait for records to be outstanding, so the kill is mid-stream.
            while len(acked) < kill_at or seq - len(acked) < 100:
                self.assertLess(time.monotonic(), deadline, f"only {len(acked)} acks before kill at {kill_at}")
                produce_one()
            # Mid-stream: records are queued and in flight right now.
            self.broker.kill()
            kills += 1
            acked_at_kill = dict(acked)
            # Keep producing for a moment against the dead broker.
            for _ in range(2000):
                produce_one()
            self.broker.start()
            self.check_acked(topic, acked_at_kill, f"after kill #{kills}")

        # Drain: every record is eventually delivered after the last restart.
        for _ in range(2000):
            produce_one()
        self.assertEqual(producer.flush(T), 0, "records still undelivered")
        self.assertEqual(failed, [], "the producer gave up on records")
        self.assertEqual(len(acked), seq)
        self.check_acked(topic, acked, "at the end")

    def check_acked(self, topic, acked, when):
        """Every acknowledged record is at its offset; no offset holds two acknowledged values."""
        at = {}
        for value, where in acked.items():
            self.assertNotIn(where, at, f"{when}: offset {where} acknowledged for {at.get(where)} and {value}")
            at[where] = value
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "kill9-check"})
        try:
            ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=T)[1]
                    for p in range(PARTITIONS)}
        finally:
            consumer.close()
        for (p, o) in at:
            self.assertLess(o, ends[p], f"{when}: acknowledged offset {o} of partition {p} is past the "
                                        f"end offset {ends[p]} after restart")
        stored = read_up_to(self.bootstrap, topic, ends)
        missing = [(where, value) for where, value in at.items() if stored.get(where) != value]
        self.assertEqual(missing[:10], [], f"{when}: {len(missing)} of {len(at)} acknowledged records lost "
                                           f"or changed (showing (partition, offset), value)")

    def test_committed_offsets_survive_kill9(self):
        topic = self.unique_topic("kill9-commit")
        create_topic(self.bootstrap, topic, partitions=2)
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "k9",
                             "enable.auto.commit": False})
        try:
            result = consumer.commit(offsets=[TopicPartition(topic, 0, 5), TopicPartition(topic, 1, 7)],
                                     asynchronous=False)
            self.assertTrue(all(tp.error is None for tp in result))
        finally:
            consumer.close()
        self.broker.kill()
        self.broker.start()
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "k9"})
        try:
            result = consumer.committed([TopicPartition(topic, 0), TopicPartition(topic, 1)], timeout=T)
            self.assertEqual(sorted((tp.partition, tp.offset) for tp in result), [(0, 5), (1, 7)])
        finally:
            consumer.close()


def read_up_to(bootstrap, topic, ends):
    """{(partition, offset): value} of every record below ends[partition], read with an
    assign-mode consumer from offset 0 (the producer may still be appending)."""
    from confluent_kafka import OFFSET_BEGINNING
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "kill9-reader",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 100})
    stored = {}
    try:
        pending = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in pending])
        deadline = time.monotonic() + T
        while pending and time.monotonic() < deadline:
            for m in consumer.consume(num_messages=10000, timeout=0.5):
                if m.error():
                    raise AssertionError(f"consumer error {m.error()}")
                stored[(m.partition(), m.offset())] = m.value()
                if m.offset() >= ends[m.partition()] - 1:
                    pending.discard(m.partition())
        if pending:
            raise AssertionError(f"partitions {sorted(pending)} not read up to {ends} within {T}s")
        for p, end in ends.items():
            have = sorted(o for (q, o) in stored if q == p and o < end)
            if have != list(range(end)):
                raise AssertionError(f"partition {p}: offsets below {end} are not contiguous from 0")
        return stored
    finally:
        consumer.close()


if __name__ == "__main__":
    unittest.main()
