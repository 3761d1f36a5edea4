"""Migration 0032: visit photos, and the location columns of visits, follow-ups and customers,
empty for the records before it; downgrade removes them and keeps the records."""

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from tests.support.migrations import app_at


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0028 (no visit evidence yet)."""
    with app_at(tmp_path, "0031") as application:
        yield application


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def test_upgrade_adds_empty_locations_and_the_photos_table_and_downgrade_removes_them(old_app):
    with db.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql(
            "INSERT INTO monitoring_visits (id, customer_id, officer_id, visit_date, met_with,"
            " business_condition, collateral_condition, findings, risk_rating, recommendations,"
            " created_at, updated_at) VALUES (7, 1, 1, '2026-10-12', '', '', '', 'Sales down',"
            " 'weak', '', '2026-10-12 03:00:00', '2026-10-12 03:00:00')"
        )
    assert "visit_photos" not in sa.inspect(db.engine).get_table_names()
    flask_migrate.upgrade(revision="0032")
    assert {"latitude", "longitude", "accuracy", "located_at"} <= _columns("monitoring_visits")
    assert {"latitude", "longitude", "accuracy", "located_at"} <= _columns("follow_ups")
    assert {"latitude", "longitude"} <= _columns("customers")
    with db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT latitude, located_at, findings FROM monitoring_visits WHERE id = 7"
        ).one()
    assert tuple(row) == (None, None, "Sales down")
    flask_migrate.downgrade(revision="0031")
    assert "visit_photos" not in sa.inspect(db.engine).get_table_names()
    assert "latitude" not in _columns("monitoring_visits") | _columns("customers")
    assert "located_at" not in _columns("follow_ups")
    with db.engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT findings FROM monitoring_visits").scalars().all()
    assert kept == ["Sales down"]
