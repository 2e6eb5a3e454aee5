"""The book's chapter 6 example (advanced state management) against a real broker: the
reducer's tombstones, the changelog topic and its configs, and the restore listener's
lines when the store comes back from local files or from the changelog."""

import re
import unittest

from runnel_fixture import admin_client, consume_all, run_tool
from test_examples_streams import T, ExampleTestCase

APP_ID = "patient-e2e"
PARTITIONS = 2
CHANGELOG = f"{APP_ID}-patient-state-changelog"


def restore_lines(example):
    return [line for line in example.stdout().splitlines() if line.startswith("Restore ")]


def restored_total(example):
    """Records restored, added up over the 'Restore complete' lines."""
    return sum(int(n) for n in re.findall(r"^Restore complete: patient-state from \S+, (\d+) records$",
                                          example.stdout(), re.MULTILINE))


class PatientStateTest(ExampleTestCase):
    def start_patients(self, *args, state_dir="state"):
        # Without the record cache every update reaches the output, not only the last one
        # of each key per commit, so the expected records do not depend on timing.
        example = self.start_example("patient-state", "--override", "num.standby.replicas=1", "--override",
                                     "statestore.cache.max.bytes=0", *args, app_id=APP_ID, state_dir=state_dir)
        example.wait_running()
        return example

    def changes(self, count):
        """(key, value or None) of the first `count` records of patient-state-changes."""
        records = consume_all(self.bootstrap, "patient-state-changes", PARTITIONS, count, timeout=T)
        return [(m.key().decode(), m.value().decode() if m.value() is not None else None) for m in records]

    def changes_of(self, count, key):
        return [change for change in self.changes(count) if change[0] == key]

    def produce_events(self, lines):
        run_tool(["produce", "--bootstrap-server", self.bootstrap, "--topic", "patient-events", "--property",
                  "parse.key=true", "--property", "key.separator=|"], input="".join(line + "\n" for line in lines))

    def test_tombstones_changelog_and_restores(self):
        self.create_topics(PARTITIONS, "patient-events", "patient-state-changes")
        self.produce_file("patient-events", "chapter-06/data/patient-events.json", keyed=True)
        self.produce_events(["2|check-in", "3|check-in", "3|vitals"])

        # First run: the book's check-out deletes patient 1 (a tombstone downstream).
        example = self.start_patients()
        self.assertEqual(self.changes_of(5, "1"), [("1", "check-in"), ("1", None)], example.describe())
        self.stop_cleanly(example)
        self.assertEqual(restore_lines(example), [], "an empty changelog has nothing to restore")

        # The changelog, with the book's topic configs.
        admin = admin_client(self.bootstrap)
        self.assertIn(CHANGELOG, admin.list_topics(timeout=T).topics)
        from confluent_kafka.admin import ConfigResource
        resource = ConfigResource("topic", CHANGELOG)
        configs = admin.describe_configs([resource])[resource].result(timeout=T)
        self.assertEqual(configs["cleanup.policy"].value, "compact")
        self.assertEqual(configs["segment.bytes"].value, "536870912")

        # Same state dir, persistent store: the local files and checkpoint are up to date,
        # nothing is read back.
        example = self.start_patients()
        self.stop_cleanly(example)
        self.assertEqual(restore_lines(example), [], example.describe())

        # A fresh state dir: the whole changelog comes back, with the listener's lines.
        example = self.start_patients(state_dir="state-fresh")
        self.assert_restored_everything(example)
        # Patient 2 is known again, so checking out deletes it (an unknown patient's first
        # event would be stored as is, not reduced).
        self.produce_events(["2|check-out"])
        self.assertEqual(self.changes_of(6, "2"), [("2", "check-in"), ("2", None)], example.describe())
        self.stop_cleanly(example)

        # An in-memory store has no local files: it restores everything on each start.
        example = self.start_patients("--store", "in-memory")
        self.assert_restored_everything(example)
        self.produce_events(["3|check-out"])
        self.assertEqual(self.changes_of(7, "3"), [("3", "check-in"), ("3", "vitals"), ("3", None)],
                         example.describe())
        self.stop_cleanly(example)

    def assert_restored_everything(self, example):
        from confluent_kafka import Consumer, TopicPartition
        reader = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "patient-e2e-reader"})
        try:
            records = sum(reader.get_watermark_offsets(TopicPartition(CHANGELOG, p), timeout=T)[1]
                          for p in range(PARTITIONS))
        finally:
            reader.close()
        lines = restore_lines(example)
        self.assertGreater(records, 0)
        self.assertEqual(restored_total(example), records, example.describe())
        for kind in ("started", "batch", "complete"):
            self.assertTrue(any(line.startswith(f"Restore {kind}: patient-state from {CHANGELOG}-") for line in lines),
                            f"no 'Restore {kind}' line\n{example.describe()}")
        self.assertRegex(lines[0], rf"^Restore started: patient-state from {CHANGELOG}-\d, offsets 0 to \d+$")


if __name__ == "__main__":
    unittest.main()
