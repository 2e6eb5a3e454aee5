"""Consumer groups with real clients: librdkafka (confluent_kafka) balanced consumers with
eager and cooperative assignors, static membership, manual commits across restarts of
consumers and broker, and kcat's balanced consumer mode."""

import time
import unittest

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient

from runnel_fixture import SLOW, BrokerTestCase, create_topic, run_kcat, wait_until

T = 60 * SLOW
PARTITIONS = 6


def produce(bootstrap, topic, count):
    producer = Producer({"bootstrap.servers": bootstrap, "partitioner": "murmur2_random", "linger.ms": 5})
    for i in range(count):
        producer.produce(topic, key=f"k{i}".encode(), value=f"v{i}".encode())
    assert producer.flush(T) == 0, "undelivered records"


class Member:
    """A subscribed consumer and what its rebalance callbacks saw."""

    def __init__(self, bootstrap, group, topic, **extra):
        conf = {"bootstrap.servers": bootstrap, "group.id": group, "session.timeout.ms": 6000,
                "heartbeat.interval.ms": 500, "auto.offset.reset": "earliest",
                "enable.auto.commit": False, "fetch.wait.max.ms": 100}
        conf.update(extra)
        self.consumer = Consumer(conf)
        self.assign_calls = 0
        self.consumer.subscribe([topic], on_assign=self._on_assign)
        self.records = []
        self.closed = False

    def _on_assign(self, consumer, partitions):
        self.assign_calls += 1

    def partitions(self):
        return sorted(tp.partition for tp in self.consumer.assignment())

    def poll(self, timeout=0.05):
        for m in self.consumer.consume(num_messages=500, timeout=timeout):
            if m.error():
                raise AssertionError(f"consumer error: {m.error()}")
            self.records.append(m)

    def close(self):
        if not self.closed:
            self.closed = True
            self.consumer.close()


def poll_until(members, predicate, timeout, what):
    """Polls every open member (each must poll to take part in rebalances) until
    predicate() holds."""
    def step():
        for m in members:
            if not m.closed:
                m.poll()
        return predicate()
    wait_until(step, timeout, interval=0, what=what)


def split_evenly(members, per_member):
    sizes = [len(m.partitions()) for m in members]
    covered = sorted(p for m in members for p in m.partitions())
    return sizes == [per_member] * len(members) and covered == list(range(PARTITIONS))


class GroupsTest(BrokerTestCase):
    broker_overrides = {"group.initial.rebalance.delay.ms": "0"}

    def members(self, group, topic, count, **extra):
        members = [Member(self.bootstrap, group, topic, **extra) for _ in range(count)]
        self.addCleanup(lambda: [m.close() for m in members])
        return members

    def test_three_consumers_split_partitions_and_take_over_on_close(self):
        topic = self.unique_topic("split")
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        a, b, c = self.members("split-group", topic, 3)
        poll_until([a, b, c], lambda: split_evenly([a, b, c], 2), T, "2 partitions per consumer")
        c.close()
        poll_until([a, b], lambda: split_evenly([a, b], 3), T, "c's partitions moved to a and b")

        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        listed = {g.id: g for g in admin.list_groups(timeout=T)}
        self.assertEqual(listed["split-group"].state, "Stable")
        self.assertEqual(len(listed["split-group"].members), 2)
        self.assertEqual(listed["split-group"].protocol_type, "consumer")

    def test_cooperative_sticky_assignment(self):
        topic = self.unique_topic("coop")
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        a, b = self.members("coop-group", topic, 2, **{"partition.assignment.strategy": "cooperative-sticky"})
        poll_until([a, b], lambda: split_evenly([a, b], 3), T, "3 partitions each (cooperative)")
        kept = a.partitions()
        b.close()
        poll_until([a], lambda: a.partitions() == list(range(PARTITIONS)), T, "a takes all partitions")
        self.assertTrue(set(kept) <= set(a.partitions()))

    def test_static_member_rejoins_without_rebalance(self):
        topic = self.unique_topic("static")
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        group = "static-group"
        a = Member(self.bootstrap, group, topic, **{"group.instance.id": "instance-a"})
        b = Member(self.bootstrap, group, topic, **{"group.instance.id": "instance-b"})
        self.addCleanup(lambda: [m.close() for m in (a, b)])
        poll_until([a, b], lambda: split_evenly([a, b], 3), T, "3 partitions each")
        a_partitions, b_partitions, b_assigns = a.partitions(), b.partitions(), b.assign_calls
        # A static member sends no LeaveGroup on close; its replacement takes its place
        # within the session timeout.
        a.close()
        a2 = Member(self.bootstrap, group, topic, **{"group.instance.id": "instance-a"})
        self.addCleanup(a2.close)
        poll_until([a2, b], lambda: a2.partitions() == a_partitions, T, "a's replacement gets a's partitions")
        deadline = time.monotonic() + 2 * SLOW
        while time.monotonic() < deadline:
            a2.poll()
            b.poll()
        self.assertEqual(b.partitions(), b_partitions)
        self.assertEqual(b.assign_calls, b_assigns, "b saw a rebalance")
        self.assertEqual(a2.partitions(), a_partitions)

    def test_manual_commits_resume_after_restart_without_loss_or_duplicates(self):
        topic = self.unique_topic("resume")
        group = "resume-group"
        total = 600
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        produce(self.bootstrap, topic, total)

        def consume_some(members, want):
            """Processes records and commits each batch after processing."""
            seen = []

            def step():
                for m in members:
                    batch = m.consumer.consume(num_messages=50, timeout=0.05)
                    batch = [r for r in batch if not r.error()]
                    if batch:
                        seen.extend((r.partition(), r.offset()) for r in batch)
                        m.consumer.commit(asynchronous=False)
                return len(seen) >= want
            wait_until(step, T, interval=0, what=f"{want} records")
            return seen

        first_members = self.members(group, topic, 2)
        first = consume_some(first_members, total // 2)
        for m in first_members:
            m.close()
        self.assertEqual(self.broker.stop(), 0)
        self.broker.start()

        second_members = self.members(group, topic, 2)
        second = consume_some(second_members, total - len(first))
        # Nothing more arrives: everything was consumed exactly once.
        deadline = time.monotonic() + 1.5 * SLOW
        while time.monotonic() < deadline:
            for m in second_members:
                second.extend((r.partition(), r.offset()) for r in m.consumer.consume(100, timeout=0.05)
                              if not r.error())
        everything = first + second
        self.assertEqual(len(everything), total)
        self.assertEqual(len(set(everything)), total, "a record was delivered twice")

    def test_kcat_balanced_consumer(self):
        topic = self.unique_topic("kcat")
        create_topic(self.bootstrap, topic, partitions=2)
        produce(self.bootstrap, topic, 40)
        proc = run_kcat(["-b", self.bootstrap, "-G", "kcat-group", "-o", "beginning", "-e", "-q",
                         "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
                         "-f", "%k=%s\n", topic], timeout=T)
        lines = proc.stdout.decode().split()
        self.assertEqual(sorted(lines), sorted(f"k{i}=v{i}" for i in range(40)))
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "kcat-group"})
        try:
            from confluent_kafka import TopicPartition
            committed = consumer.committed([TopicPartition(topic, p) for p in range(2)], timeout=T)
            self.assertEqual(sum(tp.offset for tp in committed), 40)
        finally:
            consumer.close()


if __name__ == "__main__":
    unittest.main()
