"""The watchlist's signals about follow-up work (a broken promise to pay, no follow-up), and
the planned follow-up whose outcome a watchlist row offers to log.

They are credit's early-warning signals (credit/signals.py) that read follow-ups and promises,
so they live here and join the watchlist with `watch_signal`, after credit's own.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from aoapp.common.dates import local_day_bounds
from aoapp.common.i18n import format_date, format_money
from aoapp.credit.models import Position
from aoapp.credit.signals import Signal, SignalContext, alias, flag, watch_signal, watched
from aoapp.credit.watchlist import planned_followups
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, FollowUpStatus, PromiseToPay
from aoapp.followups.promises import broken_condition

FOLLOW_UP_WINDOW_DAYS = 7  # DPD > 0 needs a follow-up done within this many days


def _day_after(column) -> sa.ColumnElement:
    """SQL: the date after a date column (date arithmetic differs per database)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column, "+1 day", type_=sa.Date)
    return sa.cast(column + sa.text("INTERVAL '1 day'"), sa.Date)


def broken_ptp(ctx: SignalContext) -> sa.Select:
    """The facility's latest promise to pay (made by the reference day) is broken on that day.

    Dated the day after the promise's deadline, when it became broken.
    """
    promise = alias(PromiseToPay, "signal_promise")
    other = alias(PromiseToPay, "other_promise")
    reference = ctx.reference
    latest = (
        sa.select(other.id)
        .where(other.facility_id == promise.facility_id, other.promised_on <= reference)
        .order_by(other.promised_on.desc(), other.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = flag(
        ctx,
        sa.and_(
            promise.id == latest,
            broken_condition(reference, promise),
        ),
        signal_date=_day_after(promise.deadline),
        detail_id=promise.id,
    )
    return stmt.join(promise, promise.facility_id == Position.facility_id)


def no_follow_up(ctx: SignalContext) -> sa.Select:
    """DPD > 0 and no follow-up with the customer done in the 7 days ending on the reference day."""
    reference = ctx.reference
    start, end = local_day_bounds(reference - timedelta(days=FOLLOW_UP_WINDOW_DAYS - 1), reference)
    done = sa.exists().where(
        FollowUp.customer_id == Position.customer_id,
        FollowUp.status == FollowUpStatus.DONE,
        FollowUp.done_at >= start,
        FollowUp.done_at < end,
    )
    return flag(ctx, sa.and_(Position.dpd > 0, watched(), ~done))


def _broken_ptp_reason(_position, _facility, promise, _bands) -> str:
    return _(
        "Promise to pay %(amount)s by %(day)s was broken.",
        amount=format_money(promise.promised_amount),
        day=format_date(promise.promised_date),
    )


def _no_follow_up_reason(position, _facility, _detail, _bands) -> str:
    return ngettext(
        "%(num)s day past due and no follow-up done in the last %(window)s days.",
        "%(num)s days past due and no follow-up done in the last %(window)s days.",
        position.dpd,
        window=FOLLOW_UP_WINDOW_DAYS,
    )


# After credit's signals, in this order (the order of a facility's entries on the same date).
watch_signal(
    "broken_ptp", Signal(_l("Broken promise"), broken_ptp, _broken_ptp_reason, PromiseToPay)
)
watch_signal("no_follow_up", Signal(_l("No follow-up"), no_follow_up, _no_follow_up_reason))


@planned_followups
def next_planned(pairs: list[tuple[int, int]]) -> dict[int, int]:
    """{facility id: its next planned follow-up}: the earliest planned with the customer about
    the facility or the customer in general (as the portfolio workbook's Delinquent sheet)."""
    customer_ids = {customer for customer, _facility in pairs}
    stmt = (
        sa.select(FollowUp.id, FollowUp.customer_id, FollowUp.facility_id)
        .where(FollowUp.customer_id.in_(customer_ids), FollowUp.status == FollowUpStatus.PLANNED)
        .order_by(FollowUp.planned_date, FollowUp.id)
    )
    planned = db.session.execute(stmt).all()
    found = {}
    for customer, facility in pairs:
        for row in planned:
            if row.customer_id == customer and row.facility_id in (None, facility):
                found[facility] = row.id
                break
    return found
