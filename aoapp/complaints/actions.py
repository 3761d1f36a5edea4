"""Handling a complaint after receipt: start, escalate, resolve, hand back, close.

Who may do what, by status:
- the customer's officer starts an open complaint, escalates an open or in-progress one (with a
  reason), resolves one that is not escalated, and closes a resolved one;
- the supervisor of the customer's branch resolves or hands back (with a note) an escalated one,
  and closes a resolved one; an officer can no longer resolve an escalated complaint.
Each call is one unit of work: checks, change, audit entry (before/after), one commit.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.common.dates import utcnow
from aoapp.common.transaction import unit_of_work
from aoapp.complaints.models import OPEN_STATUSES, Complaint, ComplaintStatus
from aoapp.customers.hooks import on_reassign
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db

ACTIONS = ("start", "escalate", "resolve", "hand_back", "close")
TEXT_MAX = 4000
STALE = _l("This complaint was changed by someone else since you opened it; reload and try again.")


def is_handling_officer(actor, complaint: Complaint) -> bool:
    """True when the user is the officer of the complaint's customer (who handles it)."""
    return actor.role == Role.OFFICER and complaint.customer.officer_id == actor.id


def is_branch_supervisor(actor, complaint: Complaint) -> bool:
    """True when the user supervises the branch of the complaint's customer."""
    return (
        actor.role == Role.SUPERVISOR
        and complaint.customer.branch_id in actor.supervised_branch_ids
    )


def _may_start(actor, complaint: Complaint) -> None:
    if not is_handling_officer(actor, complaint):
        raise Forbidden(_("Only the customer's officer can start work on a complaint."))
    if complaint.status != ComplaintStatus.OPEN:
        raise Conflict(_("Only an open complaint can be started."))


def _may_escalate(actor, complaint: Complaint) -> None:
    if not is_handling_officer(actor, complaint):
        raise Forbidden(_("Only the customer's officer can escalate a complaint."))
    if complaint.status not in (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS):
        raise Conflict(_("Only an open or in-progress complaint can be escalated."))


def _may_resolve(actor, complaint: Complaint) -> None:
    if complaint.status not in OPEN_STATUSES:
        raise Conflict(_("This complaint is already resolved."))
    if complaint.status == ComplaintStatus.ESCALATED:
        if not is_branch_supervisor(actor, complaint):
            raise Forbidden(
                _(
                    "This complaint is escalated: the branch supervisor resolves it or hands it back."
                )
            )
    elif not is_handling_officer(actor, complaint):
        raise Forbidden(
            _(
                "Only the customer's officer can resolve a complaint. "
                "Supervisors resolve escalations."
            )
        )


def _may_hand_back(actor, complaint: Complaint) -> None:
    if not is_branch_supervisor(actor, complaint):
        raise Forbidden(_("Only the branch supervisor can hand a complaint back."))
    if complaint.status != ComplaintStatus.ESCALATED:
        raise Conflict(_("Only an escalated complaint can be handed back."))


def _may_close(actor, complaint: Complaint) -> None:
    if not (is_handling_officer(actor, complaint) or is_branch_supervisor(actor, complaint)):
        raise Forbidden(_("Only the customer's officer or the branch supervisor can close it."))
    if complaint.status != ComplaintStatus.RESOLVED:
        raise Conflict(_("Only a resolved complaint can be closed."))


RULES = {
    "start": _may_start,
    "escalate": _may_escalate,
    "resolve": _may_resolve,
    "hand_back": _may_hand_back,
    "close": _may_close,
}


def check(action: str, actor, complaint: Complaint, version: int | None = None) -> None:
    """Raise Conflict (stale version, wrong status) or Forbidden (wrong person) for an action."""
    if version is not None and version != complaint.version:
        raise Conflict(STALE)
    RULES[action](actor, complaint)


def allowed_actions(actor, complaint: Complaint) -> list[str]:
    """The actions the user may take on the complaint now (for the pages)."""
    allowed = []
    for action in ACTIONS:
        try:
            RULES[action](actor, complaint)
        except (Conflict, Forbidden):
            continue
        allowed.append(action)
    return allowed


def _text(value, field: str, message: str) -> str:
    """A required free text of at most TEXT_MAX characters, stripped."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, {field: [_("This field is required.")]})
    if len(text) > TEXT_MAX:
        raise InvalidInput(message, {field: [_("At most %(num)s characters.", num=TEXT_MAX)]})
    return text


def _apply(actor, complaint: Complaint, action: str, changes: dict) -> Complaint:
    """Change the complaint, audit before/after, commit; a concurrent change is a Conflict."""
    with unit_of_work(stale=STALE, stale_field=None):
        before = audit.snapshot(complaint)
        for key, value in changes.items():
            setattr(complaint, key, value)
        if is_handling_officer(actor, complaint):
            complaint.officer_id = actor.id  # follows the customer after a reassignment
        db.session.flush()  # the new version (or a concurrent change) before the audit entry
        audit.record(actor, complaint, action, before, audit.snapshot(complaint))
    return complaint


def start(actor, complaint: Complaint, *, version: int | None = None) -> Complaint:
    """The officer starts working on an open complaint (open → in progress)."""
    check("start", actor, complaint, version)
    return _apply(actor, complaint, "start", {"status": ComplaintStatus.IN_PROGRESS})


def escalate(actor, complaint: Complaint, reason, *, version: int | None = None) -> Complaint:
    """The officer escalates the complaint to the branch supervisor, giving a reason."""
    check("escalate", actor, complaint, version)
    reason = _text(reason, "reason", _("Say why the complaint needs the supervisor."))
    changes = {
        "status": ComplaintStatus.ESCALATED,
        "escalated_at": utcnow(),
        "escalated_by_id": actor.id,
        "escalation_reason": reason,
    }
    return _apply(actor, complaint, "escalate", changes)


def resolve(actor, complaint: Complaint, resolution, *, version: int | None = None) -> Complaint:
    """Record how the complaint was resolved (officer, or the supervisor when escalated)."""
    check("resolve", actor, complaint, version)
    resolution = _text(resolution, "resolution", _("Describe how the complaint was resolved."))
    changes = {
        "status": ComplaintStatus.RESOLVED,
        "resolution": resolution,
        "resolved_at": utcnow(),
        "resolved_by_id": actor.id,
    }
    return _apply(actor, complaint, "resolve", changes)


def hand_back(actor, complaint: Complaint, note, *, version: int | None = None) -> Complaint:
    """The supervisor hands an escalated complaint back to the officer with a note."""
    check("hand_back", actor, complaint, version)
    note = _text(note, "note", _("Tell the officer what to do next."))
    changes = {
        "status": ComplaintStatus.IN_PROGRESS,
        "supervisor_note": note,
        "handed_back_at": utcnow(),
    }
    return _apply(actor, complaint, "hand_back", changes)


def close(actor, complaint: Complaint, *, version: int | None = None) -> Complaint:
    """Close a resolved complaint (the officer or the branch supervisor)."""
    check("close", actor, complaint, version)
    changes = {"status": ComplaintStatus.CLOSED, "closed_at": utcnow()}
    return _apply(actor, complaint, "close", changes)


@on_reassign
def hand_over_open_complaints(actor, customers, officer_id: int) -> int:
    """Move the customers' open complaints to their new officer (and branch); returns how many.

    Part of the reassignment's unit of work (the caller commits); one audit entry per complaint.
    """
    branches = {customer.id: customer.branch_id for customer in customers}
    complaints = db.session.scalars(
        sa.select(Complaint)
        .where(
            Complaint.customer_id.in_(list(branches)),
            Complaint.status.in_([status.value for status in OPEN_STATUSES]),
            Complaint.officer_id != officer_id,
        )
        .order_by(Complaint.id)
    ).all()
    befores = [audit.snapshot(complaint) for complaint in complaints]
    for complaint in complaints:
        complaint.officer_id = officer_id
        complaint.branch_id = branches[complaint.customer_id]
    db.session.flush()
    audit.record_all(
        actor,
        [(c, "reassign", b, audit.snapshot(c)) for c, b in zip(complaints, befores, strict=True)],
    )
    return len(complaints)
