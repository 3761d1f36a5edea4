"""Follow-up actions: plan, reschedule, cancel, mark missed, change details, and the hand-over of
open work when a customer is reassigned (logging the outcome is in outcomes.py).

Each public function is one unit of work: it checks who acts and the version they read,
validates, changes, audits every record it touches (before and after) and commits once.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible
from aoapp.common.dates import bank_today
from aoapp.common.plausible import beyond_horizon
from aoapp.common.templating import label
from aoapp.common.transaction import unit_of_work
from aoapp.credit.models import Facility
from aoapp.customers.hooks import on_reassign
from aoapp.customers.models import Customer
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.followups.models import Channel, FollowUp, FollowUpStatus, Purpose
from aoapp.prospects.models import Prospect

CONFLICT = _l(
    "This follow-up was changed by someone else since you opened it; reload and try again."
)
EDITABLE = ("channel", "planned_time", "notes")
CHANNELS = {c.value for c in Channel}
PURPOSES = {p.value for p in Purpose}


# --- Who may do what --------------------------------------------------------------------------


def is_owner(actor, followup: FollowUp) -> bool:
    """True when the user is the officer who owns the follow-up."""
    return actor.role == Role.OFFICER and followup.owner_id == actor.id


def can_act(actor, followup: FollowUp) -> bool:
    """True when the user may log, move or cancel the follow-up now (for the pages)."""
    return is_owner(actor, followup) and followup.status == FollowUpStatus.PLANNED


def can_plan_for(actor, customer: Customer | None = None, prospect: Prospect | None = None):
    """True when the user is the officer of the customer, or the prospect's owner."""
    if actor.role != Role.OFFICER:
        return False
    if customer is not None:
        return customer.officer_id == actor.id
    return prospect is not None and prospect.owner_id == actor.id


def require_owner(actor, followup: FollowUp) -> None:
    """Only the owning officer changes a follow-up; supervisors and admins read."""
    if not is_owner(actor, followup):
        raise Forbidden(_("Only the account officer who owns this follow-up can change it."))


def require_change(actor, followup: FollowUp, values: dict) -> None:
    """The owner acts, on the version they read, on a follow-up that is still planned."""
    require_owner(actor, followup)
    version = values.get("version")
    if version is not None and version != followup.version:
        raise Conflict(str(CONFLICT))
    if followup.status != FollowUpStatus.PLANNED:
        raise Conflict(
            _(
                "This follow-up is already %(status)s; only a planned one changes.",
                status=label(followup.status).lower(),
            )
        )


def followup_work():
    """One transaction: a change saved by someone else first is a conflict, not a crash."""
    return unit_of_work(stale=str(CONFLICT), stale_field=None)


def audit_after(actor, record, action: str, before: dict | None) -> None:
    """Flush (ids, versions, defaults) and audit the record's state after the change."""
    db.session.flush()
    audit.record(actor, record, action, before, audit.snapshot(record))


def refuse(errors: dict, message: str | None = None) -> None:
    """Raise InvalidInput with the field errors, if there are any."""
    if errors:
        raise InvalidInput(message or _("Check the follow-up's details."), errors)


# --- Plan -------------------------------------------------------------------------------------


def party_for(actor, customer_id, prospect_id) -> tuple[Customer | None, Prospect | None]:
    """The customer or prospect (exactly one) the acting officer plans a follow-up with."""
    if (customer_id is None) == (prospect_id is None):
        message = _("Choose a customer or a prospect (one of them).")
        raise InvalidInput(message, {"customer": [message]})
    model = Customer if customer_id is not None else Prospect
    party = get_visible(actor, model, customer_id if customer_id is not None else prospect_id)
    if actor.role != Role.OFFICER:
        raise Forbidden(
            _(
                "Follow-ups are planned by the account officer of the customer or prospect; "
                "supervisors and admins only read them."
            )
        )
    customer = party if model is Customer else None
    prospect = party if model is Prospect else None
    if not can_plan_for(actor, customer, prospect):
        raise Forbidden(
            _("Only the officer in charge of this customer or prospect plans its follow-ups.")
        )
    return customer, prospect


def _facility_of(customer: Customer | None, facility_id) -> int | None:
    """The facility the follow-up is about: one of the customer's own (a prospect has none)."""
    if facility_id is None:
        return None
    facility = db.session.get(Facility, int(facility_id))
    if customer is None or facility is None or facility.customer_id != customer.id:
        message = (
            _("A prospect has no credit facilities.")
            if customer is None
            else _("This facility is not one of the customer's.")
        )
        raise InvalidInput(message, {"facility": [message]})
    return facility.id


def _check_plan(values: dict, today: date) -> None:
    """Channel and purpose are known codes; the planned day is today or later."""
    errors = {}
    if values.get("channel") not in CHANNELS:
        errors["channel"] = [_("Choose how you will contact them.")]
    if values.get("purpose") not in PURPOSES:
        errors["purpose"] = [_("Choose the purpose of the contact.")]
    planned = values.get("planned_date")
    if planned is None:
        errors["planned_date"] = [_("This field is required.")]
    elif planned < today:
        errors["planned_date"] = [_("The planned date cannot be in the past.")]
    elif too_far := beyond_horizon(planned, today):
        errors["planned_date"] = [too_far]
    refuse(errors)


def plan(actor, values: dict, *, today: date | None = None) -> FollowUp:
    """Plan a follow-up with one of the acting officer's customers (or facilities) or prospects."""
    values = dict(values)
    today = today or bank_today()
    customer, prospect = party_for(actor, values.get("customer"), values.get("prospect"))
    facility_id = _facility_of(customer, values.get("facility"))
    _check_plan(values, today)
    followup = FollowUp(
        customer_id=customer.id if customer else None,
        prospect_id=prospect.id if prospect else None,
        facility_id=facility_id,
        owner_id=actor.id,
        created_by_id=actor.id,
        channel=values["channel"],
        purpose=values["purpose"],
        planned_date=values["planned_date"],
        planned_time=values.get("planned_time"),
        notes=values.get("notes") or "",
        status=FollowUpStatus.PLANNED,
    )
    with followup_work():
        db.session.add(followup)
        audit_after(actor, followup, "create", None)
    return followup


# --- Reschedule, cancel, missed, change details -----------------------------------------------


def reschedule(actor, followup: FollowUp, values: dict, *, today: date | None = None) -> FollowUp:
    """Move a planned follow-up to another day (a suggested one needs a reason), audited."""
    require_change(actor, followup, values)
    today = today or bank_today()
    errors = {}
    planned, at = values.get("planned_date"), values.get("planned_time")
    reason = (values.get("reason") or "").strip() or None
    if planned is None:
        errors["planned_date"] = [_("This field is required.")]
    elif planned < today:
        errors["planned_date"] = [_("The new date cannot be in the past.")]
    elif too_far := beyond_horizon(planned, today):
        errors["planned_date"] = [too_far]
    elif (planned, at) == (followup.planned_date, followup.planned_time):
        errors["planned_date"] = [_("This is already the planned day; pick another date or time.")]
    if followup.suggestion and reason is None:
        errors["reason"] = [_("Say why you move a follow-up the system suggested.")]
    refuse(errors)
    with followup_work():
        before = audit.snapshot(followup)
        followup.planned_date, followup.planned_time, followup.reason = planned, at, reason
        followup.reason_code = followup.reason_params = None  # typed by a person
        audit_after(actor, followup, "reschedule", before)
    return followup


def cancel(actor, followup: FollowUp, values: dict) -> FollowUp:
    """Cancel a planned follow-up with a reason, audited."""
    require_change(actor, followup, values)
    reason = (values.get("reason") or "").strip()
    if not reason:
        refuse({"reason": [_("Say why this follow-up will not happen.")]})
    with followup_work():
        before = audit.snapshot(followup)
        followup.status, followup.reason = FollowUpStatus.CANCELLED, reason
        followup.reason_code = followup.reason_params = None  # typed by a person
        audit_after(actor, followup, "cancel", before)
    return followup


def mark_missed(
    actor, followup: FollowUp, values: dict | None = None, *, today: date | None = None
) -> FollowUp:
    """Mark a planned follow-up whose day has passed as missed, audited."""
    require_change(actor, followup, values or {})
    today = today or bank_today()
    if followup.planned_date >= today:
        raise Conflict(_("Only a follow-up whose planned day has passed can be marked missed."))
    with followup_work():
        before = audit.snapshot(followup)
        followup.status = FollowUpStatus.MISSED
        audit_after(actor, followup, "missed", before)
    return followup


def update(actor, followup: FollowUp, values: dict) -> FollowUp:
    """Change the channel, time or notes of a planned follow-up, audited."""
    require_change(actor, followup, values)
    changes = {key: values[key] for key in EDITABLE if key in values}
    if "channel" in changes and changes["channel"] not in CHANNELS:
        refuse({"channel": [_("Choose how you will contact them.")]})
    if changes.get("notes") is None:
        changes.pop("notes", None)
    with followup_work():
        before = audit.snapshot(followup)
        for key, value in changes.items():
            setattr(followup, key, value)
        audit_after(actor, followup, "update", before)
    return followup


# --- Customer reassignment ----------------------------------------------------------------------


@on_reassign
def hand_over_open_work(actor, customers: list[Customer], officer_id: int) -> int:
    """Move the customers' planned follow-ups to their new officer; returns how many.

    Part of the reassignment's unit of work (the caller commits); one audit entry per record.
    Done, cancelled and missed follow-ups stay with the officer who owned them (history).
    """
    followups = db.session.scalars(
        sa.select(FollowUp)
        .where(
            FollowUp.customer_id.in_([customer.id for customer in customers]),
            FollowUp.status == FollowUpStatus.PLANNED,
            FollowUp.owner_id != officer_id,
        )
        .order_by(FollowUp.id)
    ).all()
    befores = [audit.snapshot(followup) for followup in followups]
    for followup in followups:
        followup.owner_id = officer_id
    db.session.flush()
    audit.record_all(
        actor,
        [(f, "reassign", b, audit.snapshot(f)) for f, b in zip(followups, befores, strict=True)],
    )
    return len(followups)
