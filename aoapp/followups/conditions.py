"""SQL conditions on follow-ups read by the list filters, written as the officer KPIs count them
(kpis/queries.py), so a dashboard's figure and the list behind its link agree."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from aoapp.common.dates import bank_zone
from aoapp.followups.models import FollowUp, FollowUpStatus


def local_day_start(day: date) -> datetime:
    """The UTC instant the bank's local day `day` begins (done_at is stored in UTC)."""
    return datetime.combine(day, time.min, bank_zone()).astimezone(UTC)


def done_from(day: date) -> sa.ColumnElement[bool]:
    """Done on `day` (the bank's local day) or later."""
    return sa.and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.done_at >= local_day_start(day))


def done_to(day: date) -> sa.ColumnElement[bool]:
    """Done on `day` (the bank's local day) or earlier."""
    end = local_day_start(day + timedelta(days=1))
    return sa.and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.done_at < end)


def overdue_on(day: date) -> sa.ColumnElement[bool]:
    """Overdue at the end of `day`: planned for an earlier day and not done by the end of `day`
    (still planned, or done only later). Cancelled and missed follow-ups are closed decisions."""
    day_end = local_day_start(day + timedelta(days=1))
    return sa.and_(
        FollowUp.planned_date < day,
        sa.or_(
            FollowUp.status == FollowUpStatus.PLANNED,
            sa.and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.done_at >= day_end),
        ),
    )
