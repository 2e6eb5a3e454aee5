"""Two instances of the chapter 3 example share the partitions of `tweets`; one is killed
with SIGKILL while tweets stream in, and the survivor takes its partitions over. Kafka
Streams' at-least-once guarantee: every expected output record appears, duplicates
allowed, nothing unexpected."""

import json
import re
import threading
import time
import unittest

from runnel_fixture import SLOW, wait_until
from test_examples_streams import T, ExampleTestCase

PARTITIONS = 4
TWEETS = 3000
APP_ID = "crypto-failover"


def tweet(i):
    """Tweet i: a retweet, English or Spanish, mentioning bitcoin, ethereum, both or none."""
    text, lang, retweet = {
        0: ("RT Bitcoin to the moon", "en", True),
        1: (f"Bitcoin is up today, #{i}", "en", False),
        2: (f"#Ethereum y bitcoin, numero {i}", "es", False),
        3: (f"Nothing about coins here {i}", "en", False),
        4: (f"ETHEREUM! {i}", "en", False),
    }[i % 5]
    return {"CreatedAt": 1577933872630 + i, "Id": i, "Text": text, "Lang": lang, "Retweet": retweet,
            "Source": "", "User": {"Id": str(i), "Name": "gen"}}


def expected_outputs(i):
    return {1: {(i, "bitcoin")}, 2: {(i, "ethereum"), (i, "bitcoin")}, 4: {(i, "ethereum")}}.get(i % 5, set())


def last_assignment(example):
    """How many partitions the example's stream thread was last assigned (its log line)."""
    counts = re.findall(r"assigned (\d+) partitions", example.stderr())
    return int(counts[-1]) if counts else None


class OutputReader:
    """Reads crypto-sentiment from the beginning of every partition as it grows."""

    def __init__(self, bootstrap):
        from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "failover-reader",
                                  "enable.auto.commit": False, "fetch.wait.max.ms": 100})
        self.consumer.assign([TopicPartition("crypto-sentiment", p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        self.records = 0
        self.seen = set()

    def poll(self):
        for m in self.consumer.consume(num_messages=5000, timeout=0.2):
            if m.error():
                raise AssertionError(f"consumer error: {m.error()}")
            value = json.loads(m.value())
            self.seen.add((value["id"], value["entity"]))
            self.records += 1

    def close(self):
        self.consumer.close()


class CryptoSentimentFailoverTest(ExampleTestCase):
    def produce_tweets(self, stop):
        """Sends the tweets at a steady pace (about 3 s in all), keyed by id."""
        from confluent_kafka import Producer
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 5})
        for i in range(TWEETS):
            if stop.is_set():
                break
            producer.produce("tweets", key=str(i), value=json.dumps(tweet(i)))
            if i % 100 == 99:
                producer.poll(0)
                time.sleep(0.1)
        producer.flush(30 * SLOW)

    def test_survivor_takes_over_after_kill9(self):
        self.create_topics(PARTITIONS, "tweets", "crypto-sentiment")
        first = self.start_example("crypto-sentiment", app_id=APP_ID)
        first.wait_running()
        second = self.start_example("crypto-sentiment", app_id=APP_ID)
        second.wait_running()
        wait_until(lambda: last_assignment(first) == 2 and last_assignment(second) == 2, T, interval=0.1,
                   what="two partitions on each instance")

        expected = set().union(*(expected_outputs(i) for i in range(TWEETS)))
        reader = OutputReader(self.bootstrap)
        self.addCleanup(reader.close)
        stop = threading.Event()
        producer = threading.Thread(target=self.produce_tweets, args=(stop,))
        producer.start()
        self.addCleanup(producer.join)
        self.addCleanup(stop.set)

        # Mid-stream: a fifth of the output is there, most tweets are still to come.
        def some_output():
            reader.poll()
            return len(reader.seen) >= len(expected) // 5
        wait_until(some_output, T, interval=0, what="the first fifth of the output")
        first.kill()

        def everything():
            reader.poll()
            return expected <= reader.seen
        try:
            wait_until(everything, T, interval=0, what="every expected record")
        except AssertionError as e:
            missing = sorted(expected - reader.seen)
            raise AssertionError(f"{e}: {len(missing)} missing, e.g. {missing[:10]}\n{second.describe()}") from None
        self.assertEqual(reader.seen - expected, set(), "unexpected output records")
        self.assertEqual(last_assignment(second), PARTITIONS, second.describe())
        self.assertGreaterEqual(reader.records, len(expected))
        self.stop_cleanly(second)


if __name__ == "__main__":
    unittest.main()
