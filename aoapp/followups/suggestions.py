"""Suggested collection follow-ups: after each positions import, and for broken promises to pay.

After the import of the newest listing, every active facility whose position shows DPD > 0 and
that has no planned collection follow-up gets one, owned by the customer's current officer:

    DPD 1-30   call,  within 2 working days
    DPD 31-90  visit, within 5 working days
    DPD > 90   visit, within 2 working days, on the supervisor's escalation list

A broken promise to pay (the latest promise of its facility) suggests a collection call on the
next working day. A planned day on which collection is not allowed (COLLECTION_DAYS, holidays:
`common.collection_window`) moves to the next one that is; suggestions carry no time, so the
officer contacts within the window's hours (the agenda refuses contact outside them). Each suggestion carries a `suggestion_key` (the listing date, or `ptp:<id>`)
unique per facility, so re-running an import or the daily command never suggests twice, even
after the officer cancelled the first suggestion. A back-filled (older) listing suggests nothing.

The system creates suggestions (`created_by_id` NULL) set-based, with no audit entry per row: a
listing may make 50,000 suggestions, and the import record (its summary counts them) is their
audit trail, as it is for the facilities the importer creates. Every later change an officer
makes to a suggestion is audited by the follow-up services.

A suggestion's note is stored as a code and its parameters (`note_code`, `note_params`;
aoapp.common.system_text) and rendered in the reader's language wherever it is shown (pages, API,
agenda, workbooks, calendar feed); the officer's own notes follow it, as typed.
"""

import logging
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from aoapp.auth.models import User
from aoapp.common import latest
from aoapp.common.collection_window import next_collection_day
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.system_text import params_of, sql_params
from aoapp.common.transaction import unit_of_work
from aoapp.common.workdays import add_working_days
from aoapp.credit.models import Facility, FacilityStatus, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups import texts
from aoapp.followups.models import (
    Channel,
    FollowUp,
    FollowUpStatus,
    PromiseToPay,
    Purpose,
    SuggestionRule,
)
from aoapp.followups.promises import broken_condition
from aoapp.imports.kinds import after_import

log = logging.getLogger(__name__)
follow_ups = FollowUp.__table__


@dataclass(frozen=True)
class Band:
    """One DPD band of the suggestion rule."""

    max_dpd: int | None  # None: no upper bound
    rule: SuggestionRule
    channel: Channel
    working_days: int
    escalated: bool


BANDS = (
    Band(30, SuggestionRule.DPD_1_30, Channel.CALL, 2, False),
    Band(90, SuggestionRule.DPD_31_90, Channel.VISIT, 5, False),
    Band(None, SuggestionRule.DPD_OVER_90, Channel.VISIT, 2, True),
)
BROKEN_PTP_WORKING_DAYS = 1


def planned_day(today: date, working_days: int) -> date:
    """`working_days` after today, moved to the next day collection contact is allowed on
    (COLLECTION_DAYS outside holidays): a suggestion is never planned outside the window."""
    return next_collection_day(add_working_days(today, working_days))


def band_for(dpd: int) -> Band | None:
    """The band of a DPD (None when nothing is overdue)."""
    if dpd <= 0:
        return None
    return next(b for b in BANDS if b.max_dpd is None or dpd <= b.max_dpd)


def _by_band(dpd, value_of) -> sa.ColumnElement:
    """SQL CASE giving each band's value (`value_of(band)`, a SQL expression) for a DPD column."""
    *bounded, last = BANDS
    return sa.case(*((dpd <= b.max_dpd, value_of(b)) for b in bounded), else_=value_of(last))


def _planned_collection(facility_id) -> sa.Exists:
    """A planned collection follow-up on the facility exists."""
    return sa.exists().where(
        FollowUp.facility_id == facility_id,
        FollowUp.purpose == Purpose.COLLECTION,
        FollowUp.status == FollowUpStatus.PLANNED,
    )


def _suggested(facility_id, key) -> sa.Exists:
    """A follow-up with this suggestion key exists on the facility (in any status)."""
    return sa.exists().where(FollowUp.facility_id == facility_id, FollowUp.suggestion_key == key)


# --- Notes: a code and its parameters, shown in the reader's language (followups/texts.py) ---


def _listing_note_params(as_of: date, dpd) -> sa.ColumnElement:
    """SQL: the listing suggestion's note parameters (the listing's date, the row's DPD)."""
    return sql_params(
        db.session.get_bind().dialect.name, day=sa.literal(as_of.isoformat()), dpd=dpd
    )


def broken_promise_params(promise: PromiseToPay) -> dict:
    """The parameters of a broken promise's note: its amount and date."""
    return params_of(amount=promise.promised_amount, day=promise.promised_date)


def latest_listing_date() -> date | None:
    """The newest as-of date of any position."""
    return latest.newest(latest.LOANS)


def _officer_join(stmt: sa.Select, officer) -> sa.Select:
    """Join the customer's current officer, when there is one and the account is active."""
    return stmt.outerjoin(
        officer, sa.and_(officer.id == Customer.officer_id, officer.active == sa.true())
    )


def _listing_candidates(as_of: date, officer) -> sa.Select:
    """Delinquent active facilities on `as_of` needing a suggestion (no officer check yet)."""
    stmt = (
        sa.select()
        .select_from(Position)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Customer, Customer.id == Facility.customer_id)
        .where(
            Position.as_of == as_of,
            Position.dpd > 0,
            Facility.status == FacilityStatus.ACTIVE,
            ~_planned_collection(Position.facility_id),
            ~_suggested(Position.facility_id, as_of.isoformat()),
        )
    )
    return _officer_join(stmt, officer)


def _suggest_for_listing(as_of: date, today: date) -> dict:
    """Insert the listing's suggestions in one INSERT ... SELECT; return the counts."""
    officer = aliased(User)
    dpd = Position.dpd
    rule = _by_band(dpd, lambda b: sa.literal(b.rule.value))
    candidates = (
        _listing_candidates(as_of, officer)
        .add_columns(rule.label("rule"), officer.id.label("officer_id"))
        .subquery()
    )
    tally = sa.select(
        candidates.c.rule, candidates.c.officer_id.is_(None), sa.func.count()
    ).group_by(candidates.c.rule, candidates.c.officer_id.is_(None))
    counts = {band.rule.value: 0 for band in BANDS} | {"skipped_no_officer": 0}
    for rule_code, no_officer, count in db.session.execute(tally):
        counts["skipped_no_officer" if no_officer else rule_code] += count
    planned = {b.rule: planned_day(today, b.working_days) for b in BANDS}
    now = sa.literal(utcnow(), follow_ups.c.created_at.type)
    values = {
        "customer_id": Customer.id,
        "facility_id": Position.facility_id,
        "owner_id": officer.id,
        "channel": _by_band(dpd, lambda b: sa.literal(b.channel.value)),
        "purpose": sa.literal(Purpose.COLLECTION.value),
        "planned_date": _by_band(dpd, lambda b: sa.literal(planned[b.rule], sa.Date)),
        "status": sa.literal(FollowUpStatus.PLANNED.value),
        "notes": sa.literal(""),
        "note_code": sa.literal(texts.SUGGESTED_LISTING),
        "note_params": _listing_note_params(as_of, dpd),
        "suggestion": rule,
        "suggestion_key": sa.literal(as_of.isoformat()),
        "suggested_dpd": dpd,
        "escalated": _by_band(dpd, lambda b: sa.literal(b.escalated)),
        "version": sa.literal(1),
        "created_at": now,
        "updated_at": now,
    }
    select = _listing_candidates(as_of, officer).add_columns(
        *(expr.label(name) for name, expr in values.items())
    )
    db.session.execute(
        sa.insert(follow_ups).from_select(list(values), select.where(officer.id.is_not(None)))
    )
    counts["created"] = sum(counts[band.rule.value] for band in BANDS)
    counts["escalated"] = sum(counts[b.rule.value] for b in BANDS if b.escalated)
    return counts


def _insert_broken_promise_suggestions(today: date) -> int:
    """Insert a collection call for each newly broken promise; return how many."""
    promise, other = aliased(PromiseToPay), aliased(PromiseToPay)
    officer = aliased(User)
    latest_promise = (
        sa.select(other.id)
        .where(other.facility_id == promise.facility_id, other.promised_on <= today)
        .order_by(other.promised_on.desc(), other.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    latest_dpd = (
        sa.select(Position.dpd)
        .where(Position.facility_id == promise.facility_id)
        .order_by(Position.as_of.desc())
        .limit(1)
        .scalar_subquery()
    )
    key = sa.literal("ptp:") + sa.cast(promise.id, sa.String)
    stmt = (
        sa.select(promise, officer.id, latest_dpd)
        .join(Facility, Facility.id == promise.facility_id)
        .join(Customer, Customer.id == Facility.customer_id)
        .where(
            promise.id == latest_promise,
            broken_condition(today, promise),
            Facility.status == FacilityStatus.ACTIVE,
            latest_dpd > 0,  # paid up since: nothing left to collect
            ~_planned_collection(promise.facility_id),
            ~_suggested(promise.facility_id, key),
        )
    )
    stmt = _officer_join(stmt, officer).where(officer.id.is_not(None))
    planned_date = planned_day(today, BROKEN_PTP_WORKING_DAYS)
    now = utcnow()
    rows = [
        {
            "customer_id": row[0].customer_id,
            "facility_id": row[0].facility_id,
            "owner_id": row[1],
            "channel": Channel.CALL.value,
            "purpose": Purpose.COLLECTION.value,
            "planned_date": planned_date,
            "status": FollowUpStatus.PLANNED.value,
            "notes": "",
            "note_code": texts.BROKEN_PROMISE,
            "note_params": broken_promise_params(row[0]),
            "suggestion": SuggestionRule.BROKEN_PTP.value,
            "suggestion_key": f"ptp:{row[0].id}",
            "suggested_dpd": row[2],
            "escalated": False,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for row in db.session.execute(stmt)
    ]
    if rows:
        db.session.execute(sa.insert(follow_ups), rows)
    return len(rows)


def suggest_for_broken_promises(*, today: date | None = None) -> int:
    """Suggest a collection call for each promise broken by `today`; returns how many (commits)."""
    with unit_of_work():
        created = _insert_broken_promise_suggestions(today or bank_today())
    return created


def suggest_after_import(as_of: date, *, today: date | None = None) -> dict:
    """Suggest collection follow-ups for the listing of `as_of` and for broken promises (commits).

    Only the newest listing suggests; the counts say what was created and what was skipped.
    """
    today = today or bank_today()
    # A transaction of its own, after the import's: a failure here leaves the import loaded.
    with unit_of_work():
        latest = latest_listing_date() == as_of
        counts = {"as_of": as_of.isoformat(), "latest": latest}
        if latest:
            counts |= _suggest_for_listing(as_of, today)
        else:
            counts |= {band.rule.value: 0 for band in BANDS}
            counts |= {"created": 0, "escalated": 0, "skipped_no_officer": 0}
        counts["broken_ptp"] = _insert_broken_promise_suggestions(today)
    log.info("suggested follow-ups for the %s listing: %s", as_of, counts)
    return counts


@after_import(
    "loans",
    key="suggestions",
    failed=_l("Suggested follow-ups could not be created: %(reason)s"),
)
def suggest_after_loan_listing(record) -> dict:
    """After each loan listing: suggest follow-ups for its as-of date (see suggest_after_import)."""
    return suggest_after_import(record.as_of)
