"""Group state and committed offsets survive kill -9 of the broker: members of a group
commit after processing, the broker is SIGKILLed and restarted, and new members of the
same group resume where the commits left off, with no record lost or read twice."""

import unittest

from runnel_fixture import SLOW, BrokerTestCase, create_topic, run_tool, wait_until
from test_groups import PARTITIONS, Member, produce

T = 60 * SLOW


class GroupsKill9Test(BrokerTestCase):
    broker_overrides = {"group.initial.rebalance.delay.ms": "0"}

    def members(self, group, topic, count):
        members = [Member(self.bootstrap, group, topic) for _ in range(count)]
        self.addCleanup(lambda: [m.close() for m in members])
        return members

    def consume_and_commit(self, members, want):
        seen = []

        def step():
            for m in members:
                batch = [r for r in m.consumer.consume(num_messages=50, timeout=0.05) if not r.error()]
                if batch:
                    m.consumer.commit(asynchronous=False)
                    seen.extend((r.partition(), r.offset()) for r in batch)
            return len(seen) >= want
        wait_until(step, T, interval=0, what=f"{want} records")
        return seen

    def test_offsets_and_group_survive_kill9(self):
        topic = self.unique_topic("kill9-group")
        group = "kill9-group"
        total = 600
        create_topic(self.bootstrap, topic, partitions=PARTITIONS)
        produce(self.bootstrap, topic, total)

        first_members = self.members(group, topic, 2)
        first = self.consume_and_commit(first_members, total // 2)
        for m in first_members:
            m.close()
        self.broker.restart(hard=True)

        # The group and its offsets were reloaded from __consumer_offsets.
        described = run_tool(["groups", "--bootstrap-server", self.bootstrap, "--describe", "--group", group])
        self.assertIn(topic, described.stdout)

        second_members = self.members(group, topic, 2)
        second = self.consume_and_commit(second_members, total - len(first))
        everything = first + second
        self.assertEqual(len(everything), total)
        self.assertEqual(len(set(everything)), total, "a record was delivered twice")


if __name__ == "__main__":
    unittest.main()
