"""Migrations 0034–0036 and 0038: the month-end aggregates, the relationship pairs, the Kol
migration cells and the relationship rollups of the listings already there are filled set-based,
equal to what credit/rollups.py and funding/relationship_rows.py write; the downgrades drop them
(SQLite, and PostgreSQL when DATABASE_URL names one)."""

import os
from datetime import date
from decimal import Decimal

import flask_migrate
import sqlalchemy as sa

from aoapp.credit.rollups import ROLLUPS, groups, shared
from aoapp.extensions import db
from aoapp.funding import relationship_rows
from tests.databases import own_database
from tests.support.migrations import app_at

NOW = "'2026-11-01 03:00:00'"
PARENTS = [
    f"INSERT INTO branches (id, code, name, created_at) VALUES (1, 'JKT01', 'Jakarta', {NOW})",
    "INSERT INTO products (id, code, name, kind, credit_subtype, active, description, created_at)"
    f" VALUES (1, 'KMK', 'Kredit Modal Kerja', 'credit', 'working_capital', TRUE, '', {NOW})",
] + [
    "INSERT INTO customers (id, cif, name, customer_type, address, segment, branch_id, since,"
    f" created_at, updated_at) VALUES ({n}, '000000000{n}', 'Toko {n}', 'individual', '',"
    f" 'micro', 1, '2020-01-01', {NOW}, {NOW})"
    for n in (1, 2)
]
FACILITY = (
    "INSERT INTO facilities (id, account_no, customer_id, product_id, currency, plafond,"
    " interest_rate, start_date, maturity_date, purpose, collateral_description, restructured,"
    " status, created_at, updated_at) VALUES ({id}, '00123{id}', {customer}, 1, 'IDR', 100000000,"
    " 10, '2025-01-01', '2027-01-01', '', '', {restructured}, 'active', {now}, {now})"
)
POSITION = (
    "INSERT INTO positions (id, facility_id, as_of, customer_id, officer_id, branch_id,"
    " outstanding, arrears_principal, arrears_interest, dpd, dpd_kol, facility_kol, debtor_kol,"
    " kol_rule, prev_kol) VALUES ({id}, {facility}, '{as_of}', {customer}, {officer}, 1,"
    " {outstanding}, 0, 0, {dpd}, 1, {kol}, {kol}, 'dpd', {prev})"
)
SEPT, OCT = date(2026, 9, 30), date(2026, 10, 31)
FUNDS = [
    "INSERT INTO products (id, code, name, kind, deposit_type, active, description, created_at)"
    f" VALUES (2, 'TAB', 'Tabungan', 'deposit', 'tabungan', TRUE, '', {NOW})",
    "INSERT INTO deposit_accounts (id, account_no, customer_id, product_id, officer_id, branch_id,"
    " deposit_type, currency, open_date, interest_rate, status, created_at, updated_at)"
    f" VALUES (1, '009001', 2, 2, 12, 1, 'tabungan', 'IDR', '2025-01-01', 1, 'active', {NOW}, {NOW})",
    "INSERT INTO deposit_positions (id, account_id, as_of, customer_id, officer_id, branch_id,"
    " deposit_type, balance, status) VALUES (1, 1, '2026-09-30', 2, 12, 1, 'tabungan', 5000,"
    " 'active')",
]
# (facility, as_of, customer, officer, outstanding, dpd, kol, prev_kol)
ROWS = [
    (1, SEPT, 1, 11, "1000.50", 0, 1, "NULL"),
    (2, SEPT, 1, 12, "2000.00", 45, 2, "NULL"),  # customer 1 booked to two officers
    (3, SEPT, 2, 11, "500.00", 200, 5, "NULL"),
    (1, OCT, 1, 11, "900.25", 0, 1, 1),
    (3, OCT, 2, 11, "500.00", 95, 3, 5),
]


def _url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return own_database(url, "m0034") if url.startswith("postgresql") else ""


def _rows(stmt) -> list[tuple]:
    def number(value):
        plain = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        return Decimal(str(value)).quantize(Decimal("0.01")) if plain else value

    with db.engine.connect() as connection:
        found = [tuple(number(v) for v in row) for row in connection.execute(stmt)]
    return sorted(found, key=str)


def test_the_rollups_are_filled_from_the_positions_and_dropped_on_downgrade(tmp_path):
    url = _url()
    with app_at(tmp_path, "0033", **({"SQLALCHEMY_DATABASE_URI": url} if url else {})):
        with db.engine.begin() as connection:
            for sql in PARENTS:
                connection.exec_driver_sql(sql)
            for facility, customer, restructured in (
                (1, 1, "TRUE"),
                (2, 1, "FALSE"),
                (3, 2, "FALSE"),
            ):
                connection.exec_driver_sql(
                    FACILITY.format(
                        id=facility, customer=customer, restructured=restructured, now=NOW
                    )
                )
            for n, (facility, as_of, customer, officer, out, dpd, kol, prev) in enumerate(ROWS):
                connection.exec_driver_sql(
                    POSITION.format(
                        id=n + 1,
                        facility=facility,
                        as_of=as_of,
                        customer=customer,
                        officer=officer,
                        outstanding=out,
                        dpd=dpd,
                        kol=kol,
                        prev=prev,
                    )
                )

        flask_migrate.upgrade(revision="0034")
        names = sa.inspect(db.engine).get_table_names()
        assert {"portfolio_rollups", "portfolio_rollup_debtors"} <= set(names)
        table = ROLLUPS  # the model's table: 0034 made its columns, but the Kol migration's
        made = {column["name"] for column in sa.inspect(db.engine).get_columns(table.name)}
        stored = sa.select(*[c for c in table.c if c.name != "id" and c.name in made])
        assert len(stored.selected_columns) == 3 + 1 + 32  # group, debtors, the measures of 0034
        written = groups([SEPT, OCT]).subquery()
        same = sa.select(*[written.c[c.name] for c in stored.selected_columns])
        assert _rows(stored) == _rows(same)  # what the app's writer computes
        assert len(_rows(stored)) == 3  # (Sept, 11), (Sept, 12), (Oct, 11)
        sept_11 = sa.select(table.c.debtors, table.c.facilities, table.c.restructured_kol1).where(
            table.c.as_of == SEPT, table.c.officer_id == 11
        )
        assert _rows(sept_11) == [(2, 2, Decimal("1000.50"))]
        debtors = sa.text(
            "SELECT as_of, customer_id, officer_id, branch_id FROM portfolio_rollup_debtors"
        ).columns(as_of=sa.Date)
        assert _rows(debtors) == _rows(shared([SEPT, OCT]))
        assert [row[1:3] for row in _rows(debtors)] == [(1, 11), (1, 12)]
        indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("positions")}
        assert "ix_positions_watch" in indexes

        with db.engine.begin() as connection:  # customer 2's tabungan, listed on 30 September
            for sql in FUNDS:
                connection.exec_driver_sql(sql)
        flask_migrate.upgrade(revision="0035")  # the pair of every listing date
        pairs = sa.select(
            relationship_rows.PAIRS.c.loans_as_of, relationship_rows.PAIRS.c.deposits_as_of
        )
        assert _rows(pairs) == [(OCT, SEPT), (SEPT, SEPT)]
        rows = relationship_rows.ROWS
        then = [name for name in relationship_rows.COLUMNS if name != "bookings"]  # 0038's
        for pair in ((SEPT, SEPT), (OCT, SEPT)):
            stored = sa.select(*[rows.c[name] for name in then]).where(
                rows.c.loans_as_of == pair[0], rows.c.deposits_as_of == pair[1]
            )
            written = relationship_rows.pair_rows(*pair).subquery()
            same = sa.select(*[written.c[n] for n in range(len(then))])
            assert _rows(stored) == _rows(same), pair

        flask_migrate.upgrade(revision="0036")  # the Kol migration cells of every date
        stored = sa.select(*[c for c in table.c if c.name != "id"])
        assert _rows(stored) == _rows(groups([SEPT, OCT]))
        moved = sa.select(table.c.as_of, table.c.officer_id, table.c.from5_to3_count)
        assert _rows(moved.where(table.c.from5_to3_count > 0)) == [(OCT, 11, 1)]
        with db.engine.begin() as connection:  # a pair no date reads: 30 September's funds came
            connection.exec_driver_sql(  # in after it was stored with August's
                "INSERT INTO relationship_pairs VALUES ('2026-10-31', '2026-08-31')"
            )
            connection.exec_driver_sql(
                "INSERT INTO relationship_customers (loans_as_of, deposits_as_of, customer_id,"
                " officer_id, branch_id, borrower, depositor, products, has_credit, has_deposit)"
                " VALUES ('2026-10-31', '2026-08-31', 1, 11, 1, 1, 0, 1, 1, 0)"
            )
        flask_migrate.upgrade(revision="0038")  # the relationship rollups of the stored pairs
        assert _rows(pairs) == [(OCT, SEPT), (SEPT, SEPT)]  # the unread pair dropped, its rows too
        _the_relationship_rollups_are_what_the_writer_writes()
        flask_migrate.downgrade(revision="0037")
        assert "relationship_rollups" not in sa.inspect(db.engine).get_table_names()
        kept = {column["name"] for column in sa.inspect(db.engine).get_columns(rows.name)}
        assert "bookings" not in kept

        flask_migrate.downgrade(revision="0035")
        columns = {column["name"] for column in sa.inspect(db.engine).get_columns(table.name)}
        assert columns == made

        flask_migrate.downgrade(revision="0034")
        assert "relationship_customers" not in sa.inspect(db.engine).get_table_names()

        flask_migrate.downgrade(revision="0033")
        names = sa.inspect(db.engine).get_table_names()
        assert not {"portfolio_rollups", "portfolio_rollup_debtors"} & set(names)
        indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("positions")}
        assert "ix_positions_watch" not in indexes
        assert len(_rows(sa.text("SELECT id FROM positions"))) == len(ROWS)


def _the_relationship_rollups_are_what_the_writer_writes() -> None:
    """Each stored pair's rows with their bookings, and its rollups, as the imports write them:
    the customers booked in several groups are left out of the rollups."""
    rows, rollups = relationship_rows.ROWS, relationship_rows.ROLLUPS
    stored_rollups = sa.select(*[rollups.c[n] for n in relationship_rows.ROLLUP_COLUMNS])
    migrated = _rows(stored_rollups)
    for pair in ((SEPT, SEPT), (OCT, SEPT)):
        stored = sa.select(*[rows.c[name] for name in relationship_rows.COLUMNS]).where(
            rows.c.loans_as_of == pair[0], rows.c.deposits_as_of == pair[1]
        )
        assert _rows(stored) == _rows(relationship_rows.pair_rows(*pair)), pair
    # 30 September: customer 1 booked to officers 11 and 12, customer 2 borrows from 11 and
    # saves with 12; on (31 October, 30 September) customer 1 is officer 11's alone.
    assert [row[0] for row in _rows(sa.select(rows.c.bookings))] == [1] + [2] * 6
    steps = relationship_rows.relationship_steps
    departures = sa.select(*[c for c in steps.DEPARTURES.c if c.name != "id"])
    migrated_departures = _rows(departures)
    assert _rows(sa.select(steps.STEPS)) == [(SEPT, SEPT, OCT, SEPT)]
    with db.engine.begin() as connection:  # the app's writer, in place of what 0038 filled
        for pair in ((SEPT, SEPT), (OCT, SEPT)):
            relationship_rows.write_pair(connection, *pair)
    assert migrated == _rows(stored_rollups)
    assert migrated_departures == _rows(departures) == []  # both customers still there
    # customer 1 in October: one customer of officer 11, one product, a borrower without funds
    assert migrated == [(OCT, SEPT, 11, 1, 1, 1, 1, 0, 0, 0)]
