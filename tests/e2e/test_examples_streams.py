"""The book's chapter 2, 3, 4 and 7 tutorials: the example programs (examples/) against a
real `runnel server`, fed with the book's data through `runnel produce`.

The programs come from RUNNEL_EXAMPLES_DIR (CTest passes the build's examples folder),
the data from RUNNEL_BOOK_TUTORIALS (default: ../shared/book-tutorials next to the
repository); tests skip with a message when either is missing. Each program is stopped
with SIGTERM at the end and must exit 0 promptly.
"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from runnel_fixture import (HOST, SLOW, BrokerTestCase, _die_with_parent, admin_client, consume_all, free_port,
                            run_tool, runnel_bin, wait_for_topic, wait_until)

T = 60 * SLOW
EXIT_TIMEOUT_S = 15 * SLOW

# Rebalances in milliseconds, not seconds (DESIGN.md): the broker side here, the
# examples' side through their --override flags.
FAST_GROUP_BROKER = {"group.initial.rebalance.delay.ms": "0", "group.min.session.timeout.ms": "500"}
FAST_GROUP_APP = ["session.timeout.ms=2000", "heartbeat.interval.ms=300", "commit.interval.ms=500"]


def http_get(port, path, timeout=5 * SLOW):
    """(status, decoded JSON body) of GET http://127.0.0.1:<port><path>; (None, error text)
    when nothing answers (the instance is not listening yet, or is gone)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    except OSError as e:
        return None, str(e)
    finally:
        connection.close()


def examples_dir():
    path = os.environ.get("RUNNEL_EXAMPLES_DIR") or os.path.join(os.path.dirname(runnel_bin()), "examples")
    if not os.path.isfile(os.path.join(path, "runnel-example-hello-streams")):
        raise unittest.SkipTest(f"no example programs in {path}: build them and set RUNNEL_EXAMPLES_DIR")
    return path


def book_tutorials():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "..", "shared", "book-tutorials")
    path = os.environ.get("RUNNEL_BOOK_TUTORIALS") or default
    if not os.path.isdir(path):
        raise unittest.SkipTest(f"the book's data folder {path} is missing: set RUNNEL_BOOK_TUTORIALS")
    return os.path.normpath(path)


class ExampleProcess:
    """One example program; its stdout and stderr go to files the test reads."""

    def __init__(self, name, args, workdir):
        self.name = name
        self.stdout_path = os.path.join(workdir, f"{name}-{id(self)}.out")
        self.stderr_path = os.path.join(workdir, f"{name}-{id(self)}.err")
        cmd = [os.path.join(examples_dir(), f"runnel-example-{name}")] + list(args)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         start_new_session=True, preexec_fn=_die_with_parent)

    def stdout(self):
        with open(self.stdout_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def describe(self):
        return (f"----- {self.name} stdout -----\n{self.stdout()[-5000:]}\n"
                f"----- {self.name} stderr -----\n{self.stderr()[-5000:]}\n-----")

    def wait_running(self, timeout=T):
        def running():
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.proc.returncode}\n{self.describe()}")
            return "to RUNNING" in self.stdout()
        try:
            wait_until(running, timeout, interval=0.1, what=f"{self.name} to reach RUNNING")
        except AssertionError as e:
            raise AssertionError(f"{e}\n{self.describe()}") from None

    def terminate(self, timeout=EXIT_TIMEOUT_S):
        """SIGTERM; returns (exit code, seconds it took)."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"{self.name} did not exit within {timeout:.0f}s of SIGTERM\n{self.describe()}")
        return rc, time.monotonic() - started

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class ExampleTestCase(BrokerTestCase):
    broker_overrides = FAST_GROUP_BROKER

    def setUp(self):
        super().setUp()
        self.book = book_tutorials()
        examples_dir()
        self.workdir = tempfile.mkdtemp(prefix="runnel-examples-")
        self.addCleanup(shutil.rmtree, self.workdir, True)

    def start_example(self, name, *args, app_id=None, state_dir="state"):
        """Starts runnel-example-<name> with its state in <workdir>/<state_dir>."""
        args = ["--bootstrap-server", self.bootstrap, "--state-dir", os.path.join(self.workdir, state_dir)] + list(args)
        if app_id:
            args += ["--application-id", app_id]
        for override in FAST_GROUP_APP:
            args += ["--override", override]
        example = ExampleProcess(name, args, self.workdir)
        self.addCleanup(example.kill)
        return example

    def stop_cleanly(self, example):
        rc, took = example.terminate()
        self.assertEqual(rc, 0, f"{example.name} exited {rc} on SIGTERM\n{example.describe()}")
        self.assertIn("to NOT_RUNNING", example.stdout(), example.describe())
        return took

    def create_topics(self, partitions, *names):
        for name in names:
            run_tool(["topics", "--bootstrap-server", self.bootstrap, "--create", "--topic", name,
                      "--partitions", str(partitions), "--replication-factor", "1"])
            wait_for_topic(admin_client(self.bootstrap), name, partitions)

    def produce_file(self, topic, relative, keyed=False):
        with open(os.path.join(self.book, relative), encoding="utf-8") as f:
            data = f.read()
        args = ["produce", "--bootstrap-server", self.bootstrap, "--topic", topic]
        if keyed:
            args += ["--property", "parse.key=true", "--property", "key.separator=|"]
        run_tool(args, input=data)


class HelloStreamsTest(ExampleTestCase):
    USERS = ["angie", "mitch", "elyse", "isabelle"]

    def test_both_apis_greet_every_user(self):
        self.create_topics(4, "users")
        run_tool(["produce", "--bootstrap-server", self.bootstrap, "--topic", "users"],
                 input="".join(u + "\n" for u in self.USERS))
        for api, prefix in (("dsl", "(DSL) Hello, "), ("processor", "(Processor API) Hello, ")):
            with self.subTest(api=api):
                example = self.start_example("hello-streams", "--api", api, app_id=f"hello-e2e-{api}")

                def greetings():
                    return [line[len(prefix):] for line in example.stdout().splitlines() if line.startswith(prefix)]
                try:
                    wait_until(lambda: len(greetings()) >= len(self.USERS), T, interval=0.1,
                               what=f"{len(self.USERS)} greetings")
                except AssertionError as e:
                    raise AssertionError(f"{e}\n{example.describe()}") from None
                self.assertEqual(sorted(greetings()), sorted(self.USERS))
                self.assertLess(self.stop_cleanly(example), 10 * SLOW)


class CryptoSentimentTest(ExampleTestCase):
    def test_book_tweets_yield_bitcoin_and_ethereum(self):
        self.create_topics(1, "tweets", "crypto-sentiment")
        self.produce_file("tweets", "chapter-03/data/test.json")
        example = self.start_example("crypto-sentiment", app_id="crypto-e2e")
        records = consume_all(self.bootstrap, "crypto-sentiment", 1, 2, timeout=T)
        values = [json.loads(m.value()) for m in records]
        self.assertEqual(len(values), 2, f"{values}\n{example.describe()}")
        self.assertEqual([(v["id"], v["entity"]) for v in values], [(10005, "bitcoin"), (10005, "ethereum")])
        for v in values:
            self.assertEqual(v["text"], "Bitcoin has a lot of promise. I'm not too sure about #ethereum")
            self.assertEqual(v["created_at"], 1577933872630)
            self.assertEqual(set(v), {"created_at", "id", "entity", "text", "sentiment_score",
                                      "sentiment_magnitude", "salience"})
        self.assertLess(self.stop_cleanly(example), 10 * SLOW)


class DigitalTwinTest(ExampleTestCase):
    def twins_of(self, count):
        records = consume_all(self.bootstrap, "digital-twins", 4, count, timeout=T)
        return [(m.key().decode(), json.loads(m.value())) for m in records]

    def device(self, port, turbine, accept, example):
        """GET /devices/<turbine>, polled until `accept(status, body)` holds."""
        answers = []

        def accepted():
            answers.append(http_get(port, f"/devices/{turbine}"))
            return accept(*answers[-1])
        try:
            wait_until(accepted, T, interval=0.1, what=f"GET /devices/{turbine}")
        except AssertionError as e:
            raise AssertionError(f"{e}; last answers {answers[-3:]}\n{example.describe()}") from None
        return answers[-1][1]

    def test_book_events_make_the_twin_of_turbine_1(self):
        self.create_topics(4, "reported-state-events", "desired-state-events", "digital-twins")
        self.produce_file("reported-state-events", "chapter-07/data/reported-state-events.json", keyed=True)
        port = free_port()
        example = self.start_example("digital-twin", "--application-server", f"{HOST}:{port}", app_id="twin-e2e")

        # Four reported states, and the shutdown that the 68 mph one triggered.
        twins = self.twins_of(5)
        self.assertEqual(len(twins), 5, f"{twins}\n{example.describe()}")
        key, shut_down = twins[-1]
        self.assertEqual(key, "1")
        self.assertEqual(shut_down["reported"]["wind_speed_mph"], 68)
        self.assertEqual(shut_down["reported"]["power"], "ON")
        self.assertEqual(shut_down["desired"]["power"], "OFF")
        self.assertEqual(shut_down["desired"]["type"], "DESIRED")
        # The same twin, asked over HTTP (interactive queries).
        twin = self.device(port, 1, lambda status, body: status == 200, example)
        self.assertEqual(twin, shut_down)
        self.assertEqual(twin["reported"]["wind_speed_mph"], 68)
        self.assertEqual(twin["reported"]["power"], "ON")
        self.assertEqual(twin["desired"]["power"], "OFF")
        status, body = http_get(port, "/devices/no-such-turbine")
        self.assertEqual((status, sorted(body)), (404, ["error"]), body)

        # The operator's desired state then replaces the automatic one.
        self.produce_file("desired-state-events", "chapter-07/data/desired-state-events.json", keyed=True)
        twins = self.twins_of(6)
        self.assertEqual(len(twins), 6, f"{twins}\n{example.describe()}")
        key, twin = twins[-1]
        self.assertEqual(key, "1")
        self.assertEqual(twin["desired"], {"timestamp": "2020-11-23T09:12:00.000Z", "wind_speed_mph": None,
                                           "power": "ON", "type": "DESIRED"})
        self.assertEqual(twin["reported"]["wind_speed_mph"], 68)
        self.assertEqual(twin["reported"]["power"], "ON")
        served = self.device(port, 1, lambda status, body: status == 200 and body["desired"]["power"] == "ON", example)
        self.assertEqual(served, twin)
        self.assertLess(self.stop_cleanly(example), 10 * SLOW)
        # The store is on disk under the state directory, one folder per task.
        self.assertTrue(os.path.isdir(os.path.join(self.workdir, "state", "twin-e2e")))


class LeaderboardTest(ExampleTestCase):
    """Chapter 4 with two instances: each answers for every game, asking the other for the
    games it does not hold."""

    EXPECTED = {"1": [("Isabelle", 4000), ("Mitch", 2000), ("Elyse", 1000)],
                "6": [("Isabelle", 9000), ("Mitch", 2500), ("Sammy", 1200)]}

    def test_two_instances_answer_for_every_game(self):
        self.create_topics(2, "score-events", "players", "high-scores")
        self.create_topics(1, "products")  # a global table needs no co-partitioning
        self.produce_file("players", "chapter-04/data/players.json", keyed=True)
        self.produce_file("products", "chapter-04/data/products.json", keyed=True)
        ports = [free_port(), free_port()]
        # As in Kafka, instances on one machine need state directories of their own (the
        # global store's is per application, not per task).
        instances = [self.start_example("leaderboard", "--application-server", f"{HOST}:{port}",
                                        app_id="leaderboard-e2e", state_dir=f"state-{port}") for port in ports]
        for instance in instances:
            instance.wait_running()
        self.produce_file("score-events", "chapter-04/data/score-events.json")

        def places(body):
            return [(entry["playerName"], entry["score"]) for entry in body]

        for port, instance in zip(ports, instances):
            for game, expected in self.EXPECTED.items():
                last = []

                def answers():
                    last[:] = [http_get(port, f"/leaderboard/{game}")]
                    status, body = last[0]
                    return status == 200 and places(body) == expected
                try:
                    wait_until(answers, T, interval=0.2, what=f"game {game} on port {port}")
                except AssertionError as e:
                    raise AssertionError(f"{e}: last answer {last}\n{instance.describe()}") from None
                status, body = http_get(port, f"/leaderboard/{game}")
                self.assertEqual(body[0]["gameName"], "Super Smash Bros" if game == "1" else "Mario Kart")
            status, body = http_get(port, "/leaderboard")
            self.assertEqual(status, 200, body)
            self.assertEqual({board["productId"]: places(board["highScores"]) for board in body}, self.EXPECTED)
            status, body = http_get(port, "/leaderboard/42")
            self.assertEqual(status, 404, body)
        # high-scores ends with each game's leaderboard; the record cache merges updates of
        # a game between commits, so fewer than the 8 score events may be there.
        last = {}

        def final_boards():
            for m in consume_all(self.bootstrap, "high-scores", 2, 8, timeout=2 * SLOW):
                last[m.key().decode()] = places(json.loads(m.value())["highScores"])
            return last == self.EXPECTED
        wait_until(final_boards, T, interval=0.2, what=f"the final leaderboards in high-scores, last {last}")
        for instance in instances:
            self.assertLess(self.stop_cleanly(instance), 10 * SLOW)


if __name__ == "__main__":
    unittest.main()
