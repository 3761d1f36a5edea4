"""What PostgreSQL says a table is made of, for the tests of what an import sets aside and builds
again (imports/bulk.py) and of the month partitions it builds (imports/partition.py)."""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.extensions import db


@pytest.fixture
def postgresql_only(app):
    """Skips a test where the database is not PostgreSQL: only there are listings partitioned
    by month (use it with `pytest.mark.usefixtures("postgresql_only")`)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("positions and deposit positions are partitioned on PostgreSQL only")


def schema_of(table: str) -> list[tuple]:
    """The table's indexes and constraints, each as its definition."""
    return db.session.execute(
        sa.text(
            "SELECT 'index', indexdef FROM pg_indexes WHERE tablename = :t UNION ALL"
            " SELECT 'key', pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = CAST(:t AS regclass) ORDER BY 1, 2"
        ),
        {"t": table},
    ).all()


def partitions_by_date(table: str) -> dict[date, str]:
    """Each date of `table` (positions, deposit positions) → the partition holding its rows
    (one per date, or a failure)."""
    rows = db.session.execute(
        sa.text(f"SELECT as_of, tableoid::regclass::text FROM {table} GROUP BY 1, 2")  # noqa: S608
    ).all()
    found: dict[date, str] = {}
    for as_of, partition in rows:
        assert as_of not in found, f"{as_of} is split over {found[as_of]} and {partition}"
        found[as_of] = partition
    return found


def in_page_order(table: str, as_of: date, column: str = "as_of") -> list[tuple]:
    """(branch id, officer id, customer id) of `table`'s rows whose `column` is `as_of`, in the
    order they lie on the table's pages."""
    return [
        tuple(row)
        for row in db.session.execute(
            sa.text(
                f"SELECT branch_id, officer_id, customer_id FROM {table}"  # noqa: S608
                f" WHERE {column} = :as_of ORDER BY tableoid, ctid"
            ),
            {"as_of": as_of},
        )
    ]


def broken_finish(_build):
    """In place of `partition.MonthBuild.finish`: the build fails before its swap."""
    raise RuntimeError("the disk filled up while building the indexes")
