"""Migration 0042: on PostgreSQL the deposit positions already there move into one partition per
month (and back on downgrade); on both databases the foreign key to deposit_accounts goes, rows
and ids kept."""

import os

import flask_migrate
import sqlalchemy as sa

from aoapp.extensions import db
from tests.databases import own_database
from tests.support.migrations import app_at, without_keys

NOW = "'2026-11-01 03:00:00'"
ACCOUNT = (
    "INSERT INTO deposit_accounts (id, account_no, customer_id, product_id, deposit_type,"
    " currency, open_date, maturity_date, interest_rate, aro, status, created_at, updated_at)"
    f" VALUES (1, '0300000001', 1, 1, 'deposito', 'IDR', '2025-01-05', '2026-11-05', 4.5, TRUE,"
    f" 'active', {NOW}, {NOW})"
)
POSITION = (
    "INSERT INTO deposit_positions (id, account_id, as_of, customer_id, officer_id, branch_id,"
    " deposit_type, balance, average_balance, status, import_id, maturity_date, aro)"
    " VALUES ({id}, 1, '{as_of}', 1, 11, 1, 'deposito', {balance}, NULL, 'active', NULL,"
    " '2026-11-05', TRUE)"
)
DATES = {7: "2026-09-30", 8: "2026-10-15", 9: "2026-10-31"}
EVERY_COLUMN = (
    "SELECT id, account_id, CAST(as_of AS TEXT), customer_id, officer_id, branch_id,"
    " deposit_type, CAST(balance AS TEXT), average_balance, status, import_id,"
    " CAST(maturity_date AS TEXT), aro FROM deposit_positions ORDER BY id"
)


def _url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return own_database(url, "m0042") if url.startswith("postgresql") else ""


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def _foreign_keys() -> list:
    return sa.inspect(db.engine).get_foreign_keys("deposit_positions")


def test_deposit_positions_come_through_the_upgrade_and_the_downgrade(tmp_path):
    url = _url()
    config = {"SQLALCHEMY_DATABASE_URI": url} if url else {}
    with app_at(tmp_path, "0041", **config):
        with db.engine.begin() as connection:
            without_keys(connection)  # the account's customer and product need not exist
            connection.exec_driver_sql(ACCOUNT)
            for position_id, as_of in DATES.items():
                connection.exec_driver_sql(
                    POSITION.format(id=position_id, as_of=as_of, balance=position_id * 100)
                )
        before = _rows(EVERY_COLUMN)
        assert len(_foreign_keys()) == 1

        flask_migrate.upgrade(revision="0042")
        assert _rows(EVERY_COLUMN) == before
        assert _foreign_keys() == []
        if url:
            where = _rows("SELECT id, tableoid::regclass::text FROM deposit_positions ORDER BY id")
            assert where == [
                (7, "deposit_positions_p202609"),
                (8, "deposit_positions_p202610"),
                (9, "deposit_positions_p202610"),
            ]
            assert _rows(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'deposit_positions'::regclass AND contype IN ('p', 'u')"
                " ORDER BY conname"
            ) == [("PRIMARY KEY (id, as_of)",), ("UNIQUE (account_id, as_of)",)]
            assert _rows("SELECT pg_get_serial_sequence('deposit_positions', 'id')") == [
                ("public.deposit_positions_id_seq",)
            ]
            with db.engine.begin() as connection:  # the id sequence carries on past the copies
                connection.exec_driver_sql("SELECT setval('deposit_positions_id_seq', 9)")
                connection.exec_driver_sql(
                    POSITION.replace("{id}", "DEFAULT").format(as_of="2026-11-30", balance=3)
                )
            assert _rows(
                "SELECT id, tableoid::regclass::text FROM deposit_positions WHERE balance = 3"
            ) == [(10, "deposit_positions_default")]

        flask_migrate.downgrade(revision="0041")
        assert _rows(EVERY_COLUMN)[:3] == before
        assert len(_foreign_keys()) == 1
        if url:
            kind = _rows("SELECT relkind FROM pg_class WHERE relname = 'deposit_positions'")
            assert kind == [("r",)]
            gone = _rows("SELECT to_regclass('deposit_positions_p202610')")
            assert gone == [(None,)]  # the partitions went with the partitioned table
