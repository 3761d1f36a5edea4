"""DATABASE_JIT: every PostgreSQL connection of the app (the primary's and the replica's) starts
with JIT off, set by the app (pg_settings' source 'client'), unless DATABASE_JIT asks for the
server's own setting. SQLite has no JIT: nothing is set."""

import pytest
import sqlalchemy as sa

from aoapp import create_app
from aoapp.common import replica
from aoapp.extensions import db

JIT = sa.text("SELECT setting, source FROM pg_settings WHERE name = 'jit'")


def _settings(app, **changes) -> dict:
    return {key: value for key, value in app.config.items() if key.isupper()} | changes


def _jit(engine) -> tuple[str, str]:
    with engine.connect() as connection:
        return tuple(connection.execute(JIT).one())


@pytest.fixture
def postgres(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("JIT is PostgreSQL's")
    return app


def _other_app(app, **changes):
    application = create_app(_settings(app, **changes))
    yield application
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_the_apps_connections_start_with_jit_off(postgres):
    with postgres.app_context():
        assert _jit(db.engine) == ("off", "client")


def test_the_replicas_connections_too(postgres):
    url = sa.engine.make_url(postgres.config["SQLALCHEMY_DATABASE_URI"]).update_query_dict(
        {"application_name": "aoapp-jit-replica"}
    )
    for application in _other_app(
        postgres, DATABASE_REPLICA_URL=url.render_as_string(hide_password=False)
    ):
        with application.app_context():
            assert _jit(replica.replica_engine()) == ("off", "client")


def test_database_jit_leaves_the_servers_setting(postgres):
    server = sa.create_engine(postgres.config["SQLALCHEMY_DATABASE_URI"])
    try:
        expected = _jit(server)
    finally:
        server.dispose()
    assert expected[1] != "client"
    for application in _other_app(postgres, DATABASE_JIT=True, SQLALCHEMY_ENGINE_OPTIONS={}):
        with application.app_context():
            assert _jit(db.engine) == expected


PLANS = sa.text("SELECT setting, source FROM pg_settings WHERE name = 'plan_cache_mode'")


def test_a_statement_run_again_and_again_is_planned_for_its_values_each_time(postgres):
    """psycopg prepares a statement run five times; PostgreSQL would then plan it once for any
    values (a generic plan, blind to a dashboard's dates and ids). The app's connections ask for
    a plan per execution."""
    with postgres.app_context(), db.engine.connect() as connection:
        assert tuple(connection.execute(PLANS).one()) == ("force_custom_plan", "client")
        repeated = sa.select(sa.func.count()).where(sa.literal(1) < sa.bindparam("n"))
        for n in range(12):
            connection.execute(repeated, {"n": n})
        generic, custom = connection.execute(
            sa.text(
                "SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements"
                " WHERE statement LIKE '%count(*)%'"
            )
        ).one()
    assert (generic, custom > 0) == (0, True)


def test_the_replicas_connections_ask_for_custom_plans_too(postgres):
    url = sa.engine.make_url(postgres.config["SQLALCHEMY_DATABASE_URI"]).update_query_dict(
        {"application_name": "aoapp-plans-replica"}
    )
    for application in _other_app(
        postgres, DATABASE_REPLICA_URL=url.render_as_string(hide_password=False)
    ):
        with application.app_context(), replica.replica_engine().connect() as connection:
            assert tuple(connection.execute(PLANS).one()) == ("force_custom_plan", "client")


def test_sqlite_connections_get_no_postgres_options(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the SQLite side")
    assert "options" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
