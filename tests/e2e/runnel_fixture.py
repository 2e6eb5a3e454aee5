"""Shared fixture for the end-to-end tests: a real `runnel server` on a free loopback port.

The broker runs as a subprocess in a fresh temporary data directory. Its stderr goes to a
log file; when a test fails, the part of the log written during that test is printed.
The binary comes from the RUNNEL_BIN environment variable (CTest passes
$<TARGET_FILE:runnel>); when it is unset, the usual build directories are tried.

Everything here is bounded in time: no wait loops forever, no client call blocks without
a timeout, so a hung broker fails a test instead of hanging CI.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import ctypes

HOST = "127.0.0.1"

# Waits are scaled up under sanitizer builds (set RUNNEL_E2E_SLOW=<factor> to override).
SLOW = float(os.environ.get("RUNNEL_E2E_SLOW", "1"))

START_TIMEOUT_S = 30.0 * SLOW
STOP_TIMEOUT_S = 20.0 * SLOW

SANITIZER_PATTERNS = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|ThreadSanitizer|"
    r"AddressSanitizer:DEADLYSIGNAL")


def _die_with_parent():
    """preexec_fn: the broker gets SIGKILL when the test process dies (a CTest timeout
    kills python, and the broker must not outlive it and hold the port)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def runnel_bin():
    path = os.environ.get("RUNNEL_BIN")
    if path:
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    for build in ("build-e2e", "build", "build-main"):
        candidate = os.path.join(root, build, "runnel")
        if os.access(candidate, os.X_OK):
            return candidate
    raise unittest.SkipTest("RUNNEL_BIN is not set and no runnel binary was found")


def free_port():
    """A port that was free a moment ago (the kernel picked it for a bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_accepts(port, timeout=0.2):
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(interval)


class RunnelBroker:
    """One broker process on one data directory; can be stopped, killed and restarted."""

    def __init__(self, overrides=None, data_dir=None):
        self.binary = runnel_bin()
        self.tmp = tempfile.mkdtemp(prefix="runnel-e2e-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.log_path = os.path.join(self.tmp, "broker.log")
        # The SQL server starts with the broker unless disabled; the broker's own tests
        # run without it (tests/e2e/test_sql_server.py turns it on).
        self.overrides = {"ksql.enabled": "false"}
        self.overrides.update(overrides or {})
        self.port = None
        self.proc = None
        self.starts = 0
        self.exit_codes = []  # (how it was stopped, return code) of every run

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def bootstrap(self):
        return f"{HOST}:{self.port}"

    def start(self, port=None):
        """Starts the broker; with port=None a free port is chosen (first start) or the
        previous port is reused (restart). Returns when the port accepts connections."""
        assert self.proc is None, "broker already running"
        attempts = 5 if port is None and self.port is None else 1
        for attempt in range(attempts):
            self.port = port or self.port or free_port()
            if self._start_once():
                return self
            # Someone else grabbed the port between free_port() and our bind: pick again.
            if "Address already in use" in self.log_text(self._run_offset) and attempt + 1 < attempts:
                self.port = None
                continue
            break
        raise AssertionError(f"runnel server did not start on port {self.port}\n" + self.log_tail())

    def _start_once(self):
        args = [self.binary, "server",
                "--override", f"log.dirs={self.data_dir}",
                "--override", f"listeners=PLAINTEXT://{HOST}:{self.port}"]
        for key, value in self.overrides.items():
            args += ["--override", f"{key}={value}"]
        self.starts += 1
        with open(self.log_path, "ab") as log:
            log.write(f"===== start #{self.starts}: {' '.join(args)}\n".encode())
            log.flush()
            self._run_offset = log.tell()
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True, preexec_fn=_die_with_parent)
        needle = f"listening on {HOST}:{self.port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.exit_codes.append(("start failed", self.proc.returncode))
                self.proc = None
                return False
            # Our own log line proves the listener is ours, the connect proves it is up.
            if needle in self.log_text(self._run_offset) and port_accepts(self.port):
                return True
            time.sleep(0.05)
        self.kill()
        return False

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, then SIGKILL after `timeout`. Returns the exit code (None if it had
        to be killed)."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
            self.exit_codes.append(("SIGTERM", rc))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.exit_codes.append(("SIGTERM timed out, SIGKILL", self.proc.returncode))
            rc = None
        self.proc = None
        return rc

    def kill(self):
        """kill -9: no shutdown code runs in the broker."""
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.exit_codes.append(("SIGKILL", self.proc.returncode))
        self.proc = None

    def restart(self, hard=False):
        """Stops (SIGTERM, or SIGKILL with hard=True) and starts again on the same data
        directory and the same port."""
        if hard:
            self.kill()
        else:
            self.stop()
        return self.start()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -- inspection --------------------------------------------------------------------

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_text(self, offset=0):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, offset=0, max_chars=20000):
        text = self.log_text(offset)
        if len(text) > max_chars:
            text = "...(log truncated)...\n" + text[-max_chars:]
        return f"----- runnel broker log ({self.log_path}) -----\n{text}----- end of broker log -----"

    def cluster_id(self):
        """The cluster id the broker persisted in DATA/meta.properties."""
        with open(os.path.join(self.data_dir, "meta.properties")) as f:
            for line in f:
                if line.startswith("cluster.id="):
                    return line.strip().split("=", 1)[1]
        raise AssertionError("meta.properties has no cluster.id")

    def sanitizer_reports(self):
        return [line for line in self.log_text().splitlines() if SANITIZER_PATTERNS.search(line)]


def run_tool(args, input=None, timeout=60, check=True):
    """Runs `runnel <args...>` (a console tool); returns the CompletedProcess (text)."""
    cmd = [runnel_bin()] + list(args)
    proc = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout * SLOW)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}\nstdout:\n{proc.stdout}\n"
                             f"stderr:\n{proc.stderr}")
    return proc


def run_kcat(args, input=None, timeout=60, check=True):
    cmd = ["kcat"] + list(args)
    proc = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout * SLOW)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}\nstdout:\n"
                             f"{proc.stdout.decode(errors='replace')}\nstderr:\n"
                             f"{proc.stderr.decode(errors='replace')}")
    return proc


class BrokerTestCase(unittest.TestCase):
    """One broker per test class (started in setUpClass, stopped in tearDownClass).

    On a failing test, the broker log written during that test is printed to stderr.
    tearDownClass fails the class if the broker did not exit cleanly on SIGTERM or if a
    sanitizer reported anything.
    """

    broker_overrides = {}
    broker = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.broker = RunnelBroker(overrides=cls.broker_overrides)
        try:
            cls.broker.start()
        except BaseException:
            sys.stderr.write(cls.broker.log_tail() + "\n")
            cls.broker.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        broker = cls.broker
        try:
            rc = broker.stop()
            reports = broker.sanitizer_reports()
            bad_exits = [(how, code) for how, code in broker.exit_codes if how == "SIGTERM" and code != 0
                         or how.startswith("SIGTERM timed out")]
            if reports or bad_exits:
                sys.stderr.write(broker.log_tail() + "\n")
            if reports:
                raise AssertionError("sanitizer reports in the broker log:\n" + "\n".join(reports[:20]))
            if bad_exits:
                raise AssertionError(f"broker did not exit cleanly on SIGTERM: {bad_exits} (last rc {rc})")
        finally:
            broker.cleanup()
            super().tearDownClass()

    @property
    def bootstrap(self):
        return self.broker.bootstrap

    def run(self, result=None):
        offset = self.broker.log_size() if self.broker else 0
        if result is not None:
            before = len(result.failures) + len(result.errors)
        started = time.monotonic()
        outcome = super().run(result)
        if os.environ.get("RUNNEL_E2E_TIMES"):
            sys.stderr.write(f"[{time.monotonic() - started:6.2f}s] {self.id()}\n")
        if result is not None and self.broker is not None:
            if len(result.failures) + len(result.errors) > before:
                sys.stderr.write(f"\n{self.id()} failed; {self.broker.log_tail(offset)}\n")
        return outcome

    def unique_topic(self, prefix=None):
        """A topic name unique within the class's broker."""
        cls = type(self)
        cls._topic_counter = getattr(cls, "_topic_counter", 0) + 1
        return f"{prefix or self._testMethodName}-{cls._topic_counter}"


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as an unsigned int."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail, rem = length & ~3, length % 4
    if rem == 3:
        h ^= data[tail + 2] << 16
    if rem >= 2:
        h ^= data[tail + 1] << 8
    if rem >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def java_partition(key: bytes, partitions: int) -> int:
    return (murmur2(key) & 0x7FFFFFFF) % partitions


# -- confluent_kafka helpers ----------------------------------------------------------

def admin_client(bootstrap, **extra):
    from confluent_kafka.admin import AdminClient
    conf = {"bootstrap.servers": bootstrap, "socket.timeout.ms": int(10000 * SLOW)}
    conf.update(extra)
    return AdminClient(conf)


def create_topic(bootstrap, name, partitions=1, config=None, timeout=30):
    """Creates a topic with AdminClient and waits until its partitions have leaders."""
    from confluent_kafka.admin import NewTopic
    admin = admin_client(bootstrap)
    futures = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1,
                                            config=dict(config or {}))],
                                  operation_timeout=timeout * SLOW, request_timeout=timeout * SLOW)
    futures[name].result(timeout=timeout * SLOW)
    wait_for_topic(admin, name, partitions, timeout)
    return admin


def wait_for_topic(admin, name, partitions, timeout=30):
    def ready():
        md = admin.list_topics(topic=name, timeout=5 * SLOW)
        t = md.topics.get(name)
        return (t is not None and t.error is None and len(t.partitions) == partitions
                and all(p.leader >= 0 for p in t.partitions.values()))
    wait_until(ready, timeout * SLOW, interval=0.1, what=f"topic {name} with {partitions} partitions")


def consume_all(bootstrap, topic, partitions, expected, timeout=60 * SLOW, extra=None):
    """Reads `expected` records from offset 0 of partitions 0..partitions-1 with an
    assign-mode consumer; returns them as a list of Message in arrival order. `timeout`
    is in seconds, already scaled (callers pass their SLOW-scaled bound)."""
    from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
    conf = {"bootstrap.servers": bootstrap, "group.id": "e2e-reader", "enable.auto.commit": False,
            "enable.partition.eof": False, "fetch.wait.max.ms": 100}
    conf.update(extra or {})
    consumer = Consumer(conf)
    try:
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < expected and time.monotonic() < deadline:
            batch = consumer.consume(num_messages=10000, timeout=0.5)
            for m in batch:
                if m.error():
                    raise AssertionError(f"consumer error: {m.error()}")
                out.append(m)
        # Nothing beyond `expected` may arrive.
        extra_msgs = consumer.consume(num_messages=100, timeout=0.3)
        out.extend(m for m in extra_msgs if not m.error())
        return out
    finally:
        consumer.close()
