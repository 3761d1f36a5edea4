"""Which listings there are (common/latest.py): the listing dates kept beside the positions by
every writer, and the last listing date on or before a day — the same answer as the plain
`max(as_of) <= day`: the bank's read from the listing dates, a scope's asked of its positions
first within the last two months (cheap to plan over the month partitions), then everywhere."""

import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.common.latest import last_date_on_or_before
from aoapp.credit.figures import previous_month_end
from aoapp.credit.holdings import facility_holdings
from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.funding.holdings import deposit_lines
from aoapp.funding.models import DepositPosition
from aoapp.funding.trend import month_ends as funding_month_ends
from aoapp.imports.models import ImportStatus
from aoapp.imports.services import run_import
from aoapp.reports.customer.queries import listing_dates as report_dates
from tests.support import listings as L
from tests.support.credit import make_facility, post_listing
from tests.support.factories import make_customer
from tests.support.holdings import make_deposit, post_deposit
from tests.support.statements import recorded

DAY = date(2026, 11, 20)
OCT_END = date(2026, 10, 31)


def _plain(as_of, day, *where):
    return db.session.scalar(sa.select(sa.func.max(as_of)).where(as_of <= day, *where))


def _asked(*args) -> tuple[object, int]:
    """last_date_on_or_before(*args), and the number of statements it took."""
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        return last_date_on_or_before(*args), len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_the_same_answer_as_the_plain_maximum(world):
    assert last_date_on_or_before(Position.as_of, DAY) is None
    mine = make_facility(make_customer(world.officer), "KMK-LATEST-1")
    theirs = make_facility(make_customer(world.remote), "KMK-LATEST-2")
    post_listing(date(2026, 6, 30), [(mine, 0, 100), (theirs, 0, 100)])  # five months before
    post_listing(date(2026, 11, 10), [(theirs, 0, 100)])
    post_listing(date(2026, 11, 25), [(mine, 0, 100), (theirs, 0, 100)])  # after the day
    db.session.commit()
    mine_only = Position.officer_id == world.officer.id
    for day, where, expected in (  # the bank's: one statement on the listing dates
        (DAY, (), date(2026, 11, 10)),  # in the last two months: one statement
        (DAY, (mine_only,), date(2026, 6, 30)),  # none lately: every month asked
        (date(2026, 9, 30), (), date(2026, 6, 30)),
        (date(2026, 6, 29), (), None),
        (date(2026, 11, 25), (mine_only,), date(2026, 11, 25)),
    ):
        found, statements = _asked(Position.as_of, day, *where)
        assert found == expected == _plain(Position.as_of, day, *where), (day, where)
        if not where:
            assert statements == 1, day
        else:
            assert statements == (1 if expected and (day - expected).days < 62 else 2), day


def test_deposit_listings_too(world):
    account = make_deposit(make_customer(world.officer), "TAB", account_no="TAB-LATEST")
    post_deposit(account, date(2026, 8, 31), 1_000_000, commit=False)
    post_deposit(account, date(2026, 10, 31), 1_000_000)
    assert last_date_on_or_before(DepositPosition.as_of, DAY) == date(2026, 10, 31)
    assert last_date_on_or_before(DepositPosition.as_of, date(2026, 10, 30)) == date(2026, 8, 31)


def _listed(kind: str) -> list[date]:
    return list(latest.listed(kind).dates)


def _positions_dates(model) -> list[date]:
    return sorted(db.session.scalars(sa.select(model.as_of).distinct()))


def test_the_listing_dates_follow_every_write_of_positions(world):
    facility = make_facility(make_customer(world.officer), "KMK-LISTED-1")
    account = make_deposit(make_customer(world.officer), "TAB", account_no="TAB-LISTED")
    assert _listed(latest.LOANS) == _listed(latest.DEPOSITS) == []
    post_listing(date(2026, 9, 30), [(facility, 0, 100)])
    positions = post_listing(date(2026, 10, 31), [(facility, 0, 90)])
    post_deposit(account, date(2026, 10, 31), 1_000_000)
    db.session.commit()
    assert _listed(latest.LOANS) == _positions_dates(Position) == [date(2026, 9, 30), OCT_END]
    assert _listed(latest.DEPOSITS) == _positions_dates(DepositPosition) == [OCT_END]
    # A date whose last position goes is no longer listed (the ORM's flush rewrites it).
    db.session.delete(positions[facility.id])
    db.session.commit()
    assert _listed(latest.LOANS) == _positions_dates(Position) == [date(2026, 9, 30)]
    listed = latest.listed(latest.LOANS)
    assert listed.newest() == listed.newest(OCT_END) == date(2026, 9, 30)
    assert listed.newest(date(2026, 9, 29)) is None
    assert listed.last_between(date(2026, 10, 1), OCT_END) is None
    assert listed.month_ends() == [date(2026, 9, 30)]


def test_the_month_ends_are_each_months_last_listing():
    listed = latest.Listed((date(2026, 9, 15), date(2026, 9, 30), date(2026, 10, 10)))
    assert listed.month_ends() == [date(2026, 10, 10), date(2026, 9, 30)]
    assert listed.last_between(date(2026, 9, 1), date(2026, 9, 29)) == date(2026, 9, 15)
    assert listed.newest(date(2026, 10, 9)) == date(2026, 9, 30)


def test_an_import_lists_its_date_with_its_positions(world, tmp_path):
    L.catalogue()
    rows = [L.line(f"LISTED{i:03d}", f"CIFLISTED{i}", world.officer.officer_code) for i in range(5)]
    path = L.write_csv(tmp_path / "listing.csv", rows)
    outcome = run_import(str(path), OCT_END, user=None, source="cli")
    assert outcome.record.status == ImportStatus.SUCCEEDED
    db.session.expire_all()
    assert _listed(latest.LOANS) == _positions_dates(Position) == [OCT_END]


def test_the_pages_date_lookups_read_the_listing_dates_not_the_positions(world):
    mine = make_customer(world.officer)
    facility = make_facility(mine, "KMK-LISTED-2")
    account = make_deposit(mine, "TAB", account_no="TAB-LISTED-2")
    for day, outstanding in ((date(2026, 8, 31), 300), (date(2026, 9, 30), 200), (OCT_END, 100)):
        post_listing(day, [(facility, 0, outstanding)])
    post_deposit(account, date(2026, 9, 15), 1_000_000, commit=False)
    post_deposit(account, date(2026, 9, 30), 2_000_000)
    with recorded() as seen:
        held = facility_holdings([mine.id], date(2026, 10, 30))[mine.id]
        funds = deposit_lines([mine.id], OCT_END)[mine.id]
        trend = funding_month_ends(OCT_END)
        after, deposits = report_dates(date(2026, 8, 31), date(2026, 9, 20))
        previous = previous_month_end(OCT_END)
    assert [h.amount for h in held] == [Decimal("200.00")]  # September's listing
    assert [line.balance for line in funds] == [Decimal("2000000.00")]
    assert trend == [date(2026, 9, 30)]  # September's last deposits listing
    assert (after, deposits, previous) == (date(2026, 9, 30), date(2026, 9, 15), date(2026, 9, 30))
    # The dates are values in the statements, not lookups of the positions' maximum or minimum.
    assert not [s for s in seen if re.search(r"(max|min)\((deposit_)?positions\.as_of\)", s)]
