"""Structured logging: one JSON line per request with request id, user and duration; no secrets."""

import json
import logging

import pytest

from aoapp.observability import JsonFormatter


@pytest.fixture
def lines(app):
    """The JSON lines the app's loggers write during the test."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Collect()
    logger = logging.getLogger("aoapp")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in records]
    logger.removeHandler(handler)


def _requests(entries):
    return [e for e in entries if e.get("event") == "request"]


class TestAccessLog:
    def test_each_request_logs_one_json_line_with_id_user_status_and_duration(
        self, client, auth, world, lines
    ):
        auth.login("ao.budi")
        response = client.get("/customers/")
        entry = _requests(lines())[-1]
        assert entry["method"] == "GET"
        assert entry["path"] == "/customers/"
        assert entry["status"] == 200
        assert entry["user_id"] == world.officer.id
        assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
        assert entry["request_id"] == response.headers["X-Request-ID"]
        assert len(entry["request_id"]) == 32

    def test_a_well_formed_incoming_request_id_is_kept_and_a_bad_one_replaced(self, client, lines):
        kept = client.get("/login", headers={"X-Request-ID": "proxy-1234abcd"})
        assert kept.headers["X-Request-ID"] == "proxy-1234abcd"
        replaced = client.get("/login", headers={"X-Request-ID": "bad id; with spaces"})
        assert replaced.headers["X-Request-ID"] != "bad id; with spaces"
        assert [e["request_id"] for e in _requests(lines())] == [
            "proxy-1234abcd",
            replaced.headers["X-Request-ID"],
        ]

    def test_anonymous_requests_log_no_user(self, client, lines):
        client.get("/login")
        assert _requests(lines())[-1]["user_id"] is None

    def test_passwords_never_reach_the_log(self, client, auth, world, lines):
        auth.login("ao.budi", "a-very-secret-password")
        assert "a-very-secret-password" not in json.dumps(lines())

    def test_api_tokens_never_reach_the_log(self, client, api, world, lines):
        caller = api(world.officer)
        caller.get("/api/v1/users/me")
        token = caller.headers["Authorization"].split()[1]
        assert token not in json.dumps(lines())
        assert _requests(lines())[-1]["user_id"] == world.officer.id


class TestFormatter:
    def test_log_records_outside_requests_are_json_with_extra_fields(self, app, lines):
        logging.getLogger("aoapp.imports").warning("import %s slow", 7, extra={"rows": 10})
        entry = lines()[-1]
        assert entry["message"] == "import 7 slow"
        assert entry["level"] == "warning"
        assert entry["rows"] == 10
        assert "request_id" not in entry
