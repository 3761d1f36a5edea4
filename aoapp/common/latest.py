"""The last listing date on or before a day: `max(as_of) WHERE as_of <= day`, planned cheaply.

`positions` and `deposit_positions` are partitioned by month. Asked over every partition, the
planner takes ~2 ms for this one-row answer (13 month partitions of 7 indexes each; 0.3 ms to
run it), and more with each month kept. Asked first within the two months before the day, it
plans the two or three partitions that range leaves (~0.4 ms) and finds the answer there
whenever a listing came in lately; only when none did is every partition asked (bench/README.md).
The answer is the same either way.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from aoapp.extensions import db

RECENT_DAYS = 62  # the last two months: any bank's listings come in more often than that


def last_date_on_or_before(as_of: sa.ColumnElement, day: date, *where) -> date | None:
    """The largest `as_of` (a positions table's date column) on or before `day` among the rows
    `where` keeps, or None."""
    recent = as_of > day - timedelta(days=RECENT_DAYS)
    for bounds in ((as_of <= day, recent), (as_of <= day,)):
        found = db.session.scalar(sa.select(sa.func.max(as_of)).where(*bounds, *where))
        if found is not None:
            return found
    return None
