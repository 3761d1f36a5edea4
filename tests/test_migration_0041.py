"""Migration 0041: the deposit positions already stored get their run-off since the previous
month-end listing, the same as the app's writer gives (funding/rollups.py), at the share the
environment sets; the downgrade drops the tables (SQLite, and PostgreSQL when DATABASE_URL names
one)."""

import os
from datetime import date
from decimal import Decimal

import flask_migrate
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.funding import rollups
from tests.databases import own_database
from tests.support.migrations import app_at, without_keys

SEP, OCT, OCT_MID, NOV = (
    date(2026, 9, 30),
    date(2026, 10, 31),
    date(2026, 10, 15),
    date(2026, 11, 30),
)
# (account, as_of, officer, balance, status)
POSITIONS = [
    (1, SEP, 11, "100.00", "active"),
    (1, OCT_MID, 11, "100.00", "active"),
    (1, OCT, 11, "100.00", "active"),
    (1, NOV, 11, "100.00", "active"),  # kept
    (2, OCT, 11, "80.00", "active"),  # gone in November: closed
    (2, NOV, 12, "80.00", "closed"),
    (3, OCT, 12, "200.00", "active"),  # down by 70 %: dropped at 0.5, not at 0.8
    (3, NOV, 12, "60.00", "active"),
    (4, OCT, 12, "50.00", "closed"),  # held nothing in October
    (5, OCT, 11, "30.00", "dormant"),  # not listed in November: gone
    (6, OCT_MID, 11, "10.00", "active"),  # a mid-month listing: October's last is the 31st
]


def _rows(table: sa.Table) -> list[tuple]:
    stmt = sa.select(*[c for c in table.c if c.name != "id"])
    with db.engine.connect() as connection:
        return sorted(
            tuple(Decimal(str(v)) if isinstance(v, float) else v for v in row)
            for row in connection.execute(stmt)
        )


def _migrated(tmp_path, monkeypatch, share: str | None):
    if share is None:
        monkeypatch.delenv("FUNDING_RUNOFF_SHARE", raising=False)
    else:
        monkeypatch.setenv("FUNDING_RUNOFF_SHARE", share)
    url = os.environ.get("DATABASE_URL", "")
    config = {"SQLALCHEMY_DATABASE_URI": own_database(url, "m0041")} if url else {}
    return app_at(tmp_path, "0040", **config)


def _insert_positions() -> None:
    with db.engine.begin() as connection:
        without_keys(connection)  # no customers, products nor accounts
        for account, as_of, officer, balance, status in POSITIONS:
            connection.execute(
                sa.text(
                    "INSERT INTO deposit_positions (account_id, as_of, customer_id, officer_id,"
                    " branch_id, deposit_type, balance, status)"
                    " VALUES (:a, :d, :a, :o, 1, 'tabungan', :b, :s)"
                ),
                {"a": account, "d": as_of, "o": officer, "b": balance, "s": status},
            )


def test_the_runoff_of_the_deposit_positions_is_filled_and_dropped_on_downgrade(
    tmp_path, monkeypatch
):
    with _migrated(tmp_path, monkeypatch, None) as app:
        _insert_positions()
        flask_migrate.upgrade(revision="0041")
        migrated = _rows(rollups.RUNOFF), _rows(rollups.RUNOFF_STEPS)
        cents = Decimal("0.01")
        figures = [
            row[:3] + tuple(Decimal(v).quantize(cents) for v in row[3:]) for row in migrated[0]
        ]
        assert figures == [
            (NOV, 11, 1, 2, Decimal("110.00"), 0, Decimal("0.00")),
            (NOV, 12, 1, 0, Decimal("0.00"), 1, Decimal("140.00")),
        ]
        half = Decimal("0.5")
        assert migrated[1] == [(OCT_MID, SEP, half), (OCT, SEP, half), (NOV, OCT, half)]

        app.config["FUNDING_RUNOFF_SHARE"] = Decimal("0.5")
        flask_migrate.upgrade(revision="0044")  # the writer's listing dates
        with db.engine.begin() as connection:  # the app's writer, from the same positions
            rollups.write(connection, [SEP, OCT_MID, OCT, NOV])
        assert (_rows(rollups.RUNOFF), _rows(rollups.RUNOFF_STEPS)) == migrated

        flask_migrate.downgrade(revision="0040")
        names = set(sa.inspect(db.engine).get_table_names())
        assert not {"deposit_runoff", "deposit_runoff_steps"} & names


def test_the_migration_fills_the_runoff_at_the_share_the_environment_sets(tmp_path, monkeypatch):
    with _migrated(tmp_path, monkeypatch, "0.8") as _app:
        _insert_positions()
        flask_migrate.upgrade(revision="0041")
        # At 0.8 the 70 % drop of account 3 is no run-off: November keeps the gone accounts.
        assert [row[:4] for row in _rows(rollups.RUNOFF)] == [(NOV, 11, 1, 2)]
        assert _rows(rollups.RUNOFF_STEPS)[-1] == (NOV, OCT, Decimal("0.8"))
