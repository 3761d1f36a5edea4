"""The grouped queries behind kpis/officers.py: one per source, for every officer at once.

Each returns {officer id: {KPI name: value}} for the officers that have something to count;
officers.py holds the definitions and assembles the rows.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common.ids import among
from aoapp.common.money import to_money
from aoapp.credit import rollup_reads
from aoapp.credit.collectibility import NPL_KOLS
from aoapp.credit.measures import aggregates
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


# The measures the officer KPIs read (credit/measures.py).
PORTFOLIO_KEYS = (
    "facilities",
    "outstanding",
    *(f"kol{kol}_total" for kol in NPL_KOLS),
    f"par{PAR_KPI_DAYS}",
    "downgrades",
)


def portfolio(ids: list[int], as_of: date | None, condition) -> dict[int, dict]:
    """Debtors, facilities, outstanding, NPL, PAR 30 and downgrades per officer on `as_of`: on
    the month-end aggregates when the date has them, else on the positions."""
    if as_of is None:
        return {}
    rows = rollup_reads.officer_rows(ids, as_of, condition, PORTFOLIO_KEYS)
    if rows is None:
        stmt = (
            sa.select(Position.officer_id, *aggregates(PORTFOLIO_KEYS))
            .where(condition, Position.as_of == as_of, among(Position.officer_id, ids))
            .group_by(Position.officer_id)
        )
        rows = {row["officer_id"]: row for row in db.session.execute(stmt).mappings()}
    return {
        officer: {
            "debtors": int(row["debtors"]),
            "facilities": int(row["facilities"]),
            "outstanding": _money(row["outstanding"]),
            "npl_outstanding": sum((_money(row[f"kol{kol}_total"]) for kol in NPL_KOLS), ZERO),
            "par30_outstanding": _money(row[f"par{PAR_KPI_DAYS}"]),
            "downgrades": int(row["downgrades"] or 0),
        }
        for officer, row in rows.items()
    }


def prospects(ids: list[int], start: datetime, end: datetime) -> dict[int, dict]:
    """Prospects collected in [start, end) per owner, and how many of them were converted by end."""
    converted = sa.and_(Prospect.converted_at.is_not(None), Prospect.converted_at < end)
    stmt = (
        sa.select(Prospect.owner_id, sa.func.count(), sa.func.sum(sa.case((converted, 1), else_=0)))
        .where(
            among(Prospect.owner_id, ids), Prospect.created_at >= start, Prospect.created_at < end
        )
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
        .where(among(Introduction.officer_id, ids), Introduction.introduced_on.between(first, last))
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
        .where(among(FollowUp.owner_id, ids))
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
            among(PromiseToPay.officer_id, ids),
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
