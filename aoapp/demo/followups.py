"""Demo follow-ups, promises to pay and complaints, so the agenda is full on first start.

The demo listings are imported first, and each import suggests collection follow-ups (followups/
suggestions.py) dated from today. The demo then writes the officers' story onto them: the
suggestions of past listings were worked (done, with outcomes), some calls ended in promises to
pay, chosen against the real positions so some are kept, some broken and one is pending
(demo/collection.py), and the latest listing's suggestions are spread over overdue, today and the
coming days. Where the import suggested nothing (no suggestion hook), the demo creates the
equivalent records itself. Then relationship, offer, monitoring and document follow-ups with the
hand-entered customers and prospects, and complaints in every status (demo/contacts.py).

Records are inserted or changed directly (demo setup, not a user action), each with an audit
entry. A created follow-up's natural key is its owner, party, facility, purpose, channel and notes
(never a date: dates follow today); a suggestion is only ever worked while untouched (version 1).
So running the demo again, even on another day, creates and changes nothing.
"""

from collections import Counter
from datetime import date, time, timedelta

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.common.dates import bank_today
from aoapp.common.money import format_idr
from aoapp.common.system_text import params_of
from aoapp.demo import contacts, data
from aoapp.demo.collection import (
    Book,
    choose_promises,
    delinquent_now,
    load_book,
    local_time,
    past_arrears,
)
from aoapp.demo.recorder import Recorder
from aoapp.demo.stories import story_facilities
from aoapp.extensions import db
from aoapp.followups import texts
from aoapp.followups.models import FollowUp, FollowUpStatus, PromiseState
from aoapp.followups.models import SuggestionRule as Rule

OUTCOMES = ("not_reached", "reached", "refused", "rescheduled", "reached", "paid")
OUTCOME_NOTES = {
    "not_reached": "Tidak diangkat; meninggalkan pesan.",
    "reached": "Mengingatkan nasabah; pembayaran menunggu hasil penjualan minggu ini.",
    "refused": "Nasabah keberatan dengan denda keterlambatan dan menolak membayarnya.",
    "rescheduled": "Nasabah minta ditelepon kembali pekan depan.",
    "paid": "Nasabah menyatakan tunggakan sudah dibayar di kantor cabang.",
}
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus")
MONTH_NAMES += ("September", "Oktober", "November", "Desember")
# Days from today (and time) of the planned collection follow-ups, most urgent first.
PLANNED = ((-3, None), (0, (9, 0)), (-1, None), (0, None), (1, (13, 30)), (2, None))
PLANNED += ((4, None), (6, (10, 0)))
PROMISE_CHANNELS = {
    PromiseState.KEPT: "call",
    PromiseState.BROKEN: "visit",
    PromiseState.PENDING: "whatsapp",
}


def _suggestions(officer: User, untouched: bool = True) -> list[FollowUp]:
    """Suggestions the import made for the officer (no author); untouched: planned, version 1."""
    stmt = sa.select(FollowUp).where(
        FollowUp.owner_id == officer.id,
        FollowUp.created_by_id.is_(None),
        FollowUp.suggestion.is_not(None),
    )
    if untouched:
        stmt = stmt.where(FollowUp.status == FollowUpStatus.PLANNED, FollowUp.version == 1)
    return list(db.session.scalars(stmt.order_by(FollowUp.id)))


def _listing_of(followup: FollowUp) -> date | None:
    try:
        return date.fromisoformat(followup.suggestion_key or "")
    except ValueError:
        return None  # a broken-promise suggestion ("ptp:<id>")


def record_promises(rec: Recorder, officer: User, book: Book, today: date) -> dict:
    """A kept, a broken and a pending promise, each made on a collection call; on the stories'
    facilities (demo/stories.py) where the positions allow."""
    untouched = {(s.facility_id, s.suggestion_key): s for s in _suggestions(officer)}
    roles = story_facilities(officer.username, today)
    prefer = {state: roles.get(state.value) for state in PromiseState if state.value in roles}
    made = {}
    for spec in choose_promises(book, today, prefer):
        facility = book.facilities[spec.facility_id]
        values = {
            "customer_id": facility.customer_id,
            "facility_id": facility.id,
            "purpose": "collection",
            "channel": PROMISE_CHANNELS[spec.state],
            "notes": f"Berjanji membayar {format_idr(spec.amount)} dari tunggakan.",
        }
        done = {
            "planned_date": spec.promised_on,
            "status": FollowUpStatus.DONE,
            "done_at": local_time(spec.promised_on, 10, 30),
            "outcome": "promised_to_pay",
        }
        followup = rec.find(officer, values)
        suggestion = untouched.get((facility.id, spec.listing.isoformat()))
        if followup is not None:
            rec.present["follow-ups"] += 1
        elif suggestion is not None:  # the suggested call is where the promise was made
            followup = rec.work(officer, suggestion, {**values, **done})
        else:
            followup = rec.followup(officer, {**values, **done})
        made[spec.state] = (spec, followup, rec.promise(officer, followup, spec))
    return made


def work_past_suggestions(rec: Recorder, officer: User, latest: date | None, today: date) -> None:
    """Suggestions of past listings were worked a few days after their listing, with outcomes."""
    older = [s for s in _suggestions(officer) if latest and (_listing_of(s) or latest) < latest]
    for n, suggestion in enumerate(older):
        day = min(_listing_of(suggestion) + timedelta(days=3 + n % 3), today - timedelta(days=1))
        outcome = OUTCOMES[n % len(OUTCOMES)]
        changes = {
            "planned_date": day,
            "status": FollowUpStatus.DONE,
            "done_at": local_time(day, 9 + n % 6),
            "outcome": outcome,
            "notes": f"{suggestion.notes} {OUTCOME_NOTES[outcome]}".strip(),
        }
        rec.work(officer, suggestion, changes)


def log_past_calls(rec: Recorder, officer: User, book: Book, today: date, skip: set) -> None:
    """Without import suggestions: collection calls a few days after listings with arrears."""
    for n, (facility_id, fact) in enumerate(past_arrears(book, today, skip)):
        outcome = OUTCOMES[n % len(OUTCOMES)]
        day = fact.as_of + timedelta(days=4)
        facility = book.facilities[facility_id]
        values = {
            "customer_id": facility.customer_id,
            "facility_id": facility_id,
            "purpose": "collection",
            "channel": "whatsapp" if n % 2 else "call",
            "planned_date": day,
            "status": FollowUpStatus.DONE,
            "done_at": local_time(day, 9 + n % 6),
            "outcome": outcome,
            "notes": f"Tunggakan {fact.dpd} hari pada daftar nominatif "
            f"{MONTH_NAMES[fact.as_of.month - 1]} {fact.as_of.year}. " + OUTCOME_NOTES[outcome],
        }
        rec.followup(officer, values)


def spread_latest(rec: Recorder, officer: User, latest: date | None, today: date) -> None:
    """The latest listing's suggestions: a few overdue, some today, the rest in the coming days."""
    current = [s for s in _suggestions(officer) if latest and _listing_of(s) == latest]
    current.sort(key=lambda s: (not s.escalated, -(s.suggested_dpd or 0), s.id))
    for suggestion, (offset, at) in zip(current, PLANNED, strict=False):
        changes = {"planned_date": today + timedelta(days=offset)}
        changes["planned_time"] = time(*at) if at else None
        rec.work(officer, suggestion, changes)


def _rule_for(dpd: int) -> tuple[str, str]:
    """The suggestion rule and channel of a DPD band (as the import's suggestions use)."""
    if dpd > 90:
        return Rule.DPD_OVER_90, "visit"
    if dpd > 30:
        return Rule.DPD_31_90, "visit"
    return Rule.DPD_1_30, "call"


def plan_collection(rec: Recorder, officer: User, book: Book, today: date, made: dict) -> None:
    """Planned collection follow-ups where none is planned: after the promises, on arrears."""
    delinquent = dict(delinquent_now(book))
    chase = []
    if PromiseState.BROKEN in made and made[PromiseState.BROKEN][0].facility_id in delinquent:
        spec = made[PromiseState.BROKEN][0]
        note = (texts.CHASE_BROKEN_PROMISE, {})
        chase.append((spec.facility_id, "call", today - timedelta(days=1), None, note))
    if PromiseState.PENDING in made:
        spec, done, _promise = made[PromiseState.PENDING]
        note = f"Cek pembayaran yang dijanjikan sebesar {format_idr(spec.amount)}."
        chase.append((spec.facility_id, "whatsapp", spec.promised_date + timedelta(1), done, note))
    for facility_id, channel, day, previous, notes in chase:
        values = {
            "customer_id": book.facilities[facility_id].customer_id,
            "facility_id": facility_id,
            "purpose": "collection",
            "channel": channel,
            "planned_date": day,
            "previous_id": previous.id if previous else None,
            **(
                {"notes": "", "note_code": notes[0], "note_params": notes[1]}
                if isinstance(notes, tuple)
                else {"notes": notes}
            ),
        }
        rec.followup(officer, values, unless_planned=True)
    latest = book.dates[-1] if book.dates else today
    taken = {spec.facility_id for spec, _f, _p in made.values()}
    rows = [(fid, dpd) for fid, dpd in delinquent.items() if fid not in taken]
    for (facility_id, dpd), (offset, at) in zip(rows, PLANNED, strict=False):
        rule, channel = _rule_for(dpd)
        values = {
            "customer_id": book.facilities[facility_id].customer_id,
            "facility_id": facility_id,
            "purpose": "collection",
            "channel": channel,
            "planned_date": today + timedelta(days=offset),
            "planned_time": time(*at) if at else None,
            "suggestion": rule,
            "suggestion_key": f"demo-{latest.isoformat()}",
            "suggested_dpd": dpd,
            "escalated": rule == Rule.DPD_OVER_90,
            "notes": "",
            "note_code": texts.SUGGESTED_LISTING,
            "note_params": params_of(day=latest, dpd=dpd),
        }
        rec.followup(officer, values, unless_planned=True)


def seed_followups(created: Counter, present: Counter, today: date | None = None) -> None:
    """The follow-ups, promises and complaints of every demo officer; one commit per officer."""
    today = today or bank_today()
    rec = Recorder(created, present)
    for username, (officer_no, _region) in data.OFFICERS.items():
        officer = db.session.scalar(sa.select(User).where(User.username == username))
        if officer is None:
            continue
        book = load_book(officer)
        latest = book.dates[-1] if book.dates else None
        suggested = bool(_suggestions(officer, untouched=False))
        made = record_promises(rec, officer, book, today)
        work_past_suggestions(rec, officer, latest, today)
        if not suggested:
            log_past_calls(rec, officer, book, today, {s.facility_id for s, *_ in made.values()})
        spread_latest(rec, officer, latest, today)
        plan_collection(rec, officer, book, today, made)
        contacts.seed_contacts(rec, officer, officer_no, today)
        contacts.seed_complaints(rec, officer, officer_no, today)
        db.session.commit()
