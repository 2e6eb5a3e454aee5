"""Produce and consume with real clients: confluent_kafka across every compression codec and
every acks value, kcat round trips, and offsets_for_times."""

import time
import unittest

from confluent_kafka import (TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME, Consumer, KafkaError, Producer,
                             TopicPartition)

from runnel_fixture import SLOW, BrokerTestCase, consume_all, create_topic, java_partition, run_kcat

PARTITIONS = 4
T = 60 * SLOW


def produce_keyed(bootstrap, topic, count, codec, acks, base_ts, keys=997):
    """Produces `count` keyed records with headers and explicit CreateTime timestamps.
    Returns {seq: (partition, offset)} from the delivery reports (offset -1 for acks=0)."""
    producer = Producer({
        "bootstrap.servers": bootstrap,
        "acks": acks,
        "compression.codec": codec,
        "partitioner": "murmur2_random",
        "linger.ms": 5,
        "batch.num.messages": 2000,
        "message.timeout.ms": int(60000 * SLOW),
        "queue.buffering.max.messages": 200000,
    })
    delivered, errors = {}, []

    def on_delivery(err, msg):
        seq = int(msg.value().split(b"|", 1)[0])
        if err is not None:
            errors.append((seq, err))
        else:
            delivered[seq] = (msg.partition(), msg.offset())

    for seq in range(count):
        key = f"key-{seq % keys}".encode()
        value = f"{seq}|{codec}|{acks}|".encode() + b"payload-" * (seq % 7)
        # (No None-valued header: confluent_kafka 1.7's C extension mis-counts references to
        # None in headers and aborts the interpreter.)
        headers = [("seq", str(seq).encode()), ("codec", codec.encode()), ("dup", b"first"),
                   ("dup", b"second"), ("empty", b"")]
        while True:
            try:
                producer.produce(topic, key=key, value=value, headers=headers, timestamp=base_ts + seq,
                                 on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    remaining = producer.flush(T)
    if remaining or errors:
        raise AssertionError(f"{remaining} records undelivered, errors: {errors[:5]}")
    if len(delivered) != count:
        raise AssertionError(f"{len(delivered)} delivery reports for {count} records")
    return delivered


def recent_ms():
    """A base for explicit timestamps: an hour ago, on a whole second. (Timestamps older
    than retention.ms, 7 days by default, make the broker delete the segments, as Kafka
    does.)"""
    return (int(time.time()) - 3600) * 1000


class ProduceConsumeTest(BrokerTestCase):

    def check_round_trip(self, codec, acks, count):
        topic = self.unique_topic(f"pc-{codec}-acks{acks}")
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        base_ts = int(time.time() * 1000) - 3_600_000
        delivered = produce_keyed(self.bootstrap, topic, count, codec, acks, base_ts)
        messages = consume_all(self.bootstrap, topic, PARTITIONS, count, timeout=T)

        self.assertEqual(len(messages), count, f"consumed {len(messages)} of {count} records")
        # Collect every discrepancy first (cheap per record), then assert once.
        problems = []
        last_seq, last_offset, key_partition, seen = {}, {}, {}, set()
        java = {}
        codec_b = codec.encode()
        for m in messages:
            value, p, offset = m.value(), m.partition(), m.offset()
            seq = int(value.split(b"|", 1)[0])
            if seq in seen:
                problems.append(f"record {seq} consumed twice")
            seen.add(seq)
            # Per-partition order: sequence numbers increase, offsets are contiguous.
            if seq <= last_seq.get(p, -1):
                problems.append(f"partition {p}: seq {seq} after {last_seq[p]}")
            if offset != last_offset.get(p, -1) + 1:
                problems.append(f"partition {p}: offset {offset} after {last_offset.get(p)}")
            last_seq[p], last_offset[p] = seq, offset
            key = b"key-%d" % (seq % 997)
            expected = (key, b"%d|%s|%s|" % (seq, codec_b, str(acks).encode()) + b"payload-" * (seq % 7),
                        [("seq", str(seq).encode()), ("codec", codec_b), ("dup", b"first"), ("dup", b"second"),
                         ("empty", b"")],
                        (TIMESTAMP_CREATE_TIME, base_ts + seq))
            got = (m.key(), value, m.headers(), m.timestamp())
            if got != expected:
                problems.append(f"record {seq}: got {got}, expected {expected}")
            # Same key, same partition - and the one Java's murmur2 partitioner picks.
            if key_partition.setdefault(key, p) != p:
                problems.append(f"key {key} in partitions {key_partition[key]} and {p}")
            if key not in java:
                java[key] = java_partition(key, PARTITIONS)
            if p != java[key]:
                problems.append(f"key {key} in partition {p}, murmur2 says {java[key]}")
            # The record is where the delivery report said it was (acks=0 has no offsets).
            where = delivered[seq] if acks != 0 else (delivered[seq][0], -1)
            if where != (p, offset if acks != 0 else -1):
                problems.append(f"record {seq} at {(p, offset)}, delivery report said {delivered[seq]}")
            if len(problems) > 20:
                break
        self.assertEqual(problems, [])
        self.assertEqual(seen, set(range(count)))
        self.assertEqual(len(last_seq), PARTITIONS, "every partition received records")

    # The matrix: every codec once, every acks value at least once, 100k records in total.
    def test_lz4_acks_all_60k(self):
        self.check_round_trip("lz4", "all", 60_000)

    def test_none_acks_1(self):
        self.check_round_trip("none", 1, 10_000)

    def test_gzip_acks_0(self):
        self.check_round_trip("gzip", 0, 10_000)

    def test_snappy_acks_all(self):
        self.check_round_trip("snappy", "all", 10_000)

    def test_zstd_acks_1(self):
        self.check_round_trip("zstd", 1, 10_000)

    # -- kcat ----------------------------------------------------------------------------

    def test_kcat_round_trip_every_codec(self):
        for codec in ("none", "gzip", "snappy", "lz4", "zstd"):
            with self.subTest(codec=codec):
                topic = self.unique_topic(f"kcat-{codec}")
                create_topic(self.bootstrap, topic, partitions=2)
                lines = [f"k{i % 5}:value {i} of {codec}" for i in range(200)]
                run_kcat(["-b", self.bootstrap, "-P", "-t", topic, "-z", codec, "-K:",
                          "-H", "h1=one", "-H", "h2=two", "-X", "partitioner=murmur2_random"],
                         input=("\n".join(lines) + "\n").encode())
                out = run_kcat(["-b", self.bootstrap, "-C", "-t", topic, "-o", "beginning", "-e",
                                "-f", "%p|%o|%k|%s|%h\n"]).stdout.decode()
                rows = [line.split("|") for line in out.splitlines()]
                self.assertEqual(len(rows), 200)
                got = sorted(((int(r[0]), int(r[1]), r[2], r[3], r[4]) for r in rows), key=lambda x: x[3])
                expected_values = sorted(line.split(":", 1)[1] for line in lines)
                self.assertEqual([g[3] for g in got], expected_values)
                by_partition = {}
                for p, o, k, v, h in rows_as_tuples(rows):
                    self.assertEqual(h, "h1=one,h2=two")
                    self.assertEqual(k, f"k{int(v.split()[1]) % 5}")
                    self.assertEqual(p, java_partition(k.encode(), 2))
                    by_partition.setdefault(p, []).append((o, int(v.split()[1])))
                for p, recs in by_partition.items():
                    self.assertEqual([o for o, _ in recs], list(range(len(recs))))
                    seqs = [s for _, s in recs]
                    self.assertEqual(seqs, sorted(seqs), f"partition {p} out of order")

    def test_confluent_produce_kcat_consume_and_back(self):
        topic = self.unique_topic("cross")
        create_topic(self.bootstrap, topic, partitions=1)
        base_ts = recent_ms()
        produce_keyed(self.bootstrap, topic, 50, "gzip", "all", base_ts)
        out = run_kcat(["-b", self.bootstrap, "-C", "-t", topic, "-o", "beginning", "-e",
                        "-f", "%o %k %T %s\n"]).stdout.decode().splitlines()
        self.assertEqual(len(out), 50)
        for i, line in enumerate(out):
            o, k, ts, v = line.split(" ", 3)
            self.assertEqual((int(o), k, int(ts)), (i, f"key-{i}", base_ts + i))
            self.assertTrue(v.startswith(f"{i}|gzip|all|"))

        run_kcat(["-b", self.bootstrap, "-P", "-t", topic, "-z", "zstd", "-K", "=", "-H", "from=kcat"],
                 input=b"a=1\nb=2\n")
        msgs = consume_all(self.bootstrap, topic, 1, 52, timeout=T)
        self.assertEqual(len(msgs), 52)
        self.assertEqual([(m.offset(), m.key(), m.value(), m.headers()) for m in msgs[50:]],
                         [(50, b"a", b"1", [("from", b"kcat")]), (51, b"b", b"2", [("from", b"kcat")])])

    # -- offsets_for_times -------------------------------------------------------------------

    def test_offsets_for_times(self):
        topic = self.unique_topic("times")
        # Small segments, so the lookup has to cross segment and time-index boundaries.
        create_topic(self.bootstrap, topic, partitions=2, config={"segment.bytes": "16384"})
        base = recent_ms()
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all", "linger.ms": 0})
        n = 2000
        for i in range(n):
            # Partition 0: timestamps base, base+10, ...; partition 1: base+5, base+15, ...
            producer.produce(topic, partition=0, value=f"p0-{i}".encode() * 10, timestamp=base + 10 * i)
            producer.produce(topic, partition=1, value=f"p1-{i}".encode() * 10, timestamp=base + 5 + 10 * i)
            if i % 100 == 99:
                producer.flush(T)  # several batches
        self.assertEqual(producer.flush(T), 0)

        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "times"})
        try:
            def lookup(ts0, ts1):
                result = consumer.offsets_for_times([TopicPartition(topic, 0, ts0), TopicPartition(topic, 1, ts1)],
                                                    timeout=T)
                for tp in result:
                    self.assertIsNone(tp.error)
                return [tp.offset for tp in sorted(result, key=lambda tp: tp.partition)]

            # Exact hits.
            self.assertEqual(lookup(base, base + 5), [0, 0])
            self.assertEqual(lookup(base + 10 * 1234, base + 5 + 10 * 777), [1234, 777])
            # Between two records: the first one at or after the time.
            self.assertEqual(lookup(base + 10 * 1500 + 1, base + 10 * 1500 + 1), [1501, 1500])
            # Before everything: offset 0.
            self.assertEqual(lookup(base - 100000, 0), [0, 0])
            # After everything: no offset (-1, i.e. OFFSET_END).
            self.assertEqual(lookup(base + 10 * n + 100, base + 10 * n + 100), [-1, -1])
            # The last record.
            self.assertEqual(lookup(base + 10 * (n - 1), base + 5 + 10 * (n - 1)), [n - 1, n - 1])

            # Consuming from the looked-up offset starts at the right record.
            (tp,) = consumer.offsets_for_times([TopicPartition(topic, 0, base + 10 * 1999)], timeout=T)
            consumer.assign([tp])
            msg = poll_one(consumer)
            self.assertEqual((msg.offset(), msg.value(), msg.timestamp()[1]),
                             (1999, b"p0-1999" * 10, base + 10 * 1999))

            lo, hi = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=T)
            self.assertEqual((lo, hi), (0, n))
        finally:
            consumer.close()

    def test_offsets_for_times_with_out_of_order_timestamps(self):
        topic = self.unique_topic("times-ooo")
        create_topic(self.bootstrap, topic, partitions=1)
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all", "linger.ms": 50})
        base = recent_ms()
        stamps = [base + t for t in (1000, 3000, 2000, 4000, 2500, 6000)]
        for i, ts in enumerate(stamps):
            producer.produce(topic, partition=0, value=str(i).encode(), timestamp=ts)
        self.assertEqual(producer.flush(T), 0)
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "times"})
        try:
            for target, expected in [(500, 0), (1000, 0), (1500, 1), (2200, 1), (3500, 3), (4500, 5),
                                     (6000, 5), (6001, -1)]:
                (tp,) = consumer.offsets_for_times([TopicPartition(topic, 0, base + target)], timeout=T)
                self.assertEqual(tp.offset, expected, f"offsets_for_times({target})")
        finally:
            consumer.close()


class RecordEdgeCasesTest(BrokerTestCase):
    """Null and empty keys/values, LogAppendTime, the size limit, long-poll fetch."""

    def test_null_and_empty_keys_and_values(self):
        topic = self.unique_topic("nulls")
        create_topic(self.bootstrap, topic, partitions=1)
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all"})
        cases = [(None, b"v"), (b"k", None), (None, None), (b"", b""), (b"k2", b"")]
        for key, value in cases:
            producer.produce(topic, partition=0, key=key, value=value)
        self.assertEqual(producer.flush(T), 0)
        msgs = consume_all(self.bootstrap, topic, 1, len(cases), timeout=T)
        self.assertEqual([(m.key(), m.value()) for m in msgs], cases)

    def test_log_append_time_topic(self):
        topic = self.unique_topic("appendtime")
        create_topic(self.bootstrap, topic, partitions=1, config={"message.timestamp.type": "LogAppendTime"})
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all", "linger.ms": 20})
        before = int(time.time() * 1000)
        for i in range(10):
            producer.produce(topic, partition=0, value=str(i).encode(), timestamp=1_000_000_000_000 + i)
        self.assertEqual(producer.flush(T), 0)
        after = int(time.time() * 1000)
        msgs = consume_all(self.bootstrap, topic, 1, 10, timeout=T)
        self.assertEqual(len(msgs), 10)
        for m in msgs:
            kind, ts = m.timestamp()
            self.assertEqual(kind, TIMESTAMP_LOG_APPEND_TIME, "LogAppendTime topic returns CreateTime")
            self.assertTrue(before - 1000 <= ts <= after + 1000, f"log append time {ts} not in [{before}, {after}]")

    def test_record_larger_than_max_message_bytes_is_rejected(self):
        topic = self.unique_topic("toolarge")
        create_topic(self.bootstrap, topic, partitions=1, config={"max.message.bytes": "100000"})
        errors = []
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all",
                             "message.max.bytes": 4_000_000, "compression.codec": "none"})
        producer.produce(topic, partition=0, value=b"x" * 200_000,
                         on_delivery=lambda err, msg: errors.append(err))
        self.assertEqual(producer.flush(T), 0)
        self.assertEqual(len(errors), 1)
        self.assertIsNotNone(errors[0], "a 200 kB record was accepted by a topic with max.message.bytes=100000")
        self.assertEqual(errors[0].code(), KafkaError.MSG_SIZE_TOO_LARGE)
        # A separate, small batch afterwards is fine.
        producer.produce(topic, partition=0, value=b"small", on_delivery=lambda err, msg: errors.append(err))
        self.assertEqual(producer.flush(T), 0)
        self.assertIsNone(errors[1])
        msgs = consume_all(self.bootstrap, topic, 1, 1, timeout=T)
        self.assertEqual([m.value() for m in msgs], [b"small"])

    def test_long_poll_fetch_wakes_up_on_produce(self):
        topic = self.unique_topic("longpoll")
        create_topic(self.bootstrap, topic, partitions=1)
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "lp",
                             "fetch.wait.max.ms": 5000, "enable.partition.eof": False})
        try:
            consumer.assign([TopicPartition(topic, 0, 0)])
            self.assertIsNone(consumer.poll(1.0))  # the fetch is now parked on the broker
            producer = Producer({"bootstrap.servers": self.bootstrap, "acks": 1, "linger.ms": 0})
            producer.produce(topic, partition=0, value=b"wake")
            self.assertEqual(producer.flush(T), 0)
            sent = time.monotonic()
            msg = poll_one(consumer, timeout=10)
            latency = time.monotonic() - sent
            self.assertEqual(msg.value(), b"wake")
            # Well under fetch.wait.max.ms: the produce completed the parked fetch.
            self.assertLess(latency, 2.5 * SLOW, f"record arrived after {latency:.2f}s")
        finally:
            consumer.close()

    def test_consume_from_out_of_range_offset_resets(self):
        topic = self.unique_topic("oor")
        create_topic(self.bootstrap, topic, partitions=1)
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all"})
        for i in range(5):
            producer.produce(topic, partition=0, value=str(i).encode())
        self.assertEqual(producer.flush(T), 0)
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "oor",
                             "auto.offset.reset": "earliest"})
        try:
            consumer.assign([TopicPartition(topic, 0, 1000)])  # past the end: OFFSET_OUT_OF_RANGE
            msg = poll_one(consumer, timeout=20)
            self.assertEqual((msg.offset(), msg.value()), (0, b"0"))
        finally:
            consumer.close()

    def test_fetch_from_the_middle_of_a_compressed_batch(self):
        topic = self.unique_topic("midbatch")
        create_topic(self.bootstrap, topic, partitions=1)
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all", "linger.ms": 100,
                             "compression.codec": "lz4"})
        for i in range(50):
            producer.produce(topic, partition=0, value=b"r%d" % i)
        self.assertEqual(producer.flush(T), 0)
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "mid"})
        try:
            consumer.assign([TopicPartition(topic, 0, 37)])
            msg = poll_one(consumer)
            self.assertEqual((msg.offset(), msg.value()), (37, b"r37"))
        finally:
            consumer.close()

    def test_batch_larger_than_max_partition_fetch_bytes_still_returned(self):
        # KIP-74: the first batch is returned even when it exceeds the fetch limits.
        topic = self.unique_topic("bigbatch")
        create_topic(self.bootstrap, topic, partitions=1)
        producer = Producer({"bootstrap.servers": self.bootstrap, "acks": "all", "linger.ms": 100,
                             "batch.size": 1_000_000})
        for i in range(20):
            producer.produce(topic, partition=0, value=b"%d-" % i + b"y" * 5000)
        self.assertEqual(producer.flush(T), 0)
        msgs = consume_all(self.bootstrap, topic, 1, 20, timeout=T,
                           extra={"max.partition.fetch.bytes": 1024, "fetch.max.bytes": 2048, "message.max.bytes": 2048,
                                  "receive.message.max.bytes": 1_000_000})
        self.assertEqual([m.value().split(b"-")[0] for m in msgs], [b"%d" % i for i in range(20)])


def rows_as_tuples(rows):
    for r in rows:
        yield int(r[0]), int(r[1]), r[2], r[3], r[4]


def poll_one(consumer, timeout=T):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise AssertionError(f"consumer error {msg.error()}")
        return msg
    raise AssertionError("no record within the timeout")


if __name__ == "__main__":
    unittest.main()
