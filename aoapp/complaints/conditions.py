"""SQL conditions on complaints as of an instant: the status a complaint had then, and whether it
was open, so a past period's report and dashboard say what was true at its end."""

from datetime import date, datetime

import sqlalchemy as sa

from aoapp.complaints.models import OPEN_STATUSES, Complaint, ComplaintStatus


def _by(column, end: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(column.is_not(None), column < end)


def status_at(end: datetime) -> sa.ColumnElement[str]:
    """The complaint's status at the instant `end`: closed or resolved when that happened
    before `end`; an open status as it is now; escalated when escalated before `end`; else open
    (resolved or escalated only later)."""
    return sa.case(
        (_by(Complaint.closed_at, end), sa.literal(ComplaintStatus.CLOSED.value)),
        (_by(Complaint.resolved_at, end), sa.literal(ComplaintStatus.RESOLVED.value)),
        (Complaint.status.in_([s.value for s in OPEN_STATUSES]), Complaint.status),
        (_by(Complaint.escalated_at, end), sa.literal(ComplaintStatus.ESCALATED.value)),
        else_=sa.literal(ComplaintStatus.OPEN.value),
    )


def open_at(end: datetime) -> sa.ColumnElement[bool]:
    """Received before the instant `end` and not resolved or closed by then."""
    settled = sa.or_(_by(Complaint.resolved_at, end), _by(Complaint.closed_at, end))
    open_then = sa.or_(
        Complaint.status.in_([s.value for s in OPEN_STATUSES]),
        Complaint.resolved_at.is_not(None),  # resolved only after `end`
        Complaint.closed_at.is_not(None),
    )
    return sa.and_(Complaint.received_at < end, ~settled, open_then)


def overdue_at(end: datetime, day: date) -> sa.ColumnElement[bool]:
    """Open at the instant `end` and due before `day` (the day `end` closes)."""
    return sa.and_(open_at(end), Complaint.due_date < day)
