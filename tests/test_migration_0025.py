"""Migration 0025: targets on funding figures; deposit positions keep their listing's maturity and
ARO flag — those stored before get their account's — and lose them again on downgrade."""

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from tests.support.migrations import app_at


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0023 (deposits, no funding targets)."""
    with app_at(tmp_path, "0024") as application:
        yield application


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def test_positions_get_their_accounts_maturity_and_downgrade_drops_it(old_app):
    with db.engine.begin() as connection:
        run = connection.exec_driver_sql
        run("PRAGMA foreign_keys = OFF")  # the account's customer and product need not exist
        run(
            "INSERT INTO deposit_accounts (id, account_no, customer_id, product_id,"
            " deposit_type, currency, open_date, maturity_date, interest_rate, aro, status,"
            " created_at, updated_at) VALUES (1, '001', 1, 1, 'deposito', 'IDR', '2025-01-05',"
            " '2026-11-05', 4.5, 0, 'active', '2026-10-01 00:00:00', '2026-10-01 00:00:00')"
        )
        run(
            "INSERT INTO deposit_positions (account_id, as_of, customer_id, deposit_type,"
            " balance, status) VALUES (1, '2026-10-31', 1, 'deposito', 100, 'active')"
        )
    assert "maturity_date" not in _columns("deposit_positions")
    flask_migrate.upgrade(revision="0025")
    with db.engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT maturity_date, aro FROM deposit_positions").one()
    assert (str(row[0]), bool(row[1])) == ("2026-11-05", False)
    assert {"dpk_growth", "casa_ratio", "cross_sell_ratio", "retention_rate"} <= _columns("targets")
    flask_migrate.downgrade(revision="0024")
    assert not {"maturity_date", "aro"} & _columns("deposit_positions")
    assert "casa_ratio" not in _columns("targets")
