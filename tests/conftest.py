"""Test fixtures: one migrated database per run (SQLite, or PostgreSQL via DATABASE_URL),
emptied after every test; users of every role; logged-in browser and API clients."""

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import settings
from itsdangerous import URLSafeTimedSerializer

from aoapp import create_app
from aoapp.extensions import db, limiter
from aoapp.funding.matched_services import forget as forget_matches
from tests.databases import empty_tables, own_database, reset_schema
from tests.support import factories
from tests.support.snapshots import KEEP_TABLES  # reference data the migrations seed: kept

pytest_plugins = ["tests.clock", "tests.support.demo", "tests.support.schema", "tests.support.smtp"]

# Property tests judge results, not speed: a loaded machine (two workers, the database, a
# browser) ran one example past Hypothesis' 200 ms deadline and failed a correct test.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The test body holds an app context of its own; without this, requests would share its
    `g` (Flask-WTF's CSRF token) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


PERMISSIVE_NUMBER = r"^[A-Za-z0-9-]+$"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, … when pytest runs with -n


def _database_url(tmp_dir: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(tmp_dir) / 'test.db'}"
    database = sa.engine.make_url(url).database or ""
    if "test" not in database:
        raise pytest.UsageError(
            f"Refusing to run the tests against database {database!r}: its name must contain 'test' "
            "(the tests drop and recreate the schema)."
        )
    if WORKER:
        url = own_database(url, WORKER)
        # Tests and the commands they start read DATABASE_URL: they get this worker's database.
        os.environ["DATABASE_URL"] = url
    return url


def _no_waiting_for_the_disk(engine: sa.Engine) -> None:
    """The test database's commits are not waited on to reach the disk (SQLite: synchronous
    OFF on each connection of the suite's own engine), and its rollback journal is kept in
    memory rather than in a file made and deleted at every commit (journal_mode MEMORY: the
    same locks, so what other connections see, and when, is unchanged). Only a crash could lose
    a commit or spoil the file, and the database is thrown away after the run anyway; the
    processes a test starts keep the default journal. The suite commits thousands of times:
    each fsync left the CPUs idle, and the journal files cost a fifth of the time of the tests
    that write most (tests/credit, followups, funding and prospects: 60–63 s, then 49–51 s).
    PostgreSQL's test databases get the same (tests/databases.py: reset_schema)."""
    if engine.dialect.name != "sqlite":
        return

    def no_sync(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()

    sa.event.listen(engine, "connect", no_sync)
    engine.dispose()  # connections made before the listener get it too


@pytest.fixture(scope="session")
def app():
    """The application on a freshly migrated database."""
    import flask_migrate

    with tempfile.TemporaryDirectory() as tmp_dir:
        url = _database_url(tmp_dir)
        reset_schema(url)
        application = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "EXPORTS_DIR": str(Path(tmp_dir) / "exports"),
                "IMPORTS_UPLOAD_DIR": str(Path(tmp_dir) / "uploads"),
                "MEDIA_DIR": str(Path(tmp_dir) / "media"),  # visit photos
                "IMPORTS_RUN_INLINE": True,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "SERVER_NAME": "localhost",
                "DEFAULT_LOCALE": "en",  # assertions read English; tests/i18n switch languages
                # Test data names customers "CIF1" and accounts "0013001": any letters, digits
                # and dashes. tests/common/test_bank_numbers.py runs with the bank's defaults.
                "CIF_PATTERN": PERMISSIVE_NUMBER,
                "ACCOUNT_PATTERN": PERMISSIVE_NUMBER,
                # Counts in this process (not on a Redis other test runs share);
                # tests/concurrency/test_rate_limits_across_workers.py counts on Redis.
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        application.test_client_class = FreshContextClient
        with application.app_context():
            _no_waiting_for_the_disk(db.engine)
        # Rate limits are installed but off: the suite logs in hundreds of times from one
        # address. tests/auth/test_rate_limits.py switches them on.
        limiter.enabled = False
        with application.app_context():
            flask_migrate.upgrade()
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _db_session(app):
    """Each test runs in an app context and leaves the settings as they were and every table empty."""
    # Any create_app() (tests/test_app.py, the fuzz module) switches the shared limiter back on.
    limiter.enabled = False
    settings = dict(app.config)  # a test that changes a setting changes it for itself only
    with app.app_context():
        yield
        app.config.clear()
        app.config.update(settings)
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as connection:
            empty_tables(connection, tables)
        shutil.rmtree(settings["MEDIA_DIR"], ignore_errors=True)  # the photos stored, with them
        forget_matches()  # kept from tables now emptied without their journal


@pytest.fixture
def client(app):
    """A browser-like client (cookies kept, CSRF enforced)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The `flask` command runner."""
    return app.test_cli_runner()


@pytest.fixture
def world():
    """Two branches; an admin, a supervisor of JKT01, two officers in JKT01, one in BDG01."""
    return factories.make_world()


class AuthActions:
    """Log a test client in and out, and post forms with the session's CSRF token."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = factories.PASSWORD):
        return self._client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": self.csrf_token()},
        )

    def csrf_token(self) -> str:
        """The session's CSRF token, as its forms carry it: what Flask-WTF's `generate_csrf`
        puts in a page, made without rendering one (a page cost ~20 ms per post; the forms'
        own tokens are read from their pages in tests/auth and the browser tests)."""
        with self._client.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        secret = self._client.application.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with a valid CSRF token."""
        payload = dict(data or {})
        payload["csrf_token"] = self.csrf_token()
        return self._client.post(url, data=payload, **kwargs)

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def auth(client):
    """Login/logout helper bound to `client`."""
    return AuthActions(client)


class ApiClient:
    """Calls the JSON API with a bearer token."""

    def __init__(self, client, token: str):
        self._client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method):
        def call(url, **kwargs):
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self._client, method)(url, headers=headers, **kwargs)

        return call


@pytest.fixture
def api(app):
    """`api(user)` returns a client that authenticates as `user` with a fresh token."""

    def make(user):
        return ApiClient(app.test_client(), factories.make_token(user))

    return make


def pytest_terminal_summary(terminalreporter):
    """Say in one line why the browser tests did not run, and how to run them."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "/e2e/" in r.nodeid]
    if not skipped:
        return
    reason = skipped[0].longrepr[2] if isinstance(skipped[0].longrepr, tuple) else "skipped"
    reason = reason.removeprefix("Skipped: ")
    terminalreporter.write_line(
        f"{len(skipped)} browser tests skipped ({reason}): `make browser` installs Debian's "
        "chromium, then `make test` runs them too (`make e2e` runs only them).",
        yellow=True,
        bold=True,
    )
