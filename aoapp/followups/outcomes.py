"""Logging the outcome of a follow-up: the outcome, a promise to pay, the next follow-up; a
visit's photos and location."""

from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.i18n import format_date, format_money
from aoapp.common.money import to_money
from aoapp.common.plausible import beyond_horizon
from aoapp.credit.visits.location import place
from aoapp.credit.visits.photos import check_room
from aoapp.errors import InvalidInput, Unconfirmed
from aoapp.extensions import db
from aoapp.followups import promises
from aoapp.followups.actions import (
    CHANNELS,
    PURPOSES,
    audit_after,
    followup_work,
    refuse,
    require_change,
)
from aoapp.followups.hooks import completed
from aoapp.followups.models import FollowUp, FollowUpStatus, Outcome, PromiseToPay, Purpose
from aoapp.followups.visit_evidence import outcome_location

PROMISE_WINDOW_DAYS = 90
COLLECTION_ONLY = (Outcome.PROMISED_TO_PAY, Outcome.PAID)
NEXT_FIELDS = ("next_channel", "next_time", "next_purpose", "next_notes")
OUTCOMES = {o.value for o in Outcome}


def _check_outcome(followup: FollowUp, values: dict, today: date) -> dict:
    """Field errors of the outcome and of the promise to pay it may carry."""
    errors: dict[str, list[str]] = {}
    outcome = values.get("outcome")
    amount, promised = values.get("promised_amount"), values.get("promised_date")
    if outcome not in OUTCOMES:
        errors["outcome"] = [_("Choose the outcome of the contact.")]
    elif outcome in COLLECTION_ONLY and followup.purpose != Purpose.COLLECTION:
        errors["outcome"] = [_("Promised to pay and paid are outcomes of a collection follow-up.")]
    if outcome != Outcome.PROMISED_TO_PAY:
        for name, value in (("promised_amount", amount), ("promised_date", promised)):
            if value is not None:
                errors[name] = [
                    _("Only a promise to pay has an amount and a date; leave it empty.")
                ]
        return errors
    if followup.facility_id is None and "outcome" not in errors:
        errors["outcome"] = [
            _(
                "A promise to pay is recorded on a follow-up about one facility; "
                "this follow-up is about the customer as a whole."
            )
        ]
    if amount is None:
        errors["promised_amount"] = [_("Enter the amount the customer promised to pay.")]
    else:
        try:
            values["promised_amount"] = amount = to_money(amount)
        except (TypeError, ValueError):
            errors["promised_amount"] = [_("Not a valid amount.")]
        else:
            if amount <= Decimal(0):
                errors["promised_amount"] = [_("The promised amount must be more than zero.")]
    last = today + timedelta(days=PROMISE_WINDOW_DAYS)
    if promised is None:
        errors["promised_date"] = [_("Enter the date the customer promised to pay.")]
    elif promised < today:
        errors["promised_date"] = [_("The promised date cannot be in the past.")]
    elif promised > last:
        errors["promised_date"] = [
            _(
                "The promised date must be within %(days)s days (by %(day)s).",
                days=PROMISE_WINDOW_DAYS,
                day=format_date(last),
            )
        ]
    return errors


def _money(amount: Decimal) -> str:
    """An amount in the reader's language, with sen only when it has them."""
    return format_money(amount, with_cents=amount != amount.to_integral_value())


def _check_plausible(followup: FollowUp, values: dict) -> None:
    """A promise above what the facility owes is refused; one above its arrears is questioned.

    The latest position decides: the ceiling is the outstanding plus the interest in arrears
    (all that can be paid); above the arrears (principal + interest) the customer would pay
    ahead, which is possible but rare, so the officer confirms it (`confirm_amount`).
    """
    if values.get("outcome") != Outcome.PROMISED_TO_PAY or followup.facility_id is None:
        return
    owed = promises.owed_by(followup.facility_id)
    amount = values["promised_amount"]
    if owed is None or amount <= owed.arrears:
        return
    if amount > owed.ceiling:
        message = _(
            "The promise cannot be more than the facility owes: at most %(ceiling)s "
            "(outstanding plus interest arrears on %(day)s).",
            ceiling=_money(owed.ceiling),
            day=format_date(owed.as_of),
        )
        raise InvalidInput(message, {"promised_amount": [message]})
    if not values.get("confirm_amount"):
        message = _(
            "%(amount)s is more than the arrears of %(arrears)s (principal and interest on "
            "%(day)s). Confirm the amount if the customer really promised to pay that much.",
            amount=_money(amount),
            arrears=_money(owed.arrears),
            day=format_date(owed.as_of),
        )
        raise Unconfirmed(message, {"confirm_amount": [message]})


def _check_next(values: dict, today: date) -> dict:
    """Field errors of the optional next follow-up planned in the same form."""
    errors = {}
    next_date = values.get("next_date")
    if next_date is None:
        if any(values.get(name) for name in NEXT_FIELDS):
            errors["next_date"] = [_("Give the date of the next follow-up, or leave it all empty.")]
        return errors
    if next_date < today:
        errors["next_date"] = [_("The next follow-up cannot be in the past.")]
    elif too_far := beyond_horizon(next_date, today):
        errors["next_date"] = [too_far]
    if values.get("next_channel") not in (None, *CHANNELS):
        errors["next_channel"] = [_("Choose how you will contact them.")]
    if values.get("next_purpose") not in (None, *PURPOSES):
        errors["next_purpose"] = [_("Choose the purpose of the contact.")]
    return errors


def _promise(actor, followup: FollowUp, values: dict, today: date) -> PromiseToPay:
    """Record the promise made at this contact, audited."""
    promise = PromiseToPay(
        follow_up_id=followup.id,
        facility_id=followup.facility_id,
        customer_id=followup.customer_id,
        officer_id=actor.id,
        promised_amount=values["promised_amount"],
        promised_date=values["promised_date"],
        promised_on=today,
        deadline=promises.deadline_for(values["promised_date"]),
    )
    db.session.add(promise)
    audit_after(actor, promise, "create", None)
    return promise


def _next_followup(actor, followup: FollowUp, values: dict) -> FollowUp:
    """Plan the next contact with the same party (and facility), audited."""
    following = FollowUp(
        customer_id=followup.customer_id,
        prospect_id=followup.prospect_id,
        facility_id=followup.facility_id,
        owner_id=actor.id,
        created_by_id=actor.id,
        channel=values.get("next_channel") or followup.channel,
        purpose=values.get("next_purpose") or followup.purpose,
        planned_date=values["next_date"],
        planned_time=values.get("next_time"),
        notes=values.get("next_notes") or "",
        status=FollowUpStatus.PLANNED,
        previous_id=followup.id,
    )
    db.session.add(following)
    audit_after(actor, following, "create", None)
    return following


def complete(
    actor, followup: FollowUp, values: dict, *, today: date | None = None, photos=None
) -> FollowUp:
    """Log the outcome of a planned follow-up, with a promise to pay and the next follow-up; a
    visit's, with the officer's location and photos (credit.visits.photos.take_photos)."""
    require_change(actor, followup, values)
    values = dict(values)
    today = today or bank_today()
    location = outcome_location(followup, values, photos)
    errors = _check_outcome(followup, values, today)
    errors.update(_check_next(values, today))
    refuse(errors, _("Check the outcome of the follow-up."))
    _check_plausible(followup, values)
    if photos:
        check_room(0, len(photos), "photos")
    with photos.cleanup_on_failure() if photos else nullcontext(), followup_work():
        before = audit.snapshot(followup)
        followup.status = FollowUpStatus.DONE
        followup.done_at = utcnow()
        followup.outcome = values["outcome"]
        if values.get("notes") is not None:
            followup.notes = values["notes"]
        if location is not None:
            place(followup, location)
        audit_after(actor, followup, "complete", before)
        if photos:
            photos.attach(actor, follow_up_id=followup.id)
        if followup.outcome == Outcome.PROMISED_TO_PAY:
            _promise(actor, followup, values, today)
        if values.get("next_date") is not None:
            _next_followup(actor, followup, values)
        completed(actor, followup, today)
    return followup
