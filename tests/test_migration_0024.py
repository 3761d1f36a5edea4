"""Migration 0024: follow-ups get the purpose `retention` and a deposit account; the follow-ups
already there (and the promises to pay that refer to them) come through the copy SQLite makes."""

import flask_migrate
import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from tests.support.migrations import app_at

FOLLOW_UP = (
    "INSERT INTO follow_ups (id, customer_id, facility_id, owner_id, channel, purpose,"
    " planned_date, status, notes, escalated, previous_id, version, created_at, updated_at)"
    " VALUES (?, 1, 1, 1, 'call', ?, '2026-11-02', ?, 'Tanya kabar', 0, ?, 1,"
    " '2026-11-01 03:00:00', '2026-11-01 03:00:00')"
)
NOW = "'2026-11-01 03:00:00'"
PARENTS = (
    f"INSERT INTO branches (id, code, name, created_at) VALUES (1, 'JKT01', 'Jakarta', {NOW})",
    "INSERT INTO users (id, username, full_name, role, password_hash, active,"
    f" failed_login_count, created_at) VALUES (1, 'ao.budi', 'Budi', 'officer', 'x', 1, 0, {NOW})",
    "INSERT INTO customers (id, cif, name, customer_type, address, segment, branch_id, since,"
    f" created_at, updated_at) VALUES (1, '0000000001', 'Toko Maju', 'individual', '', 'micro',"
    f" 1, '2020-01-01', {NOW}, {NOW})",
    "INSERT INTO products (id, code, name, kind, credit_subtype, active, description, created_at)"
    f" VALUES (1, 'KMK', 'Kredit Modal Kerja', 'credit', 'working_capital', 1, '', {NOW})",
    "INSERT INTO facilities (id, account_no, customer_id, product_id, currency, plafond,"
    " interest_rate, start_date, maturity_date, purpose, collateral_description, restructured,"
    f" status, created_at, updated_at) VALUES (1, '0012345678', 1, 1, 'IDR', 100000000, 10,"
    f" '2025-01-01', '2027-01-01', '', '', 0, 'active', {NOW}, {NOW})",
)
PROMISE = (
    "INSERT INTO promises_to_pay (id, follow_up_id, facility_id, customer_id, officer_id,"
    " promised_amount, promised_date, promised_on, deadline, created_at)"
    " VALUES (5, 1, 1, 1, 1, 7500000, '2026-11-10', '2026-11-02', '2026-11-13',"
    " '2026-11-02 03:00:00')"
)


@pytest.fixture
def old_app(tmp_path):
    """An app on its own SQLite database, migrated up to 0023 (no retention purpose yet)."""
    with app_at(tmp_path, "0023") as application:
        yield application


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def _insert(sql: str, *params) -> None:
    with db.engine.begin() as connection:
        connection.exec_driver_sql(sql, params)


def test_upgrade_keeps_follow_ups_and_promises_and_admits_retention(old_app):
    with db.engine.begin() as connection:
        for sql in PARENTS:
            connection.exec_driver_sql(sql)
        connection.exec_driver_sql(FOLLOW_UP, (1, "collection", "done", None))
        connection.exec_driver_sql(FOLLOW_UP, (2, "collection", "planned", 1))
        connection.exec_driver_sql(PROMISE)
    flask_migrate.upgrade(revision="0024")
    assert _rows("SELECT id, purpose, status, previous_id, notes FROM follow_ups") == [
        (1, "collection", "done", None, "Tanya kabar"),
        (2, "collection", "planned", 1, "Tanya kabar"),
    ]
    assert _rows("SELECT id, follow_up_id FROM promises_to_pay") == [(5, 1)]
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("follow_ups")}
    assert "deposit_account_id" in columns
    assert _rows("PRAGMA foreign_key_check") == []
    with db.engine.begin() as connection:
        connection.exec_driver_sql(FOLLOW_UP, (3, "retention", "planned", None))
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            connection.exec_driver_sql(FOLLOW_UP, (4, "gossip", "planned", None))

    flask_migrate.downgrade(revision="0023")
    assert _rows("SELECT id, purpose FROM follow_ups") == [
        (1, "collection"),
        (2, "collection"),
        (3, "relationship"),  # kept, as a relationship follow-up
    ]
    assert _rows("SELECT id, follow_up_id FROM promises_to_pay") == [(5, 1)]
    assert _rows("PRAGMA foreign_key_check") == []
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("follow_ups")}
    assert "deposit_account_id" not in columns
