"""Prospect collection: create, edit, move along the pipeline, convert; each call one transaction."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Role, User
from aoapp.auth.scoping import get_visible, visible_to
from aoapp.campaigns.tags import check_tag
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.locking import check_version, stale_message
from aoapp.common.transaction import unit_of_work
from aoapp.customers.models import Customer, CustomerType
from aoapp.customers.services import build_customer
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.products.models import Product
from aoapp.prospects import hooks
from aoapp.prospects.duplicates import check_duplicates
from aoapp.prospects.models import (
    CLOSED_STATUSES,
    Prospect,
    ProspectSource,
    ProspectStatus,
    ProspectStatusChange,
)
from aoapp.prospects.queries import (  # noqa: F401  (the list lives there; callers use services)
    SORTABLE,
    export_prospects,
    filtered_query,
    list_prospects,
    sortable_columns,
)

CLOSING = {ProspectStatus.REJECTED, ProspectStatus.LOST}

PIPELINE = [
    ProspectStatus.NEW,
    ProspectStatus.CONTACTED,
    ProspectStatus.INTERESTED,
    ProspectStatus.APPLIED,
]


def allowed_transitions(status: str) -> list[str]:
    """Statuses a prospect may move to: forward along the pipeline, or rejected/lost.

    `won` is reached only by converting the prospect into a customer.
    """
    if status in CLOSED_STATUSES:
        return []
    later = PIPELINE[PIPELINE.index(status) + 1 :]
    return [*later, ProspectStatus.REJECTED, ProspectStatus.LOST]


STALE_PROSPECT = stale_message("prospect")


IDENTITY_TAKEN = _l(
    "Another user saved the same NIK or CIF a moment ago. Check the data and retry."
)


def prospect_work():
    """One transaction for a prospect: a concurrent save or a NIK/CIF just taken is a Conflict."""
    return unit_of_work(stale=STALE_PROSPECT, duplicate=IDENTITY_TAKEN)


def require_officer(actor) -> None:
    """Only account officers collect prospects."""
    if actor.role != Role.OFFICER:
        raise Forbidden(_("Only account officers collect prospects."))


def require_officer_owner(actor, prospect: Prospect) -> None:
    """Only the owning officer changes a prospect; others who can see it may only read."""
    if actor.role != Role.OFFICER or prospect.owner_id != actor.id:
        raise Forbidden(_("Only the officer who owns this prospect can change it."))


def _resolve_references(actor, data: dict, current: Prospect | None = None) -> dict:
    """Turn the product code and referrer customer id into ids, checking the user may use them,
    and check the campaign runs in the owner's branch.

    On an edit, the prospect's current product, referrer and campaign stay acceptable even when
    the product was since deactivated, the customer moved to another officer or the campaign
    left the branch.
    """
    values = dict(data)
    errors: dict[str, list[str]] = {}
    if "product_interest" in values:
        code = values.pop("product_interest")
        values["product_interest_id"] = None
        if code:
            product = db.session.scalar(sa.select(Product).where(Product.code == code.upper()))
            kept = (
                current is not None
                and product is not None
                and product.id == current.product_interest_id
            )
            if product is None or not (product.active or kept):
                errors["product_interest"] = [
                    _("Unknown or inactive product %(code)s.", code=repr(code))
                ]
            else:
                values["product_interest_id"] = product.id
    if "referrer_customer" in values:
        customer_id = values.pop("referrer_customer")
        values["referrer_customer_id"] = customer_id
        kept = current is not None and customer_id == current.referrer_customer_id
        if customer_id is not None and not kept:
            stmt = visible_to(actor, sa.select(Customer.id).where(Customer.id == customer_id))
            if db.session.scalar(stmt) is None:
                errors["referrer_customer"] = [_("Pick one of your customers as the referrer.")]
    if "campaign_id" in values:
        owner = current.owner if current is not None else actor
        try:
            check_tag(values["campaign_id"], owner.branch_id, getattr(current, "campaign_id", None))
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(_("Some references are not valid."), errors)
    return values


def _check_referral(values: dict) -> None:
    """A referral names the referring customer or a free-text referrer, not both."""
    customer, name = values.get("referrer_customer_id"), values.get("referrer_name")
    if customer and name:
        raise InvalidInput(
            _("Pick a referring customer or type a referrer name, not both."),
            {"referrer_name": [_("Pick a referring customer or type a referrer name, not both.")]},
        )
    if values.get("source") == ProspectSource.REFERRAL and not (customer or name):
        raise InvalidInput(
            _("A referral needs the referring customer or a referrer name."),
            {"referrer_name": [_("A referral needs the referring customer or a referrer name.")]},
        )


def _add_history(prospect, actor, from_status, to_status, reason=None, note=None) -> None:
    prospect.history.append(
        ProspectStatusChange(
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            note=note,
            changed_on=bank_today(),
            changed_by_id=actor.id,
        )
    )


@prospect_work()
def create_prospect(actor, data: dict) -> Prospect:
    """Collect a new prospect owned by the acting officer."""
    require_officer(actor)
    values = _resolve_references(actor, data)
    allow_phone = values.pop("allow_duplicate_phone", False)
    _check_referral(values)
    check_duplicates(actor, values.get("nik"), values.get("phone"), allow_phone)
    next_contact = values.pop("next_follow_up_date", None)
    _check_next_contact(next_contact)
    prospect = Prospect(**values, owner_id=actor.id, status=ProspectStatus.NEW)
    _add_history(prospect, actor, None, ProspectStatus.NEW)
    db.session.add(prospect)
    db.session.flush()  # the audit snapshot carries the id and the defaults
    if next_contact is not None:
        hooks.plan_next_contact(actor, prospect, next_contact)
    _refresh_next_contact(prospect)
    audit.record(actor, prospect, "create", None, audit.snapshot(prospect))
    return prospect


def _check_next_contact(day) -> None:
    """A next contact is planned for today or later."""
    if day is not None and day < bank_today():
        message = _("The next follow-up cannot be in the past.")
        raise InvalidInput(message, {"next_follow_up_date": [message]})


def _refresh_next_contact(prospect: Prospect) -> None:
    """Read the next contact again: follow-ups just planned, moved or cancelled it."""
    db.session.flush()
    db.session.expire(prospect, ["next_follow_up_date"])


def _set_next_contact(actor, prospect: Prospect, values: dict) -> None:
    """Plan, move or cancel the next contact when the form or the API gives another day."""
    if "next_follow_up_date" not in values:
        return
    day = values.pop("next_follow_up_date")
    if day == prospect.next_follow_up_date:
        return
    if not prospect.is_open:
        message = _("A closed prospect has no next follow-up.")
        raise Conflict(message, {"next_follow_up_date": [message]})
    _check_next_contact(day)
    hooks.plan_next_contact(actor, prospect, day)


@prospect_work()
def update_prospect(actor, prospect: Prospect, data: dict) -> Prospect:
    """Edit a prospect's data and, when `status` is given, move it along the pipeline."""
    require_officer_owner(actor, prospect)
    data = dict(data)
    check_version(prospect, data.pop("version", None), "prospect")
    before = audit.snapshot(prospect)
    values = _resolve_references(actor, data, current=prospect)
    allow_phone = values.pop("allow_duplicate_phone", False)
    status = values.pop("status", None)
    reason = values.pop("lost_reason", None)
    note = values.pop("lost_note", None)
    changing = bool(status) and status != prospect.status
    if reason and not (changing and status in CLOSING):
        raise InvalidInput(
            _("A reason is given only when the prospect is rejected or lost."),
            {"lost_reason": [_("Give a reason together with status rejected or lost.")]},
        )
    if note and not changing:
        raise InvalidInput(
            _("A note is kept with a status change."),
            {"lost_note": [_("Give the note together with the new status.")]},
        )
    _check_referral({**before, **values})
    new_nik = values.get("nik") if values.get("nik") != prospect.nik else None
    new_phone = values.get("phone") if values.get("phone") != prospect.phone else None
    if new_nik or new_phone:
        check_duplicates(actor, new_nik, new_phone, allow_phone, exclude_prospect=prospect.id)
    next_contact = {k: values.pop(k) for k in ["next_follow_up_date"] if k in values}
    for key, value in values.items():
        setattr(prospect, key, value)
    if changing and status in CLOSING:
        _transition(actor, prospect, status, reason, note)  # closing cancels the next contact
    else:
        _set_next_contact(actor, prospect, next_contact)
        if changing:
            _transition(actor, prospect, status, reason, note)
    _refresh_next_contact(prospect)
    audit.record(actor, prospect, "update", before, audit.snapshot(prospect))
    return prospect


def _transition(actor, prospect: Prospect, status: str, reason, note) -> None:
    if status == ProspectStatus.WON:
        raise Conflict(
            _("A prospect is won by converting it into a customer (with its CIF)."),
            {"status": [_("Use 'convert to customer' to mark a prospect as won.")]},
        )
    if status not in allowed_transitions(prospect.status):
        allowed = ", ".join(allowed_transitions(prospect.status)) or _(
            "none (the prospect is closed)"
        )
        raise Conflict(
            _(
                "A prospect cannot move from %(old)s to %(new)s.",
                old=prospect.status,
                new=status,
            ),
            {
                "status": [
                    _(
                        "From %(old)s the next status can be: %(allowed)s.",
                        old=prospect.status,
                        allowed=allowed,
                    )
                ]
            },
        )
    closing = status in CLOSING
    if closing and not reason:
        raise InvalidInput(
            _("A reason is required."),
            {"lost_reason": [_("A reason is required when a prospect is rejected or lost.")]},
        )
    _add_history(prospect, actor, prospect.status, status, reason if closing else None, note)
    prospect.status = status
    prospect.lost_reason = reason if closing else None
    prospect.lost_note = note if closing else None
    if closing:
        hooks.closed(actor, prospect)


@prospect_work()
def change_status(actor, prospect: Prospect, status: str, reason=None, note=None) -> Prospect:
    """Move a prospect to another pipeline status (history kept, audited)."""
    require_officer_owner(actor, prospect)
    before = audit.snapshot(prospect)
    _transition(actor, prospect, status, reason, note)
    _refresh_next_contact(prospect)
    audit.record(actor, prospect, "update", before, audit.snapshot(prospect))
    return prospect


@prospect_work()
def convert(actor, prospect: Prospect, data: dict) -> Customer:
    """Turn an open prospect into a customer with the CIF given by core banking; status `won`."""
    require_officer_owner(actor, prospect)
    if prospect.status in CLOSED_STATUSES:
        raise Conflict(
            _("A %(status)s prospect cannot be converted.", status=prospect.status),
            {"status": [_("Only an open prospect can be converted into a customer.")]},
        )
    owner: User = prospect.owner
    individual = data["customer_type"] == CustomerType.INDIVIDUAL
    customer = build_customer(
        actor,
        {
            "cif": data["cif"],
            "name": prospect.name,
            "customer_type": data["customer_type"],
            "segment": data["segment"],
            # A company is identified by its NPWP; the prospect's NIK is its contact person's.
            "nik": prospect.nik if individual else None,
            "npwp": data.get("npwp"),
            "phone": prospect.phone,
            "email": prospect.email,
            "address": prospect.address,
            "since": data.get("since") or bank_today(),
        },
        officer=owner,
        exclude_prospect=prospect.id,
    )
    before = audit.snapshot(prospect)
    _add_history(prospect, actor, prospect.status, ProspectStatus.WON)
    prospect.status = ProspectStatus.WON
    prospect.customer = customer
    prospect.converted_at = utcnow()
    db.session.flush()
    hooks.closed(actor, prospect, customer)  # its planned follow-ups go on with the customer
    _refresh_next_contact(prospect)
    audit.record(actor, customer, "create", None, audit.snapshot(customer))
    audit.record(actor, prospect, "update", before, audit.snapshot(prospect))
    return customer


def get_prospect(actor, prospect_id) -> Prospect:
    """A prospect the user may see, or NotFound."""
    return get_visible(actor, Prospect, prospect_id)


def conversion_days(prospect: Prospect) -> int | None:
    """Days from collection to conversion, for reporting."""
    if prospect.converted_at is None:
        return None
    return (prospect.converted_at - prospect.created_at) // timedelta(days=1)
