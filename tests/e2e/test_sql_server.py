"""The SQL server end to end: `runnel server` with its REST API (ksqlDB's /ksql, /query,
/query-stream, /info, /healthcheck), the command topic surviving a restart, and the
`runnel sql` shell (-e, -f) - against the embedded broker, with real HTTP."""

import json
import os
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from runnel_fixture import HOST, SLOW, BrokerTestCase, free_port, run_tool, runnel_bin, wait_until

SQL_PORT = free_port()
BOOK = os.environ.get("RUNNEL_BOOK_TUTORIALS",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "book-tutorials"))


def http(method, path, body=None, headers=None, timeout=30, port=None):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    request = urllib.request.Request(f"http://{HOST}:{port or SQL_PORT}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout * SLOW) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def ksql(statements, properties=None):
    status, body = http("POST", "/ksql", {"ksql": statements, "streamsProperties": properties or {}})
    return status, json.loads(body)


def sql_shell(*args, timeout=60):
    return subprocess.run([runnel_bin(), "sql", f"http://{HOST}:{SQL_PORT}", *args], capture_output=True,
                          text=True, timeout=timeout * SLOW)


class SqlServerTest(BrokerTestCase):
    broker_overrides = {
        "ksql.enabled": "true",
        "ksql.listeners": f"http://{HOST}:{SQL_PORT}",
        "group.initial.rebalance.delay.ms": "0",
        "ksql.streams.session.timeout.ms": "6000",
        "ksql.streams.heartbeat.interval.ms": "500",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wait_until(lambda: "SQL server listening" in cls.broker.log_text(), 30 * SLOW, what="the SQL server")

    def push_query(self, sql, rows_expected, timeout=60):
        """Runs a push query through /query-stream (delimited) and returns its rows."""
        request = urllib.request.Request(
            f"http://{HOST}:{SQL_PORT}/query-stream",
            data=json.dumps({"sql": sql, "properties": {"auto.offset.reset": "earliest"}}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/vnd.ksqlapi.delimited.v1"},
            method="POST")
        with urllib.request.urlopen(request, timeout=timeout * SLOW) as response:
            self.assertEqual(response.status, 200)
            lines = response.read().decode().splitlines()
        metadata = json.loads(lines[0])
        rows = [json.loads(line) for line in lines[1:] if line]
        self.assertEqual(len(rows), rows_expected, lines)
        return metadata, rows

    def test_info_and_healthcheck(self):
        status, body = http("GET", "/info")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["KsqlServerInfo"]["ksqlServiceId"], "default_")
        status, body = http("GET", "/healthcheck")
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(body)["isHealthy"])

    def test_bad_requests_get_error_bodies(self):
        status, body = http("POST", "/ksql", b"{not json")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["@type"], "generic_error")
        status, body = ksql("CREATE STREM oops (a INT) WITH (kafka_topic='x', value_format='json');")
        self.assertEqual(status, 400)
        self.assertEqual(body["@type"], "statement_error")
        self.assertEqual(body["error_code"], 40001)
        self.assertIn("Syntax Error", body["message"])
        status, body = ksql("DESCRIBE no_such_stream;")
        self.assertEqual(status, 400)
        self.assertIn("NO_SUCH_STREAM", body["message"])
        status, body = http("GET", "/no-such-endpoint")
        self.assertEqual(status, 404)

    def test_persistent_query_push_query_and_show(self):
        status, body = ksql(
            "CREATE STREAM pageviews (user_id VARCHAR KEY, page VARCHAR, duration INT) "
            "WITH (kafka_topic='pageviews', value_format='JSON', partitions=2);"
            "CREATE STREAM long_views AS SELECT user_id, UCASE(page) AS page, duration FROM pageviews "
            "WHERE duration > 10 EMIT CHANGES;"
            "CREATE TABLE views_per_user AS SELECT user_id, COUNT(*) AS views FROM pageviews GROUP BY user_id;")
        self.assertEqual(status, 200, body)
        self.assertEqual([entity["commandStatus"]["message"] for entity in body][0], "Stream created")
        self.assertTrue(body[1]["commandStatus"]["queryId"].startswith("CSAS_LONG_VIEWS_"))
        self.assertTrue(body[2]["commandStatus"]["queryId"].startswith("CTAS_VIEWS_PER_USER_"))
        status, body = ksql("INSERT INTO pageviews VALUES ('alice', 'home', 5);"
                            "INSERT INTO pageviews VALUES ('alice', 'news', 30);"
                            "INSERT INTO pageviews VALUES ('bob', 'shop', 12);")
        self.assertEqual(status, 200, body)

        metadata, rows = self.push_query("SELECT * FROM long_views EMIT CHANGES LIMIT 2;", 2)
        self.assertEqual(metadata["columnNames"], ["USER_ID", "PAGE", "DURATION"])
        self.assertEqual(sorted(rows), [["alice", "NEWS", 30], ["bob", "SHOP", 12]])
        # The table's updates stream until alice's second view shows (record caching may
        # fold her first into it).
        request = urllib.request.Request(
            f"http://{HOST}:{SQL_PORT}/query-stream",
            data=json.dumps({"sql": "SELECT user_id, views FROM views_per_user EMIT CHANGES;",
                             "properties": {"auto.offset.reset": "earliest"}}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/vnd.ksqlapi.delimited.v1"},
            method="POST")
        with urllib.request.urlopen(request, timeout=60 * SLOW) as response:
            metadata = json.loads(response.readline())
            self.assertEqual(metadata["columnNames"], ["USER_ID", "VIEWS"])
            rows = []
            while ["alice", 2] not in rows:
                rows.append(json.loads(response.readline()))
        self.assertLessEqual(len(rows), 3, rows)

        status, body = ksql("SHOW STREAMS; SHOW TABLES; SHOW QUERIES; DESCRIBE long_views;")
        self.assertEqual(status, 200, body)
        self.assertIn("LONG_VIEWS", [s["name"] for s in body[0]["streams"]])
        self.assertEqual([t["name"] for t in body[1]["tables"]], ["VIEWS_PER_USER"])
        self.assertEqual(len(body[2]["queries"]), 2)
        fields = {f["name"]: f["schema"]["type"] for f in body[3]["sourceDescription"]["fields"]}
        self.assertEqual(fields, {"USER_ID": "STRING", "PAGE": "STRING", "DURATION": "INTEGER"})

    def test_query_endpoint_frames_rows_as_ksqldb(self):
        status, body = ksql("CREATE STREAM clicks (id INT KEY, url VARCHAR) "
                            "WITH (kafka_topic='clicks', value_format='JSON', partitions=1);"
                            "INSERT INTO clicks (id, url) VALUES (1, 'a');")
        self.assertEqual(status, 200, body)
        status, body = http("POST", "/query", {"ksql": "SELECT url FROM clicks EMIT CHANGES LIMIT 1;",
                                               "streamsProperties": {"auto.offset.reset": "earliest"}},
                            timeout=60)
        self.assertEqual(status, 200, body)
        framed = json.loads(body)
        self.assertEqual(framed[0]["header"]["schema"], "`URL` STRING")
        self.assertEqual(framed[1], {"row": {"columns": ["a"]}})
        self.assertEqual(framed[-1], {"finalMessage": "Limit Reached"})

    def test_pull_queries_read_tables_by_key_and_by_scan(self):
        status, body = ksql("CREATE STREAM views (user VARCHAR KEY, page VARCHAR) "
                            "WITH (kafka_topic='views', value_format='JSON', partitions=2);"
                            "CREATE TABLE view_counts AS SELECT user, COUNT(*) AS n FROM views GROUP BY user;"
                            "INSERT INTO views (user, page) VALUES ('ann', 'a');"
                            "INSERT INTO views (user, page) VALUES ('ann', 'b');"
                            "INSERT INTO views (user, page) VALUES ('bob', 'a');")
        self.assertEqual(status, 200, body)

        def pull(sql):
            status, body = http("POST", "/query", {"ksql": sql, "streamsProperties": {}}, timeout=30)
            self.assertEqual(status, 200, body)
            return json.loads(body)

        wait_until(lambda: pull("SELECT * FROM view_counts WHERE user = 'ann';")[1:] == [{"row": {"columns": ["ann", 2]}}],
                   60 * SLOW, what="ann's two views in the table")
        framed = pull("SELECT * FROM view_counts WHERE user = 'ann';")
        self.assertEqual(framed[0]["header"]["schema"], "`USER` STRING KEY, `N` BIGINT")
        scanned = pull("SELECT user, n FROM view_counts;")
        self.assertEqual(sorted(row["row"]["columns"][0] for row in scanned[1:]), ["ann", "bob"])
        status, body = http("POST", "/query-stream", {"sql": "SELECT n FROM view_counts WHERE user IN ('bob');",
                                                      "properties": {}}, timeout=30)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)[1:], [[1]])
        status, body = ksql("CREATE TABLE plain_t (id INT PRIMARY KEY, v INT) "
                            "WITH (kafka_topic='plain_t', value_format='JSON', partitions=1);")
        self.assertEqual(status, 200, body)
        status, body = http("POST", "/query", {"ksql": "SELECT * FROM plain_t WHERE id = 1;"}, timeout=30)
        self.assertEqual(status, 400, body)
        self.assertIn("The `PLAIN_T` table isn't queryable", json.loads(body)["message"])

    def test_statements_describe_function_explain_pause_resume_and_alter(self):
        status, body = ksql("DESCRIBE FUNCTION substring;")
        self.assertEqual(status, 200, body)
        self.assertEqual(body[0]["@type"], "describe_function")
        self.assertEqual((body[0]["name"], body[0]["type"]), ("SUBSTRING", "SCALAR"))
        self.assertEqual(body[0]["functions"][0]["arguments"][0],
                         {"name": "str", "type": "VARCHAR", "description": "", "isVariadic": False})
        status, body = ksql("DESCRIBE FUNCTION no_such_fn;")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["message"], "Can't find any functions with the name 'NO_SUCH_FN'")

        status, body = ksql("CREATE STREAM stmts_in (id INT KEY, v INT) "
                            "WITH (kafka_topic='stmts_in', value_format='JSON', partitions=1);"
                            "CREATE STREAM stmts_out AS SELECT id, v FROM stmts_in;")
        self.assertEqual(status, 200, body)
        query_id = body[1]["commandStatus"]["queryId"]

        status, body = ksql(f"EXPLAIN {query_id};")
        self.assertEqual(status, 200, body)
        self.assertEqual(body[0]["@type"], "queryDescription")
        described = body[0]["queryDescription"]
        self.assertEqual((described["id"], described["sources"], described["sinks"], described["state"]),
                         (query_id, ["STMTS_IN"], ["STMTS_OUT"], "RUNNING"))
        self.assertTrue(described["executionPlan"].startswith(" > [ SINK ]"), described["executionPlan"])
        self.assertIn("Sub-topology", described["topology"])
        status, body = ksql("EXPLAIN NO_SUCH_QUERY;")
        self.assertEqual(status, 400, body)
        self.assertIn("does not exist, use SHOW QUERIES", body["message"])

        status, body = ksql(f"PAUSE {query_id};")
        self.assertEqual((status, body[0]["commandStatus"]["message"]), (200, "Query paused."), body)
        status, body = ksql("SHOW QUERIES;")
        self.assertEqual({q["id"]: q["state"] for q in body[0]["queries"]}[query_id], "PAUSED")
        status, body = ksql("INSERT INTO stmts_in (id, v) VALUES (1, 10);")
        self.assertEqual(status, 200, body)
        status, body = ksql(f"RESUME {query_id};")
        self.assertEqual((status, body[0]["commandStatus"]["message"]), (200, "Query resumed."), body)
        _, rows = self.push_query("SELECT id, v FROM stmts_out EMIT CHANGES LIMIT 1;", 1)
        self.assertEqual(rows, [[1, 10]])

        status, body = ksql("ALTER STREAM stmts_in ADD COLUMN note STRING; DESCRIBE stmts_in;")
        self.assertEqual(status, 200, body)
        self.assertEqual(body[0]["commandStatus"]["message"], "Stream STMTS_IN altered.")
        self.assertEqual([f["name"] for f in body[1]["sourceDescription"]["fields"]], ["ID", "V", "NOTE"])
        status, body = ksql("ALTER STREAM stmts_out ADD COLUMN note STRING;")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["message"], "ALTER command is not supported for CREATE ... AS statements.")

    def test_sql_shell_runs_statements_and_reports_errors(self):
        result = sql_shell("-e", "CREATE STREAM shell_s (v INT) WITH (kafka_topic='shell_s', value_format='JSON', "
                           "partitions=1); SHOW STREAMS;")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Stream created", result.stdout)
        self.assertIn("SHELL_S", result.stdout)
        result = sql_shell("-e", "SELEKT 1;")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Syntax Error", result.stdout + result.stderr)
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
            script.write("DEFINE topic_name = 'shell_defined';\n"
                         "CREATE STREAM shell_d (v INT) WITH (kafka_topic='${topic_name}', value_format='JSON', "
                         "partitions=1);\nDESCRIBE shell_d;\n")
        try:
            result = sql_shell("-f", script.name)
        finally:
            os.unlink(script.name)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Name                 : SHELL_D", result.stdout)

    def test_y_second_server_follows_the_command_topic(self):
        port = free_port()
        state = tempfile.mkdtemp(prefix="runnel-sql2-")
        log_path = os.path.join(state, "server.log")
        with open(log_path, "wb") as log:
            second = subprocess.Popen(
                [runnel_bin(), "server", "--bootstrap-server", self.broker.bootstrap,
                 "--override", f"ksql.listeners=http://{HOST}:{port}",
                 "--override", f"ksql.streams.state.dir={state}/state"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            wait_until(lambda: "SQL server listening" in open(log_path).read(), 30 * SLOW, what="the second server")

            def shown(sql_port, what):
                status, body = http("POST", "/ksql", {"ksql": f"SHOW {what};"}, port=sql_port)
                return [item.get("name") or item.get("id") for item in json.loads(body)[0][what.lower()]] \
                    if status == 200 else []

            # What the first server runs, the second learns from the command topic and runs too.
            status, body = ksql("CREATE STREAM followed (id INT KEY, v INT) "
                                "WITH (kafka_topic='followed', value_format='JSON', partitions=2);"
                                "CREATE TABLE followed_counts AS SELECT id, COUNT(*) AS n FROM followed GROUP BY id;")
            self.assertEqual(status, 200, body)
            wait_until(lambda: "FOLLOWED" in shown(port, "STREAMS"), 30 * SLOW, what="the stream on the second server")
            wait_until(lambda: any(q.startswith("CTAS_FOLLOWED_COUNTS") for q in shown(port, "QUERIES")),
                       30 * SLOW, what="the query on the second server")
            # And the other way round.
            status, body = http("POST", "/ksql", {"ksql": "CREATE STREAM from_second (v INT) WITH "
                                                          "(kafka_topic='from_second', value_format='JSON', "
                                                          "partitions=1);"}, port=port)
            self.assertEqual(status, 200, body)
            wait_until(lambda: "FROM_SECOND" in shown(SQL_PORT, "STREAMS"), 30 * SLOW,
                       what="the second server's stream on the first")
        finally:
            second.terminate()
            second.wait(timeout=60)

    def test_print_topic_from_beginning_with_limit(self):
        status, body = ksql("CREATE STREAM print_s (id VARCHAR KEY, v INT) "
                            "WITH (kafka_topic='print_s', value_format='JSON', partitions=1);"
                            "INSERT INTO print_s (id, v, ROWTIME) VALUES ('a', 1, 1612778400000);"
                            "INSERT INTO print_s (id, v, ROWTIME) VALUES ('b', 2, 1612778400005);")
        self.assertEqual(status, 200, body)
        expected = ["Key format: KAFKA_STRING",
                    "Value format: JSON or KAFKA_STRING",
                    'rowtime: 2021/02/08 10:00:00.000 Z, key: a, value: {"V":1}, partition: 0',
                    'rowtime: 2021/02/08 10:00:00.005 Z, key: b, value: {"V":2}, partition: 0']
        for path, member in (("/query", "ksql"), ("/query-stream", "sql")):
            status, body = http("POST", path, {member: "PRINT print_s FROM BEGINNING LIMIT 2;"})
            self.assertEqual(status, 200, body)
            self.assertEqual([line for line in body.splitlines() if line], expected)
        status, body = http("POST", "/query", {"ksql": "PRINT print_s FROM BEGINNING INTERVAL 2 LIMIT 1;"})
        self.assertEqual([line for line in body.splitlines() if line.startswith("rowtime")], expected[2:3])
        result = sql_shell("-e", "PRINT print_s FROM BEGINNING LIMIT 1;")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.splitlines(), expected[:3])
        status, body = http("POST", "/query", {"ksql": "PRINT PRINT_S;"})
        self.assertEqual(status, 400, body)
        self.assertEqual(json.loads(body)["message"],
                         "Could not find topic 'PRINT_S', or the KSQL user does not have permissions to list the "
                         "topic. Topic names are case-sensitive.")

    def test_inserts_stream_acks_rows_then_a_push_query_reads_them(self):
        status, body = ksql("CREATE STREAM ins_s (id VARCHAR KEY, v INT, name VARCHAR) "
                            "WITH (kafka_topic='ins_s', value_format='JSON', partitions=1);"
                            "CREATE TABLE ins_t (id VARCHAR PRIMARY KEY, v INT) "
                            "WITH (kafka_topic='ins_t', value_format='JSON', partitions=1);")
        self.assertEqual(status, 200, body)
        rows = ['{"target":"ins_s"}', '{"ID":"k1","v":1,"Name":"x"}', '{"id":"k2","v":"not a number"}',
                '{"id":"k3","v":3}']
        status, body = http("POST", "/inserts-stream", ("\n".join(rows) + "\n").encode())
        self.assertEqual(status, 200, body)
        acks = [json.loads(line) for line in body.splitlines()]
        self.assertEqual([ack["status"] for ack in acks], ["ok", "error", "ok"], acks)
        self.assertEqual([ack["seq"] for ack in acks], [0, 1, 2])
        self.assertEqual(acks[1]["errorCode"], 40000)
        _, read = self.push_query("SELECT id, v, name FROM ins_s EMIT CHANGES LIMIT 2;", 2)
        self.assertEqual(read, [["k1", 1, "x"], ["k3", 3, None]])
        # A line that is not JSON ends the stream.
        status, body = http("POST", "/inserts-stream", b'{"target":"ins_s"}\n{oops\n{"id":"k4"}\n')
        self.assertEqual([json.loads(line) for line in body.splitlines()],
                         [{"status": "error", "seq": 0, "errorCode": 40000,
                           "message": "Invalid JSON in inserts stream"}])
        status, body = http("POST", "/inserts-stream", b'{"target":"nope"}\n')
        self.assertEqual(status, 400, body)
        self.assertEqual(json.loads(body)["message"], "Cannot insert values into an unknown stream: `NOPE`")
        status, body = http("POST", "/inserts-stream", b'{"target":"ins_t"}\n')
        self.assertEqual(status, 400, body)
        self.assertEqual(json.loads(body)["message"], "Cannot insert into a table")
        self.assertEqual(ksql("DROP TABLE ins_t;")[0], 200)  # other tests count the tables

    def test_status_reports_each_catalog_command(self):
        status, body = ksql("CREATE STREAM status_s (v INT) "
                            "WITH (kafka_topic='status_s', value_format='JSON', partitions=1);"
                            "CREATE STREAM status_copy AS SELECT * FROM status_s;")
        self.assertEqual(status, 200, body)
        query_id = body[1]["commandStatus"]["queryId"]
        status, body = http("GET", "/status")
        self.assertEqual(status, 200, body)
        statuses = json.loads(body)["commandStatuses"]
        self.assertEqual(statuses["stream/`STATUS_S`/create"], "SUCCESS")
        self.assertEqual(statuses["stream/`STATUS_COPY`/create"], "SUCCESS")
        status, body = http("GET", "/status/stream/%60STATUS_S%60/create")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"status": "SUCCESS", "message": "Stream created", "queryId": None})
        status, body = http("GET", "/status/stream/%60STATUS_COPY%60/create")
        self.assertEqual(json.loads(body)["queryId"], query_id)
        status, body = http("GET", "/status/stream/NOPE/create")
        self.assertEqual(status, 404, body)
        self.assertEqual(json.loads(body)["message"], "Command not found")

    def test_z_catalog_and_queries_survive_a_restart(self):
        status, body = ksql("CREATE STREAM orders (id INT KEY, amount DOUBLE) "
                            "WITH (kafka_topic='orders', value_format='JSON', partitions=1);"
                            "CREATE STREAM big_orders AS SELECT id, amount FROM orders WHERE amount > 100;")
        self.assertEqual(status, 200, body)
        self.broker.restart()
        wait_until(lambda: self.broker.log_text().count("SQL server listening") >= 2, 30 * SLOW,
                   what="the SQL server after the restart")
        status, body = ksql("SHOW STREAMS; SHOW QUERIES;")
        self.assertEqual(status, 200, body)
        self.assertIn("BIG_ORDERS", [s["name"] for s in body[0]["streams"]])
        self.assertIn("BIG_ORDERS", [q["sinks"][0] for q in body[1]["queries"]])
        # The replayed query still runs: a new order reaches the sink.
        status, body = ksql("INSERT INTO orders VALUES (7, 250.0);")
        self.assertEqual(status, 200, body)
        _, rows = self.push_query("SELECT id, amount FROM big_orders EMIT CHANGES LIMIT 1;", 1)
        self.assertEqual(rows, [[7, 250.0]])


class NetflixScriptTest(BrokerTestCase):
    """Chapter 11's Netflix script (AVRO replaced by JSON) through `runnel sql -f`."""

    broker_overrides = dict(SqlServerTest.broker_overrides)

    @classmethod
    def setUpClass(cls):
        global SQL_PORT
        cls.saved_port = SQL_PORT
        SQL_PORT = free_port()
        cls.broker_overrides = dict(cls.broker_overrides, **{"ksql.listeners": f"http://{HOST}:{SQL_PORT}"})
        super().setUpClass()
        wait_until(lambda: "SQL server listening" in cls.broker.log_text(), 30 * SLOW, what="the SQL server")

    @classmethod
    def tearDownClass(cls):
        global SQL_PORT
        super().tearDownClass()
        SQL_PORT = cls.saved_port

    def test_init_script_then_season_length_changes(self):
        init = os.path.join(BOOK, "chapter-11", "files", "sql", "init.sql")
        if not os.path.exists(init):
            self.skipTest(f"the book's tutorials are not at {BOOK}")
        with open(init) as source, tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
            script.write(source.read().replace("'AVRO'", "'JSON'"))
        try:
            result = sql_shell("-f", script.name)
        finally:
            os.unlink(script.name)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        result = sql_shell("-e", "SET 'auto.offset.reset'='earliest';"
                                 "SELECT * FROM season_length_changes EMIT CHANGES LIMIT 1;", "-o", "JSON")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("[")]
        self.assertEqual(rows, [[None, 1, 1, 12, 8, "2021-02-08 10:00:00"]])
        result = sql_shell("-e", "PRINT production_changes FROM BEGINNING LIMIT 1;")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        lines = result.stdout.splitlines()
        # Its rows have no key: ksqlDB cannot tell the key format.
        self.assertEqual(lines[:2], ["Key format: \u00af\\_(\u30c4)_/\u00af - no data processed",
                                     "Value format: JSON or KAFKA_STRING"])
        self.assertRegex(lines[2], r'^rowtime: \d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{3} Z, key: <null>, value: \{"UUID":1,.*\}, '
                                   r'partition: [0-3]$')
        result = sql_shell("-e", "SHOW STREAMS; DESCRIBE season_length_changes;")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("SEASON_LENGTH_CHANGES", result.stdout)
        self.assertIn("OLD_EPISODE_COUNT", result.stdout)


if __name__ == "__main__":
    unittest.main()
