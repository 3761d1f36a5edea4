"""Migration 0038: the relationship rows already stored get their bookings, and their pairs the
rollups and the steps the app writes from them (funding/relationship_rows.py,
funding/relationship_steps.py); the downgrade drops them (SQLite, and PostgreSQL when
DATABASE_URL names one)."""

import os
from datetime import date

import flask_migrate
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.funding import relationship_rows, relationship_steps
from aoapp.funding.relationship_tables import DEPARTURES, ROLLUPS, ROWS, STEPS
from tests.databases import own_database
from tests.support.migrations import app_at

SEPT, OCT, NOV = date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30)
PAIRS = [(SEPT, SEPT), (OCT, OCT), (NOV, OCT)]
# (pair, customer, officer, borrower, depositor, products, has_credit, has_deposit)
ROWS_THEN = [
    (0, 1, 11, 1, 0, 2, 1, 1),  # customer 1: officer 11's borrower, officer 12's depositor
    (0, 1, 12, 0, 1, 2, 1, 1),
    (0, 2, 11, 1, 0, 1, 1, 0),  # customer 2 leaves after September
    (1, 1, 11, 1, 1, 2, 1, 1),
    (1, 3, 12, 0, 1, 1, 0, 1),  # customer 3 comes in October and leaves in November
    (2, 1, 11, 1, 1, 2, 1, 1),
]


def _rows(stmt) -> list[tuple]:
    with db.engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(stmt))


def test_the_bookings_rollups_and_steps_are_filled_and_dropped_on_downgrade(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    config = {"SQLALCHEMY_DATABASE_URI": own_database(url, "m0038")} if url else {}
    with app_at(tmp_path, "0037", **config):
        with db.engine.begin() as connection:
            for loans, deposits in PAIRS:
                connection.execute(
                    sa.text("INSERT INTO relationship_pairs VALUES (:l, :d)"),
                    {"l": loans, "d": deposits},
                )
            for pair, customer, officer, *flags in ROWS_THEN:
                connection.execute(
                    sa.text(
                        "INSERT INTO relationship_customers (loans_as_of, deposits_as_of,"
                        " customer_id, officer_id, branch_id, borrower, depositor, products,"
                        " has_credit, has_deposit) VALUES (:l, :d, :c, :o, 1, :b, :p, :n, :hc, :hd)"
                    ),
                    dict(zip(("b", "p", "n", "hc", "hd"), flags, strict=True))
                    | {"l": PAIRS[pair][0], "d": PAIRS[pair][1], "c": customer, "o": officer},
                )

        flask_migrate.upgrade(revision="0038")
        bookings = sa.select(ROWS.c.loans_as_of, ROWS.c.customer_id, ROWS.c.bookings)
        assert [row[2] for row in _rows(bookings) if row[0] == SEPT] == [2, 2, 1]
        rollups = sa.select(*[c for c in ROLLUPS.c if c.name != "id"])
        steps = sa.select(STEPS)
        departures = sa.select(*[c for c in DEPARTURES.c if c.name != "id"])
        migrated = [_rows(stmt) for stmt in (rollups, steps, departures)]
        assert migrated[1] == [(SEPT, SEPT, OCT, OCT), (OCT, OCT, NOV, OCT)]
        assert migrated[2] == [(SEPT, SEPT, OCT, OCT, 2, 11, 1), (OCT, OCT, NOV, OCT, 3, 12, 1)]
        # September: customer 2 alone in one group (officer 11): a borrower without funds
        assert [row[2:] for row in migrated[0] if row[0] == SEPT] == [(11, 1, 1, 1, 1, 0, 0, 0)]

        with db.engine.begin() as connection:  # the app's writers, from the same rows
            for table in (ROLLUPS, STEPS, DEPARTURES):
                connection.execute(sa.delete(table))
            for pair in PAIRS:
                relationship_rows.write_rollups(connection, *pair)
                relationship_steps.rewrite_around(connection, pair)
        assert [_rows(stmt) for stmt in (rollups, steps, departures)] == migrated

        flask_migrate.downgrade(revision="0037")
        names = set(sa.inspect(db.engine).get_table_names())
        assert not {"relationship_rollups", "relationship_steps", "relationship_departures"} & names
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("relationship_customers")}
        assert "bookings" not in columns
        assert len(_rows(sa.text("SELECT id FROM relationship_customers"))) == len(ROWS_THEN)
