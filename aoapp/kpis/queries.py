"""The grouped queries behind kpis/officers.py: one per source, for every officer at once.

Each returns {officer id: {KPI name: value}} for the officers that have something to count;
officers.py holds the definitions and assembles the rows.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common.money import to_money
from aoapp.credit.collectibility import NPL_KOLS
from aoapp.credit.models import Position
from aoapp.extensions import db
from aoapp.followups import conditions
from aoapp.followups.models import FollowUp, FollowUpStatus, PromiseState, PromiseToPay
from aoapp.followups.promises import as_of_state_column, made_by
from aoapp.introductions.models import Introduction
from aoapp.prospects.models import Prospect

PAR_KPI_DAYS = 30
ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    return ZERO if value is None else to_money(str(value))


def portfolio(ids: list[int], as_of: date | None, condition) -> dict[int, dict]:
    """Debtors, facilities, outstanding, NPL, PAR 30 and downgrades per officer on `as_of`."""
    if as_of is None:
        return {}

    def total_if(when):
        return sa.func.sum(sa.case((when, Position.outstanding), else_=0))

    worse = sa.and_(Position.prev_kol.is_not(None), Position.debtor_kol > Position.prev_kol)
    stmt = (
        sa.select(
            Position.officer_id,
            sa.func.count(sa.distinct(Position.customer_id)),
            sa.func.count(Position.id),
            sa.func.sum(Position.outstanding),
            total_if(Position.debtor_kol.in_(NPL_KOLS)),
            total_if(Position.dpd > PAR_KPI_DAYS),
            sa.func.sum(sa.case((worse, 1), else_=0)),
        )
        .where(condition, Position.as_of == as_of, Position.officer_id.in_(ids))
        .group_by(Position.officer_id)
    )
    return {
        officer: {
            "debtors": int(debtors),
            "facilities": int(count),
            "outstanding": _money(total),
            "npl_outstanding": _money(npl),
            "par30_outstanding": _money(par),
            "downgrades": int(down or 0),
        }
        for officer, debtors, count, total, npl, par, down in db.session.execute(stmt)
    }


def prospects(ids: list[int], start: datetime, end: datetime) -> dict[int, dict]:
    """Prospects collected in [start, end) per owner, and how many of them were converted by end."""
    converted = sa.and_(Prospect.converted_at.is_not(None), Prospect.converted_at < end)
    stmt = (
        sa.select(Prospect.owner_id, sa.func.count(), sa.func.sum(sa.case((converted, 1), else_=0)))
        .where(Prospect.owner_id.in_(ids), Prospect.created_at >= start, Prospect.created_at < end)
        .group_by(Prospect.owner_id)
    )
    return {
        owner: {"prospects_collected": int(n), "prospects_converted": int(won or 0)}
        for owner, n, won in db.session.execute(stmt)
    }


def introductions(ids: list[int], first: date, last: date) -> dict[int, dict]:
    """Introductions made from `first` to `last` per officer."""
    stmt = (
        sa.select(Introduction.officer_id, sa.func.count())
        .where(Introduction.officer_id.in_(ids), Introduction.introduced_on.between(first, last))
        .group_by(Introduction.officer_id)
    )
    return {officer: {"introductions": int(n)} for officer, n in db.session.execute(stmt)}


def followups(ids: list[int], start: datetime, end: datetime, overdue_on: date) -> dict:
    """Follow-ups done in [start, end) and overdue at the end of `overdue_on` (followups'
    own condition, which the list behind the dashboard's link filters by), per owner."""
    done = sa.and_(
        FollowUp.status == FollowUpStatus.DONE, FollowUp.done_at >= start, FollowUp.done_at < end
    )
    stmt = (
        sa.select(
            FollowUp.owner_id,
            sa.func.sum(sa.case((done, 1), else_=0)),
            sa.func.sum(sa.case((conditions.overdue_on(overdue_on), 1), else_=0)),
        )
        .where(FollowUp.owner_id.in_(ids))
        .group_by(FollowUp.owner_id)
    )
    return {
        owner: {"followups_done": int(d or 0), "followups_overdue": int(o or 0)}
        for owner, d, o in db.session.execute(stmt)
    }


def promises(ids: list[int], first: date, last: date, judged_on: date) -> dict[int, dict]:
    """Promises made by `judged_on` with a deadline in [first, last] per officer and state,
    judged as of `judged_on` (followups/promises.as_of_state_column)."""
    states = (
        sa.select(
            PromiseToPay.officer_id.label("officer_id"),
            as_of_state_column(judged_on).label("state"),
        )
        .where(
            PromiseToPay.officer_id.in_(ids),
            PromiseToPay.deadline.between(first, last),
            made_by(judged_on),
        )
        .subquery()
    )
    stmt = sa.select(states.c.officer_id, states.c.state, sa.func.count()).group_by(
        states.c.officer_id, states.c.state
    )
    found: dict[int, dict] = {}
    for officer, state, n in db.session.execute(stmt):
        counts = found.setdefault(officer, {"ptp_kept": 0, "ptp_broken": 0})
        if state == PromiseState.KEPT.value:
            counts["ptp_kept"] = int(n)
        elif state == PromiseState.BROKEN.value:
            counts["ptp_broken"] = int(n)
    return found
