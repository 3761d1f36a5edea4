"""An app on its own SQLite database migrated up to an older revision, for the tests of one
data migration (tests/test_migration_00NN.py)."""

from contextlib import contextmanager

import flask_migrate

from aoapp import create_app
from aoapp.extensions import db, limiter


@contextmanager
def app_at(tmp_path, revision: str, **config):
    """The app, in its context, on `tmp_path/old.db` upgraded to `revision`."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SERVER_NAME": "localhost",
        }
        | config
    )
    limiter.enabled = False
    with application.app_context():
        flask_migrate.upgrade(revision=revision)
        yield application
        db.session.remove()
        db.engine.dispose()


def without_keys(connection) -> None:
    """Rows inserted on `connection` from here on skip the foreign keys (a migration's test
    inserting positions with no customers, products nor accounts behind them)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET session_replication_role = replica")
    else:
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
