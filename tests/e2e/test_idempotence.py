"""librdkafka's idempotent producer (enable.idempotence=true, acks=all) against a broker
that is SIGKILLed and restarted, and SIGSTOPped long enough for requests to time out: the
producer re-sends in-flight batches, and afterwards every record is in the log exactly
once, in the order it was produced within its partition."""

import signal
import time
import unittest

from confluent_kafka import Producer

from runnel_fixture import SLOW, BrokerTestCase, consume_all, create_topic

T = 60 * SLOW
PARTITIONS = 3
KEYS = 31


class IdempotenceTest(BrokerTestCase):
    # Small segments, so that kills also land near rolls and the producer state has to come
    # back from a snapshot plus the active segment.
    broker_overrides = {"log.segment.bytes": "131072"}

    def make_producer(self, errors):
        return Producer({
            "bootstrap.servers": self.bootstrap,
            "enable.idempotence": True,
            "acks": "all",
            "partitioner": "murmur2_random",
            "linger.ms": 5,
            "batch.num.messages": 200,
            "max.in.flight.requests.per.connection": 5,
            # Requests time out while the broker is stopped, so batches are re-sent while
            # the originals still sit unread in the broker's socket buffer.
            "request.timeout.ms": int(1500 * SLOW),
            "socket.timeout.ms": int(1500 * SLOW),
            "message.timeout.ms": int(180000 * SLOW),
            "retry.backoff.ms": 50,
            "reconnect.backoff.ms": 50,
            "reconnect.backoff.max.ms": 500,
            "queue.buffering.max.messages": 20000,
            "error_cb": lambda err: errors.append(err),
        })

    def test_every_record_exactly_once_in_order_across_kills_and_stalls(self):
        topic = self.unique_topic("idem")
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        errors = []
        producer = self.make_producer(errors)
        acked, failed = {}, []

        def on_delivery(err, msg):
            if err is not None:
                failed.append((msg.value(), err))
            else:
                acked[msg.value()] = (msg.partition(), msg.offset())

        seq = 0

        def produce_one():
            nonlocal seq
            value = f"{seq % KEYS:02d}-{seq:07d}".encode()
            try:
                producer.produce(topic, key=f"key-{seq % KEYS}".encode(), value=value, on_delivery=on_delivery)
                seq += 1
            except BufferError:
                producer.poll(0.01)
            producer.poll(0)

        def stream_until(acks, what):
            deadline = time.monotonic() + T
            # Records must be outstanding too, so that the disruption is mid-stream.
            while len(acked) < acks or seq - len(acked) < 200:
                self.assertLess(time.monotonic(), deadline, f"only {len(acked)} acks before {what}")
                produce_one()

        # Disruptions: a kill -9, a stall past the request timeout, another kill.
        for step, how in ((1500, "kill"), (1500, "stall"), (1500, "kill")):
            stream_until(len(acked) + step, how)
            if how == "kill":
                self.broker.kill()
                for _ in range(500):
                    produce_one()
                self.broker.start()
            else:
                self.broker.proc.send_signal(signal.SIGSTOP)
                stall_end = time.monotonic() + 4 * SLOW
                while time.monotonic() < stall_end:
                    produce_one()
                self.broker.proc.send_signal(signal.SIGCONT)
        for _ in range(500):
            produce_one()
        remaining = producer.flush(T)

        self.assertEqual(remaining, 0, "records still undelivered after the last restart")
        self.assertEqual(failed, [], "the idempotent producer gave up on records")
        fatal = [e for e in errors if e.fatal()]
        self.assertEqual(fatal, [], "the idempotent producer hit a fatal error")
        self.assertEqual(len(acked), seq)

        records = consume_all(self.bootstrap, topic, PARTITIONS, seq, timeout=T)
        values = [m.value() for m in records]
        self.assertEqual(len(values), len(set(values)), "a record was written twice")
        self.assertEqual(set(values), set(acked), "acknowledged records missing from the log")
        for m in records:
            self.assertEqual(acked[m.value()], (m.partition(), m.offset()),
                             f"{m.value()} is not at its acknowledged offset")
        # Per key (so per partition), records are in the log in the order produced.
        last = {}
        for m in sorted(records, key=lambda m: (m.partition(), m.offset())):
            key, n = m.value().split(b"-")
            self.assertLess(last.get(key, -1), int(n), f"{m.value()} out of order")
            last[key] = int(n)
        # Nothing beyond the records: the offsets of each partition are dense.
        for p in range(PARTITIONS):
            offsets = sorted(m.offset() for m in records if m.partition() == p)
            self.assertEqual(offsets, list(range(len(offsets))), f"partition {p} has holes or extras")


if __name__ == "__main__":
    unittest.main()
