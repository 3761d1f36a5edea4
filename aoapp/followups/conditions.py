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


def settled_at() -> sa.ColumnElement:
    """When a follow-up stopped being planned: its done_at when done; when cancelled or missed,
    its updated_at (a settled follow-up never changes again: only a planned one does,
    actions.require_change); None while planned."""
    return sa.case(
        (FollowUp.status == FollowUpStatus.PLANNED, sa.null()),
        (FollowUp.status == FollowUpStatus.DONE, FollowUp.done_at),
        else_=FollowUp.updated_at,
    )


def planned_at(end: datetime) -> sa.ColumnElement[bool]:
    """Still planned at the instant `end` (settled only later, or not yet)."""
    return sa.or_(FollowUp.status == FollowUpStatus.PLANNED, settled_at() >= end)


def status_at(end: datetime) -> sa.ColumnElement[str]:
    """The follow-up's status at the instant `end`: planned if it was settled only later."""
    return sa.case(
        (planned_at(end), sa.literal(FollowUpStatus.PLANNED.value)), else_=FollowUp.status
    )


def overdue_on(day: date) -> sa.ColumnElement[bool]:
    """Overdue at the end of `day`: planned for an earlier day and still planned at the end of
    `day` (done, cancelled or missed only later, or not yet): what was true that day, whatever
    happened to it since."""
    return sa.and_(
        FollowUp.planned_date < day, planned_at(local_day_start(day + timedelta(days=1)))
    )
