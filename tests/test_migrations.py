"""The schema lives in migrations: the models and the migrated database must agree."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from aoapp.database import include_name
from aoapp.extensions import db


def test_models_and_migrations_agree(app):
    """Autogenerate finds no difference between the models and the migrated schema."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_migrations_are_at_head(app):
    """The test database was built by running every migration."""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    assert current == head
