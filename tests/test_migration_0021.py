"""Migration 0021: monitoring_visits.met_with, empty for the visits recorded before it."""

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from tests.support.migrations import app_at


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0020 (no met_with yet)."""
    with app_at(tmp_path, "0020") as application:
        yield application


def _columns() -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns("monitoring_visits")}


def test_upgrade_adds_an_empty_met_with_and_downgrade_drops_it(old_app):
    with db.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql(
            "INSERT INTO monitoring_visits (id, customer_id, officer_id, visit_date,"
            " business_condition, collateral_condition, findings, risk_rating, recommendations,"
            " created_at, updated_at) VALUES (7, 1, 1, '2026-10-12', '', '', 'Sales down',"
            " 'weak', '', '2026-10-12 03:00:00', '2026-10-12 03:00:00')"
        )
    assert "met_with" not in _columns()
    flask_migrate.upgrade(revision="0021")
    assert "met_with" in _columns()
    with db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT met_with, findings FROM monitoring_visits WHERE id = 7"
        ).one()
    assert tuple(row) == ("", "Sales down")
    flask_migrate.downgrade(revision="0020")
    assert "met_with" not in _columns()
    with db.engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT findings FROM monitoring_visits").scalars().all()
    assert kept == ["Sales down"]
