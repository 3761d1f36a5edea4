"""Migration 0040: the deposit positions already stored get their rollups and shared depositors,
the same as the app's writer gives (funding/rollups.py); the downgrade drops them (SQLite, and
PostgreSQL when DATABASE_URL names one)."""

import os
from datetime import date
from decimal import Decimal

import flask_migrate
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.funding import rollups
from tests.databases import own_database
from tests.support.migrations import app_at, without_keys

OCT, NOV = date(2026, 10, 31), date(2026, 11, 30)
# (account, as_of, customer, officer, deposit type, balance, average balance, status)
POSITIONS = [
    (1, OCT, 1, 11, "tabungan", "100.00", "90.00", "active"),
    (2, OCT, 1, 12, "deposito", "500.00", None, "active"),  # customer 1 in two groups
    (3, OCT, 2, 11, "giro", "70.00", None, "closed"),  # holds nothing
    (1, NOV, 1, 11, "tabungan", "40.00", None, "dormant"),
]


def _rows(table: sa.Table) -> list[tuple]:
    stmt = sa.select(*[c for c in table.c if c.name != "id"])
    with db.engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(stmt))


def test_the_rollups_of_the_deposit_positions_are_filled_and_dropped_on_downgrade(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    config = {"SQLALCHEMY_DATABASE_URI": own_database(url, "m0040")} if url else {}
    with app_at(tmp_path, "0039", **config):
        with db.engine.begin() as connection:
            without_keys(connection)  # no customers, products nor accounts
            for account, as_of, customer, officer, kind, balance, average, status in POSITIONS:
                connection.execute(
                    sa.text(
                        "INSERT INTO deposit_positions (account_id, as_of, customer_id,"
                        " officer_id, branch_id, deposit_type, balance, average_balance, status)"
                        " VALUES (:a, :d, :c, :o, 1, :k, :b, :v, :s)"
                    ),
                    {"a": account, "d": as_of, "c": customer, "o": officer, "k": kind}
                    | {"b": balance, "v": average, "s": status},
                )

        flask_migrate.upgrade(revision="0040")
        migrated = _rows(rollups.ROLLUPS), _rows(rollups.SHARED)
        by_group = {
            row[:3]: dict(zip(rollups.FIGURES, row[3:], strict=True)) for row in migrated[0]
        }
        assert sorted(by_group) == [(OCT, 11, 1), (OCT, 12, 1), (NOV, 11, 1)]
        october = by_group[(OCT, 11, 1)]
        assert (october["accounts"], october["depositors"], october["giro_accounts"]) == (1, 1, 0)
        assert Decimal(str(october["tabungan_average"])) == Decimal("90.00")
        assert Decimal(str(by_group[(OCT, 12, 1)]["deposito_average"])) == Decimal("500.00")
        assert Decimal(str(by_group[(NOV, 11, 1)]["tabungan_balance"])) == Decimal("40.00")
        assert migrated[1] == [(OCT, 1, 11, 1), (OCT, 1, 12, 1)]

        # The writer's other tables: the run-off (0041), the listing dates (0044).
        flask_migrate.upgrade(revision="0044")
        with db.engine.begin() as connection:  # the app's writer, from the same positions
            rollups.write(connection, [OCT, NOV])
        assert (_rows(rollups.ROLLUPS), _rows(rollups.SHARED)) == migrated

        flask_migrate.downgrade(revision="0039")
        names = set(sa.inspect(db.engine).get_table_names())
        assert not {"deposit_rollups", "deposit_rollup_depositors"} & names
