"""Planner statistics after a listing (common/planner.py): PostgreSQL analyzes a table whose
statistics are stale, and a date column whose statistics have not seen the newest date, and then
not again; SQLite has nothing to analyze."""

from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.common.planner import analyze_stale, analyze_unseen
from aoapp.extensions import db
from tests.support import renewals as R
from tests.support.renewals import loader  # noqa: F401  (the fixture)

pytestmark = pytest.mark.today(R.TODAY)
MATURES = date(2033, 3, 3)  # a maturity no other test writes


def seen(table: str, column: str, day: date) -> bool:
    stats = sa.text(
        "SELECT most_common_vals::text FROM pg_stats WHERE tablename = :t AND attname = :c"
    )
    values = db.session.execute(stats, {"t": table, "c": column}).scalars().all()
    return any(day.isoformat() in (found or "") for found in values)


def test_the_statistics_see_the_newest_date_after_one_analyze(world, loader):  # noqa: F811
    code = world.officer.officer_code
    rows = [R.loan(f"Z{n}", f"CIF9{n}", code, date(2027, 1, 10)) for n in (1, 2)]
    loader.loan_listing(rows, R.OCT31)  # two rows: a value seen twice is a most common one
    if db.engine.dialect.name != "postgresql":
        assert analyze_unseen("positions", "as_of", R.OCT31) is False
        assert analyze_stale("positions", "facilities") == []
        return
    analyze_unseen("positions", "as_of", R.OCT31)  # analyzed unless an earlier test did
    assert seen("positions", "as_of", R.OCT31)
    assert analyze_unseen("positions", "as_of", R.OCT31) is False
    assert analyze_unseen("positions", "as_of", None) is False  # no listing yet

    assert not seen("renewal_opportunities", "maturity_date", MATURES)
    db.session.execute(sa.update(R.RenewalOpportunity).values(maturity_date=MATURES, plafond=None))
    db.session.commit()
    assert analyze_unseen("renewal_opportunities", "maturity_date", MATURES) is True
    assert seen("renewal_opportunities", "maturity_date", MATURES)


def test_stale_tables_are_analyzed_then_left_to_autovacuum(world, loader):  # noqa: F811
    code = world.officer.officer_code
    loader.loan_listing([R.loan("Z2", "CIF92", code, date(2029, 1, 10))], R.OCT31)
    if db.engine.dialect.name != "postgresql":
        assert analyze_stale("facilities", "customers") == []
        return
    analyze_stale("facilities", "customers")  # whatever this and earlier tests changed
    assert analyze_stale("facilities", "customers") == []
    assert analyze_stale() == []


def test_a_table_of_the_same_name_in_another_schema_is_not_this_ones(world):
    """The statistics are read for the app's own schema: a `customers` elsewhere in the database
    (a reporting copy, the suite's copies of its fixtures) is neither analyzed nor reported."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    db.session.execute(sa.text("CREATE SCHEMA IF NOT EXISTS elsewhere"))
    db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS elsewhere.customers (id int)"))
    db.session.commit()
    try:
        analyze_stale("customers")  # ours, whatever earlier tests changed
        assert analyze_stale("customers") == []  # the other one, never analyzed, is not ours
    finally:
        db.session.execute(sa.text("DROP SCHEMA elsewhere CASCADE"))
        db.session.commit()
