"""The chapter 7 digital twin under failures, queried over HTTP (GET /devices/:id).

The twin of a turbine pairs its last desired and its last reported state, so a twin that
is right after a failure proves the store was carried over: the desired states are sent
once, before the failure, and their input is committed by then, so they can only come
back from the store's changelog (another instance) or its local files (a restart).
"""

import json
import re
import time
import unittest
from datetime import datetime, timezone

from runnel_fixture import HOST, SLOW, free_port, wait_until
from test_examples_streams import T, ExampleTestCase, http_get

PARTITIONS = 4
TURBINES = [f"turbine-{i}" for i in range(60)]
TOPICS = ("reported-state-events", "desired-state-events", "digital-twins")


def now_iso():
    # Recent timestamps: the twins stay clear of the 7-day expiry.
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def reported(round_, index):
    """Reported state `round_` of turbine `index`: its wind speed tells rounds apart, and
    stays below the high-winds limit (65 mph) that would add a desired state."""
    return {"timestamp": now_iso(), "wind_speed_mph": round_ + index % 50 / 100, "power": "ON", "type": "REPORTED"}


def desired(index):
    return {"timestamp": now_iso(), "wind_speed_mph": None, "power": "OFF" if index % 2 else "ON", "type": "DESIRED"}


def running_tasks(example):
    """The tasks the example's stream thread last said it runs (its log line)."""
    found = re.findall(r"running tasks \[([^\]]*)\]", example.stderr())
    return {t.strip() for t in found[-1].split(",") if t.strip()} if found else set()


def restored_counts(example, app_id):
    """Records restored into the store per changelog partition, from the log."""
    pattern = rf"restored (\d+) records of {re.escape(app_id)}-digital-twin-store-changelog-(\d+) into store"
    return [(int(p), int(n)) for n, p in re.findall(pattern, example.stderr())]


class TwinFailoverTestCase(ExampleTestCase):
    """Topics of the example with PARTITIONS partitions; a producer; twin checks over HTTP."""

    def setUp(self):
        super().setUp()
        from confluent_kafka import Producer
        self.create_topics(PARTITIONS, *TOPICS)
        # Partitioned as Java clients (and runnel's) do, which queryMetadataForKey assumes;
        # librdkafka's default hashes keys differently.
        self.producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 5,
                                  "partitioner": "murmur2_random"})
        self.expected = {}  # turbine -> the twin it must end with

    def start_twin(self, app_id, port, state_dir):
        return self.start_example("digital-twin", "--application-server", f"{HOST}:{port}", app_id=app_id,
                                  state_dir=state_dir)

    def send(self, topic, turbine, state):
        self.producer.produce(topic, key=turbine, value=json.dumps(state))
        twin = self.expected.setdefault(turbine, {"desired": None, "reported": None})
        twin["desired" if state["type"] == "DESIRED" else "reported"] = state

    def send_reported(self, round_):
        for index, turbine in enumerate(TURBINES):
            self.send("reported-state-events", turbine, reported(round_, index))
        self.producer.flush(30 * SLOW)

    def wait_committed(self, app_id):
        """Until the application's group has committed every input record sent so far."""
        from confluent_kafka import Consumer, TopicPartition
        ends = {}
        reader = Consumer({"bootstrap.servers": self.bootstrap, "group.id": app_id, "enable.auto.commit": False})
        try:
            partitions = [TopicPartition(t, p) for t in TOPICS[:2] for p in range(PARTITIONS)]
            for tp in partitions:
                ends[(tp.topic, tp.partition)] = reader.get_watermark_offsets(tp, timeout=10 * SLOW)[1]

            def committed():
                offsets = reader.committed(partitions, timeout=10 * SLOW)
                return all(max(tp.offset, 0) >= ends[(tp.topic, tp.partition)] for tp in offsets)
            wait_until(committed, T, interval=0.1, what=f"{app_id} to commit its input")
        finally:
            reader.close()

    def wait_twins(self, port, *examples, interim=None):
        """Until GET /devices/:id on `port` answers every turbine's expected twin. With
        `interim`, any other answer on the way must have one of those statuses."""
        pending = set(TURBINES)
        last = {}

        def all_served():
            for turbine in sorted(pending):
                status, body = http_get(port, f"/devices/{turbine}")
                last[turbine] = (status, body)
                if status == 200 and body == self.expected[turbine]:
                    pending.discard(turbine)
                elif interim is not None and status not in interim:
                    raise AssertionError(f"GET /devices/{turbine} on port {port}: {status} {body}")
            return not pending
        try:
            wait_until(all_served, T, interval=0.1, what=f"every twin served on port {port}")
        except AssertionError as e:
            samples = {t: last.get(t) for t in sorted(pending)[:3]}
            logs = "\n".join(example.describe() for example in examples)
            raise AssertionError(f"{e}: {len(pending)} wrong, e.g. {samples}\n{logs}") from None


class TwinSurvivorTest(TwinFailoverTestCase):
    APP_ID = "twin-failover"

    def test_survivor_restores_the_killed_instances_twins(self):
        ports = free_port(), free_port()
        first = self.start_twin(self.APP_ID, ports[0], "state-first")
        second = self.start_twin(self.APP_ID, ports[1], "state-second")
        first.wait_running()
        second.wait_running()
        wait_until(lambda: running_tasks(first) and running_tasks(second) and
                   len(running_tasks(first) | running_tasks(second)) == PARTITIONS, T, interval=0.1,
                   what="the tasks shared by the two instances")
        killed_tasks = running_tasks(first)

        for index, turbine in enumerate(TURBINES):
            self.send("desired-state-events", turbine, desired(index))
        self.send_reported(1)
        # Each instance answers for every turbine: half from its own store, half forwarded.
        self.wait_twins(ports[0], first, second)
        self.wait_twins(ports[1], first, second)
        self.wait_committed(self.APP_ID)

        first.kill()
        started = time.monotonic()
        self.send_reported(2)
        # Every twin exists all along: while the killed instance's partitions move, the
        # survivor answers 503 (owner unreachable, restoring) or the twin, never 404.
        self.wait_twins(ports[1], second, interim={200, 503})
        took = time.monotonic() - started

        self.assertEqual(len(running_tasks(second)), PARTITIONS, second.describe())
        # The killed instance's twins came from the changelog: its desired states were
        # committed input, never read again.
        restored = dict(restored_counts(second, self.APP_ID))
        for task in killed_tasks:
            partition = int(task.split("_")[1])
            self.assertGreater(restored.get(partition, 0), 0, f"task {task} not restored\n{second.describe()}")
        self.assertLess(took, 20 * SLOW)
        self.stop_cleanly(second)


class TwinRestartTest(TwinFailoverTestCase):
    APP_ID = "twin-restart"

    def test_restart_after_kill9_keeps_every_twin(self):
        port = free_port()
        example = self.start_twin(self.APP_ID, port, "state")
        example.wait_running()
        for index, turbine in enumerate(TURBINES):
            self.send("desired-state-events", turbine, desired(index))
        for round_ in range(1, 6):
            self.send_reported(round_)
        self.wait_twins(port, example)
        self.wait_committed(self.APP_ID)
        changelog_before = self.changelog_records()

        # Killed while more states stream in, once some of them are in the store: its
        # files and checkpoint are whatever the kill left.
        for round_ in range(6, 9):
            self.send_reported(round_)

        def processing_new_rounds():
            status, body = http_get(port, f"/devices/{TURBINES[0]}")
            return status == 200 and body["reported"]["wind_speed_mph"] >= 6
        wait_until(processing_new_rounds, T, interval=0.01, what="the new states to reach the store")
        example.kill()
        restarted = self.start_twin(self.APP_ID, port, "state")
        for round_ in range(9, 11):
            self.send_reported(round_)
        self.wait_twins(port, restarted)

        # Restored from the checkpoint on: only the changelog's tail, never all of it.
        restored = restored_counts(restarted, self.APP_ID)
        self.assertLess(sum(n for _, n in restored), changelog_before, restarted.describe())
        self.stop_cleanly(restarted)

    def changelog_records(self):
        from confluent_kafka import Consumer, TopicPartition
        reader = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "twin-restart-reader"})
        try:
            topic = f"{self.APP_ID}-digital-twin-store-changelog"
            return sum(reader.get_watermark_offsets(TopicPartition(topic, p), timeout=10 * SLOW)[1]
                       for p in range(PARTITIONS))
        finally:
            reader.close()


if __name__ == "__main__":
    unittest.main()
