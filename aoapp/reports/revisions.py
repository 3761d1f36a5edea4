"""Revisions of a closed period: corrections recorded after it closed to records dated inside it.

A period's report is regenerated from the data (DOMAIN.md, "Periodic reports"): what happens
after the period is not in it (states are judged as of its judging day, events are those dated
inside it), so a closed period gives the same figures whenever it is made. What may still change
it is a correction to a record dated inside the period — a monitoring visit of 27 November logged
on 3 December, a note edited, a follow-up of the period moved out of it, a target changed. Each
such change wrote an audit entry, and the report names the latest of them.

Why audit entries and not a comparison with the previous generation: the report stays a function
of the data (the first generation after a correction says it too, a lost or deleted earlier file
changes nothing, two generations never disagree), and the audit entry says when and what. The
entry is read from its own before/after snapshot, so a deleted record or one moved out of the
period still counts. Changes of state dated by themselves (a follow-up completed, cancelled or
missed, a complaint escalated or resolved) are not corrections: the report judges them as of
the period's end.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import local_day_bounds, to_local
from aoapp.extensions import db
from aoapp.kpis.periods import Period

# The actions that change what a period shows of a record dated inside it.
CORRECTIONS = ("create", "update", "delete", "reschedule")


@dataclass(frozen=True)
class Dated:
    """An audited kind of record a report shows: its business date, customer and officer keys
    (as in its audit snapshot), and its name for people."""

    date_key: str
    customer_key: str | None
    officer_key: str
    name: str
    timestamp: bool = False  # the business date is a UTC timestamp (a complaint's receipt)


KINDS = {
    "monitoringvisit": Dated("visit_date", "customer_id", "officer_id", _l("monitoring visit")),
    "introduction": Dated("introduced_on", "customer_id", "officer_id", _l("introduction")),
    "followup": Dated("planned_date", "customer_id", "owner_id", _l("follow-up")),
    "promisetopay": Dated("promised_on", "customer_id", "officer_id", _l("promise to pay")),
    "complaint": Dated("received_at", "customer_id", "officer_id", _l("complaint"), True),
    "target": Dated("month", None, "officer_id", _l("target")),
}
ACTIONS = {
    "create": _l("recorded"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "reschedule": _l("rescheduled"),
}


@dataclass(frozen=True)
class Revision:
    """One correction: the audit entry, when, and the record it changed."""

    entry_id: int
    at: datetime
    entity_type: str
    entity_id: int
    action: str
    owner_id: int  # the customer (customer reports) or the officer (portfolio reports)


def closed_at(period: Period) -> datetime:
    """The UTC instant the period closes: the end of its last day in the bank's time zone."""
    return local_day_bounds(period.end, period.end)[1]


def _iso(moment: datetime) -> str:
    """A UTC instant as the audit snapshots write it, up to the seconds (compared as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _dated_in(snapshot, kind: Dated, period: Period, owner_key: str, ids: list[int]):
    """SQL: the snapshot (an entry's before or after) is of a record of `ids` dated in the period."""
    if kind.timestamp:
        start, end = local_day_bounds(period.start, period.end)
        day = snapshot[kind.date_key].as_string()
        in_period = sa.and_(day >= _iso(start), day < _iso(end))
    else:
        in_period = (
            snapshot[kind.date_key]
            .as_string()
            .between(period.start.isoformat(), period.end.isoformat())
        )
    return sa.and_(in_period, snapshot[owner_key].as_integer().in_(ids))


def _revisions(period: Period, ids: list[int], by_customer: bool) -> list[Revision]:
    """Corrections after the period closed to records of `ids` (customers or officers) dated
    inside it, newest first (one query)."""
    if not ids:
        return []
    kinds = []
    owner_columns = []
    for entity, kind in KINDS.items():
        key = kind.customer_key if by_customer else kind.officer_key
        if key is None:
            continue
        either = sa.or_(
            _dated_in(AuditEntry.after, kind, period, key, ids),
            _dated_in(AuditEntry.before, kind, period, key, ids),
        )
        kinds.append(sa.and_(AuditEntry.entity_type == entity, either))
        owner = sa.func.coalesce(
            AuditEntry.after[key].as_integer(), AuditEntry.before[key].as_integer()
        )
        owner_columns.append((AuditEntry.entity_type == entity, owner))
    stmt = (
        sa.select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.entity_type,
            AuditEntry.entity_id,
            AuditEntry.action,
            sa.case(*owner_columns).label("owner_id"),
        )
        .where(
            AuditEntry.at >= closed_at(period),
            AuditEntry.action.in_(CORRECTIONS),
            sa.or_(*kinds),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [Revision(*row) for row in db.session.execute(stmt)]


def customer_revisions(customer_ids: list[int], period: Period) -> dict[int, list[Revision]]:
    """Each customer's corrections to the period, newest first."""
    found: dict[int, list[Revision]] = {}
    for revision in _revisions(period, customer_ids, by_customer=True):
        found.setdefault(revision.owner_id, []).append(revision)
    return found


def officer_revisions(officer_ids: list[int], period: Period) -> list[Revision]:
    """The corrections to the period of records of these officers, newest first."""
    return _revisions(period, officer_ids, by_customer=False)


def revision_day(revision: Revision) -> date:
    """The bank's local day a correction was recorded on."""
    return to_local(revision.at).date()


def revision_text(revisions: Iterable[Revision], day_text) -> str | None:
    """`Revised on 3 Dec 2026: audit entry 812 (monitoring visit 41 recorded).`, with how many
    corrections there were; None when the period was not revised. `day_text` formats a date."""
    revisions = list(revisions)
    if not revisions:
        return None
    latest = revisions[0]
    values = {
        "day": day_text(revision_day(latest)),
        "entry": latest.entry_id,
        "record": str(KINDS[latest.entity_type].name),
        "id": latest.entity_id,
        "action": str(ACTIONS[latest.action]),
    }
    if len(revisions) == 1:
        return gettext(
            "Revised on %(day)s: audit entry %(entry)s (%(record)s %(id)s %(action)s).", **values
        )
    # Two or more (not a plural form: Indonesian has one, and its sentence names the count).
    return gettext(
        "Revised %(num)s times after the period closed, last on %(day)s: audit entry "
        "%(entry)s (%(record)s %(id)s %(action)s).",
        num=len(revisions),
        **values,
    )
