"""Migration 0044: the listing dates are filled from the loan and the deposits positions already
stored (each date once, per kind), on SQLite and PostgreSQL, and dropped on downgrade."""

import os

import flask_migrate
import sqlalchemy as sa

from aoapp.extensions import db
from tests.databases import own_database
from tests.support.migrations import app_at, without_keys

LOAN = (
    "INSERT INTO positions (id, facility_id, as_of, customer_id, officer_id, branch_id,"
    " outstanding, arrears_principal, arrears_interest, dpd, dpd_kol, facility_kol, debtor_kol,"
    " kol_rule, prev_kol) VALUES ({id}, {id}, '{as_of}', 1, 11, 1, 100, 0, 0, 0, 1, 1, 1, 'dpd',"
    " NULL)"
)
DEPOSIT = (
    "INSERT INTO deposit_positions (id, account_id, as_of, customer_id, officer_id, branch_id,"
    " deposit_type, balance, average_balance, status, import_id, maturity_date, aro)"
    " VALUES ({id}, {id}, '{as_of}', 1, 11, 1, 'tabungan', 100, NULL, 'closed', NULL, NULL,"
    " FALSE)"
)
LOANS = ["2026-08-31", "2026-09-30", "2026-09-30", "2026-10-15", "2026-10-31"]
DEPOSITS = ["2026-09-30", "2026-10-31", "2026-10-31"]


def _url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return own_database(url, "m0044") if url.startswith("postgresql") else ""


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def test_the_listing_dates_are_filled_from_the_positions(tmp_path):
    url = _url()
    config = {"SQLALCHEMY_DATABASE_URI": url} if url else {}
    with app_at(tmp_path, "0043", **config):
        with db.engine.begin() as connection:
            without_keys(connection)  # the positions' facilities and accounts need not exist
            for n, as_of in enumerate(LOANS, 1):
                connection.exec_driver_sql(LOAN.format(id=n, as_of=as_of))
            for n, as_of in enumerate(DEPOSITS, 1):
                connection.exec_driver_sql(DEPOSIT.format(id=n, as_of=as_of))

        flask_migrate.upgrade(revision="0044")
        listed = _rows("SELECT kind, CAST(as_of AS TEXT) FROM listing_dates ORDER BY kind, as_of")
        assert listed == [
            *(("deposits", day) for day in sorted(set(DEPOSITS))),  # a closed account's too
            *(("loans", day) for day in sorted(set(LOANS))),
        ]

        flask_migrate.downgrade(revision="0043")
        assert "listing_dates" not in sa.inspect(db.engine).get_table_names()
