"""Structured logging: one JSON line per request (request id, user, status, duration) and per
log record, so a log shipper can index them. Secrets never reach the log: request bodies are not
logged, and URL segments that carry a token (the calendar feed) are masked.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_SECRET_PARAMS = ("token",)
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

access_log = logging.getLogger("aoapp.access")


def request_id() -> str | None:
    """The current request's id (from X-Request-ID when well-formed, else generated)."""
    return g.get("request_id") if has_request_context() else None


def _user_id() -> int | None:
    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # outside login's reach (e.g. during a failed request setup)
        return None


def _logged_path() -> str:
    """The request path with token-carrying URL segments masked."""
    path = request.path
    for name in _SECRET_PARAMS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(str(value), "***")
    return path


class JsonFormatter(logging.Formatter):
    """Render a log record as one JSON object, with the request id and user when in a request."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.setdefault("request_id", request_id())
            entry.setdefault("user_id", _user_id())
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """Send the app's log records to stderr, as JSON lines unless LOG_FORMAT=text."""
    handler = logging.StreamHandler(sys.stderr)
    if app.config.get("LOG_FORMAT", "json") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("aoapp")
    logger.handlers = [handler]
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = False
    app.logger.handlers = [handler]
    app.logger.setLevel(logger.level)


def init_app(app: Flask) -> None:
    """Give every request an id and log one access line when it ends."""
    configure_logging(app)

    @app.before_request
    def start_request():
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        if request.endpoint != "static":
            access_log.info(
                "%s %s %s",
                request.method,
                _logged_path(),
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": _logged_path(),
                    "endpoint": request.endpoint,
                    "status": response.status_code,
                    "duration_ms": duration,
                    "remote_addr": request.remote_addr,
                },
            )
        return response
