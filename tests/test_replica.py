"""DATABASE_REPLICA_URL: the dashboards' and report generation's reads go to the replica engine,
everything written to the primary; unset, nothing changes; an unreachable replica is skipped.

The replica here is the test database itself through a second URL that differs only in its
`application_name`: the same rows, so the figures must not change, and every statement is
counted on the engine that ran it (SQLAlchemy's cursor events). PostgreSQL only where a replica
is set: SQLite refuses the setting at start, which is tested on both.
"""

import logging
import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from aoapp import create_app
from aoapp.auth.models import Branch, User
from aoapp.common import replica
from aoapp.common.background import started
from aoapp.common.replica import reading_from_replica
from aoapp.dashboards.services import officer_dashboard, team_dashboard
from aoapp.extensions import db, limiter
from aoapp.reports.models import Report
from aoapp.reports.services import generate_customer_reports, generate_portfolio_reports
from tests.support.credit import AS_OF, make_book
from tests.support.dashboards import PERIOD, dashboard_book

REPLICA_NAME = "aoapp-replica-test"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
FIGURES = re.compile(r"\bpositions\b")  # the figures' table: read by dashboards and reports


def _replica_app(app, url: str):
    """Another app on the test database, with DATABASE_REPLICA_URL (PostgreSQL only)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a replica is PostgreSQL's (SQLite refuses the setting: tested below)")
    application = create_app(_settings(app, DATABASE_REPLICA_URL=url))
    limiter.enabled = False
    return application


def _dispose(application) -> None:
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


def _settings(app, **changes) -> dict:
    """The test app's settings with `changes`: another app on the same database."""
    return {key: value for key, value in app.config.items() if key.isupper()} | changes


def _app_name_url(url: str, name: str) -> str:
    return (
        sa.engine.make_url(url)
        .update_query_dict({"application_name": name})
        .render_as_string(hide_password=False)
    )


@pytest.fixture(scope="module")
def replica_app(app):
    """The app with DATABASE_REPLICA_URL: the test database under another application_name."""
    url = _app_name_url(app.config["SQLALCHEMY_DATABASE_URI"], REPLICA_NAME)
    application = _replica_app(app, url)
    yield application
    _dispose(application)


@pytest.fixture
def down_app(app):
    """The app with a replica nobody answers at (a closed port)."""
    application = _replica_app(app, "postgresql+psycopg://nobody@127.0.0.1:1/replica")
    yield application
    _dispose(application)


@contextmanager
def counted():
    """{'primary': [...], 'replica': [...]}: the statements each engine of the current app ran."""
    seen: dict[str, list[str]] = {"primary": [], "replica": []}
    engines = {"primary": db.engines[None], "replica": db.engines.get(replica.BIND)}
    listeners = {}
    for name, engine in engines.items():
        if engine is None:
            continue

        def record(_conn, _cursor, statement, *_args, name=name):
            seen[name].append(statement)

        listeners[name] = (engine, record)
        sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine, record in listeners.values():
            sa.event.remove(engine, "before_cursor_execute", record)


def app_name() -> str:
    """The application_name of the connection the session reads on."""
    return db.session.scalar(sa.text("SELECT current_setting('application_name')"))


class TestDashboards:
    def test_the_figures_are_read_on_the_replica_and_equal_the_primarys(self, replica_app, world):
        book = dashboard_book(world)
        expected_officer = officer_dashboard(world.officer, world.officer.id, PERIOD, book.today)
        expected_team = team_dashboard(world.supervisor, None, PERIOD, today=book.today)
        with replica_app.app_context():
            officer = db.session.get(User, world.officer.id)
            supervisor = db.session.get(User, world.supervisor.id)
            with counted() as seen:
                mine = officer_dashboard(officer, officer.id, PERIOD, today=book.today)
                team = team_dashboard(supervisor, None, PERIOD, today=book.today)
        assert seen["primary"] == []
        assert len([s for s in seen["replica"] if FIGURES.search(s)]) >= 4
        assert mine.portfolio == expected_officer.portfolio
        assert mine.kpis == expected_officer.kpis and mine.trend == expected_officer.trend
        assert team.officers == expected_team.officers and team.totals == expected_team.totals
        assert team.migration == expected_team.migration

    def test_the_page_logs_in_on_the_primary_and_reads_its_figures_on_the_replica(
        self, replica_app, world
    ):
        dashboard_book(world)
        client = replica_app.test_client()
        with client.session_transaction() as cookie:
            cookie["_user_id"] = f"{world.supervisor.id}.{world.supervisor.session_epoch}"
            cookie["_fresh"] = True
        with replica_app.app_context(), counted() as seen:
            response = client.get(f"/dashboard/team?period={PERIOD}")
        assert response.status_code == 200
        assert any("FROM users" in s for s in seen["primary"])  # who is asking: the primary
        assert not any(FIGURES.search(s) for s in seen["primary"])
        assert any(FIGURES.search(s) for s in seen["replica"])


class TestReports:
    def test_figures_on_the_replica_rows_on_the_primary(self, replica_app, world, tmp_path):
        make_book(world)
        with replica_app.app_context():
            exports, replica_app.config["EXPORTS_DIR"] = replica_app.config["EXPORTS_DIR"], tmp_path
            try:
                with counted() as seen:
                    customers = generate_customer_reports(None, f"{AS_OF:%Y-%m}")
                    portfolios = generate_portfolio_reports(f"{AS_OF:%Y-%m}")
            finally:
                replica_app.config["EXPORTS_DIR"] = exports
            rows = db.session.scalar(sa.select(sa.func.count()).select_from(Report))
        assert customers.generated == 5 and not customers.failed
        assert portfolios.generated >= 4 and not portfolios.failed
        assert rows == customers.generated + portfolios.generated
        assert not any(WRITES.match(s) for s in seen["replica"])
        assert [s for s in seen["primary"] if WRITES.match(s)]  # the report rows
        assert all("reports" in s for s in seen["primary"] if WRITES.match(s))
        assert not any(FIGURES.search(s) for s in seen["primary"])
        assert any(FIGURES.search(s) for s in seen["replica"])


class TestRouting:
    def test_a_block_reads_on_the_replica_and_writes_on_the_primary(self, replica_app, world):
        with replica_app.app_context():
            primary = app_name()
            with reading_from_replica():
                assert app_name() == REPLICA_NAME
                db.session.add(Branch(code="SBY01", name="Surabaya"))
                db.session.flush()  # a write: to the primary, and the reads follow it there
                assert app_name() == primary
                assert db.session.scalar(sa.select(Branch.id).where(Branch.code == "SBY01"))
            db.session.rollback()
            with reading_from_replica():
                assert app_name() == REPLICA_NAME  # a new transaction: nothing of its own
            assert app_name() == primary

    def test_a_transaction_that_wrote_reads_its_own_rows_on_the_primary(self, replica_app, world):
        with replica_app.app_context():
            primary = app_name()
            db.session.add(Branch(code="SBY01", name="Surabaya"))  # pending, not flushed
            with reading_from_replica():
                assert db.session.scalar(sa.select(Branch.id).where(Branch.code == "SBY01"))
                assert app_name() == primary
            db.session.execute(sa.update(User).where(User.id == -1).values(full_name="x"))
            with reading_from_replica():
                assert app_name() == primary
            db.session.rollback()

    def test_the_block_ends_its_reads_so_a_commit_is_the_primarys_alone(self, replica_app, world):
        commits = []
        with replica_app.app_context():
            listeners = [
                (db.engines[key], lambda _conn, name=name: commits.append(name))
                for key, name in ((None, "primary"), (replica.BIND, "replica"))
            ]
            for engine, listener in listeners:
                sa.event.listen(engine, "commit", listener)
            try:
                with reading_from_replica():
                    assert app_name() == REPLICA_NAME
                assert not db.session().in_transaction()  # the block's reads ended with it
                commits.clear()
                db.session.add(Branch(code="SBY01", name="Surabaya"))
                db.session.commit()
            finally:
                for engine, listener in listeners:
                    sa.event.remove(engine, "commit", listener)
        assert commits == ["primary"]

    def test_background_work_reads_where_its_caller_reads(self, replica_app, world):
        with replica_app.app_context():
            primary = app_name()
            with reading_from_replica():
                inside = started(app_name)
                assert inside() == REPLICA_NAME
            assert started(app_name)() == primary

    def test_the_health_check_names_the_replica(self, replica_app, down_app):
        assert replica_app.test_client().get("/healthz").json == {
            "status": "ok",
            "database": "ok",
            "replica": "ok",
        }
        response = down_app.test_client().get("/healthz")
        assert response.status_code == 200  # the app reads on the primary meanwhile
        assert response.json["replica"] == "unreachable"


class TestUnreachableReplica:
    def test_reads_fall_back_to_the_primary_with_a_warning(self, down_app, world, caplog):
        book = dashboard_book(world)
        expected = officer_dashboard(world.officer, world.officer.id, PERIOD, book.today)
        with down_app.app_context(), caplog.at_level(logging.WARNING, "aoapp.common.replica"):
            officer = db.session.get(User, world.officer.id)
            with counted() as seen:
                first = officer_dashboard(officer, officer.id, PERIOD, today=book.today)
                again = officer_dashboard(officer, officer.id, PERIOD, today=book.today)
        assert first.portfolio == expected.portfolio and again.kpis == expected.kpis
        assert any(FIGURES.search(s) for s in seen["primary"]) and seen["replica"] == []
        warnings = [r for r in caplog.records if "replica unreachable" in r.getMessage()]
        assert len(warnings) == 1  # then left alone for RETRY_SECONDS: no wait on each view

    def test_it_is_tried_again_after_the_pause(self, down_app, world, caplog):
        with down_app.app_context(), caplog.at_level(logging.WARNING, "aoapp.common.replica"):
            for _ in range(2):
                down_app.extensions["aoapp-replica"].down_until = 0  # the pause is over
                with reading_from_replica():
                    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) > 0
        assert len([r for r in caplog.records if "replica unreachable" in r.getMessage()]) == 2


class TestWithoutReplica:
    def test_nothing_changes(self, app, world):
        assert replica.replica_engine() is None and set(db.engines) == {None}
        with counted() as seen, reading_from_replica():
            assert replica.routed_engine() is None and replica.read_engine() is db.engine
            users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        assert users == 6 and len(seen["primary"]) == 1 and seen["replica"] == []

    def test_sqlite_refuses_a_replica(self, app, tmp_path):
        settings = _settings(
            app,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}",
            DATABASE_REPLICA_URL="postgresql+psycopg://u@replica:5432/aoapp",
        )
        with pytest.raises(RuntimeError, match="DATABASE_REPLICA_URL needs PostgreSQL"):
            create_app(settings)

    def test_the_setting_comes_from_the_environment(self, monkeypatch):
        from config import Config

        monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
        assert Config().DATABASE_REPLICA_URL == ""
        monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://u@replica:5432/aoapp")
        assert Config().DATABASE_REPLICA_URL == "postgresql+psycopg://u@replica:5432/aoapp"
