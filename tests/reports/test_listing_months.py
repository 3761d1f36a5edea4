"""`listing_months`: the months with a loan listing, newest first, in one statement."""

from datetime import date

from sqlalchemy import event

from aoapp.extensions import db
from aoapp.reports.listing import listing_months
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer


def codes(months) -> list[str]:
    return [month.code for month in months]


def test_no_listing_no_month(app, world):
    assert listing_months() == []


def test_months_newest_first_with_gaps_and_several_dates_in_a_month(app, world):
    facility = make_facility(make_customer(world.officer))
    # Two listings in March 2026 (mid-month and month-end), none in April, a year-end in 2025.
    days = [date(2025, 12, 31), date(2026, 2, 28), date(2026, 3, 15), date(2026, 3, 31),
            date(2026, 5, 31), date(2026, 6, 30)]  # fmt: skip
    for day in days:
        post_listing(day, [(facility, 0, "1000000")])
    assert codes(listing_months()) == ["2026-06", "2026-05", "2026-03", "2026-02", "2025-12"]
    assert codes(listing_months(2)) == ["2026-06", "2026-05"]
    assert codes(listing_months(1)) == ["2026-06"]


def test_one_statement_however_many_months(app, world):
    facility = make_facility(make_customer(world.officer))
    for month in range(1, 13):
        post_listing(date(2025, month, 28), [(facility, 0, "1000000")])
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        months = listing_months(12)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(months) == 12 and len(statements) == 1
    assert codes(months)[0] == "2025-12" and codes(months)[-1] == "2025-01"
