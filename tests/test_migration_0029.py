"""Migration 0029: on PostgreSQL the positions already there move into one partition per month
(and back on downgrade); on both databases the foreign key to facilities goes, rows kept."""

import os

import flask_migrate
import sqlalchemy as sa

from aoapp.extensions import db
from tests.databases import own_database
from tests.support.migrations import app_at

NOW = "'2026-11-01 03:00:00'"
PARENTS = (
    f"INSERT INTO branches (id, code, name, created_at) VALUES (1, 'JKT01', 'Jakarta', {NOW})",
    "INSERT INTO customers (id, cif, name, customer_type, address, segment, branch_id, since,"
    f" created_at, updated_at) VALUES (1, '0000000001', 'Toko Maju', 'individual', '', 'micro',"
    f" 1, '2020-01-01', {NOW}, {NOW})",
    "INSERT INTO products (id, code, name, kind, credit_subtype, active, description, created_at)"
    f" VALUES (1, 'KMK', 'Kredit Modal Kerja', 'credit', 'working_capital', TRUE, '', {NOW})",
    "INSERT INTO facilities (id, account_no, customer_id, product_id, currency, plafond,"
    " interest_rate, start_date, maturity_date, purpose, collateral_description, restructured,"
    f" status, created_at, updated_at) VALUES (1, '0012345678', 1, 1, 'IDR', 100000000, 10,"
    f" '2025-01-01', '2027-01-01', '', '', FALSE, 'active', {NOW}, {NOW})",
)
POSITION = (
    "INSERT INTO positions (id, facility_id, as_of, customer_id, outstanding, arrears_principal,"
    " arrears_interest, dpd, dpd_kol, facility_kol, debtor_kol, kol_rule)"
    " VALUES ({id}, 1, '{as_of}', 1, 90000000, 0, 0, {dpd}, 1, 1, 1, 'dpd')"
)
DATES = {7: "2026-09-30", 8: "2026-10-15", 9: "2026-10-31"}


def _url(tmp_path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    return own_database(url, "m0029") if url.startswith("postgresql") else ""


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def _foreign_keys() -> list:
    return sa.inspect(db.engine).get_foreign_keys("positions")


def test_positions_come_through_the_upgrade_and_the_downgrade(tmp_path):
    url = _url(tmp_path)
    config = {"SQLALCHEMY_DATABASE_URI": url} if url else {}
    with app_at(tmp_path, "0028", **config):
        with db.engine.begin() as connection:
            for sql in PARENTS:
                connection.exec_driver_sql(sql)
            for position_id, as_of in DATES.items():
                connection.exec_driver_sql(POSITION.format(id=position_id, as_of=as_of, dpd=0))
        assert len(_foreign_keys()) == 1

        flask_migrate.upgrade(revision="0029")
        assert _rows("SELECT id, CAST(as_of AS TEXT) FROM positions ORDER BY id") == list(
            DATES.items()
        )
        assert _foreign_keys() == []
        if url:
            where = _rows("SELECT id, tableoid::regclass::text FROM positions ORDER BY id")
            assert where == [
                (7, "positions_p202609"),
                (8, "positions_p202610"),
                (9, "positions_p202610"),
            ]
            with db.engine.begin() as connection:  # the id sequence carries on past the copies
                connection.exec_driver_sql("SELECT setval('positions_id_seq', 9)")
                connection.exec_driver_sql(
                    POSITION.replace("{id}", "DEFAULT").format(as_of="2026-11-30", dpd=3)
                )
            assert _rows("SELECT id, tableoid::regclass::text FROM positions WHERE dpd = 3") == [
                (10, "positions_default")
            ]

        flask_migrate.downgrade(revision="0028")
        assert [row[0] for row in _rows("SELECT id FROM positions ORDER BY id")][:3] == [7, 8, 9]
        assert len(_foreign_keys()) == 1
