"""The book's chapter 1 tutorial, as printed, with `runnel` for the kafka-* scripts."""

import re
import time
import unittest

from runnel_fixture import BrokerTestCase, admin_client, java_partition, run_kcat, run_tool, wait_for_topic


class Chapter1Test(BrokerTestCase):
    """The steps depend on each other, so they run as one test in the book's order."""

    def tool(self, *args, **kwargs):
        return run_tool(list(args), **kwargs)

    def test_chapter1_tutorial(self):
        bs = self.bootstrap

        # 1. Create the topic.
        out = self.tool("topics", "--bootstrap-server", bs, "--create", "--topic", "users",
                        "--partitions", "4", "--replication-factor", "1")
        self.assertEqual(out.stdout, "Created topic users.\n")
        wait_for_topic(admin_client(bs), "users", 4)

        # 2. Describe it: the header line, then one line per partition.
        out = self.tool("topics", "--bootstrap-server", bs, "--describe", "--topic", "users")
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 5, out.stdout)
        self.assertRegex(lines[0], r"^Topic: users\t(TopicId: [A-Za-z0-9_-]{22}\t)?PartitionCount: 4\t"
                                   r"ReplicationFactor: 1\tConfigs: ?$")
        for p in range(4):
            self.assertEqual(lines[1 + p], f"\tTopic: users\tPartition: {p}\tLeader: 1\tReplicas: 1\tIsr: 1")

        # 3. Produce four keyed records.
        before = int(time.time() * 1000)
        self.tool("produce", "--bootstrap-server", bs, "--property", "key.separator=,",
                  "--property", "parse.key=true", "--topic", "users",
                  input="1,mitch\n2,elyse\n3,isabelle\n4,sammy\n")
        after = int(time.time() * 1000)

        # 4. Consume them from the beginning (any order across partitions).
        out = self.tool("consume", "--bootstrap-server", bs, "--topic", "users", "--from-beginning",
                        "--max-messages", "4", "--timeout-ms", "20000")
        self.assertEqual(sorted(out.stdout.splitlines()), ["elyse", "isabelle", "mitch", "sammy"])
        self.assertIn("Processed a total of 4 messages", out.stderr)

        # 5. With timestamps and keys.
        out = self.tool("consume", "--bootstrap-server", bs, "--topic", "users", "--from-beginning",
                        "--property", "print.timestamp=true", "--property", "print.key=true",
                        "--property", "print.value=true", "--max-messages", "4", "--timeout-ms", "20000")
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 4, out.stdout)
        pairs = set()
        for line in lines:
            m = re.fullmatch(r"CreateTime:(\d{13})\t(\d)\t(\w+)", line)
            self.assertIsNotNone(m, f"line {line!r}")
            ts = int(m.group(1))
            self.assertTrue(before - 1000 <= ts <= after + 1000, f"timestamp {ts} not in [{before}, {after}]")
            pairs.add((m.group(2), m.group(3)))
        self.assertEqual(pairs, {("1", "mitch"), ("2", "elyse"), ("3", "isabelle"), ("4", "sammy")})

        # Same key, same partition as a Java producer would choose: partition and offset
        # printed too, and the records of the second run agree with the first.
        out = self.tool("consume", "--bootstrap-server", bs, "--topic", "users", "--from-beginning",
                        "--property", "print.partition=true", "--property", "print.offset=true",
                        "--property", "print.key=true", "--max-messages", "4", "--timeout-ms", "20000")
        placed = {}
        for line in out.stdout.splitlines():
            m = re.fullmatch(r"Partition:(\d)\tOffset:(\d+)\t(\d)\t(\w+)", line)
            self.assertIsNotNone(m, f"line {line!r}")
            placed[m.group(3)] = int(m.group(1))
        # Kafka's murmur2 partitioner for keys "1".."4" over 4 partitions.
        self.assertEqual(placed, {k: java_partition(k.encode(), 4) for k in "1234"})

    def test_headers(self):
        bs = self.bootstrap
        self.tool("topics", "--bootstrap-server", bs, "--create", "--topic", "users-h",
                  "--partitions", "1", "--replication-factor", "1")
        wait_for_topic(admin_client(bs), "users-h", 1)
        self.tool("produce", "--bootstrap-server", bs, "--topic", "users-h",
                  "--property", "parse.key=true", "--property", "key.separator=,",
                  "--property", "parse.headers=true",
                  input="source:book,chapter:1\t5,alex\n")
        self.tool("produce", "--bootstrap-server", bs, "--topic", "users-h",
                  "--property", "parse.key=true", "--property", "key.separator=,", input="6,kim\n")
        out = self.tool("consume", "--bootstrap-server", bs, "--topic", "users-h", "--from-beginning",
                        "--property", "print.timestamp=true", "--property", "print.headers=true",
                        "--property", "print.key=true", "--property", "print.value=true",
                        "--max-messages", "2", "--timeout-ms", "20000")
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 2, out.stdout)
        self.assertRegex(lines[0], r"^CreateTime:\d{13}\tsource:book,chapter:1\t5\talex$")
        self.assertRegex(lines[1], r"^CreateTime:\d{13}\tNO_HEADERS\t6\tkim$")

        # The same records through kcat: headers as sent.
        out = run_kcat(["-b", bs, "-C", "-t", "users-h", "-o", "beginning", "-e", "-f", "%k=%s [%h]\n"])
        self.assertEqual(out.stdout.decode(), "5=alex [source=book,chapter=1]\n6=kim []\n")


if __name__ == "__main__":
    unittest.main()
