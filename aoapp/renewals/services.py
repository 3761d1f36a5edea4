"""The renewal pipeline: the officer's steps (stage, outcome), each one unit of
work, audited.

Who does what: the customer's officer works its opportunities (moves the stage, records or
confirms the outcome); the supervisor of the customer's branch may do the same, and alone allows a
delinquent loan onto the top-up list (`topup_allowed`). Admins read. Out of scope is 404.

Stages: to contact → in discussion → proposed (moved freely among these three) → closed, which
only an outcome reaches. An outcome the listing proposed is confirmed by recording an outcome
(the same one, or a correction); a confirmed outcome is final (409).

The lists and the top-up rule are read in renewals/reads.py (re-exported here for the views).
"""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.common.dates import bank_today
from aoapp.common.plausible import too_long_ago
from aoapp.common.transaction import unit_of_work
from aoapp.customers.hooks import on_reassign
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.renewals.models import (
    OPEN_STAGES,
    OUTCOMES_OF,
    Kind,
    LostReason,
    RenewalOpportunity,
    RenewalOutcome,
    SettledBy,
    Stage,
)
from aoapp.renewals.reads import (  # noqa: F401  (read by the views and the API)
    WINDOWS,
    get_opportunity,
    list_opportunities,
    topup_limits,
)

STALE = _l("This renewal was changed by someone else since you opened it; reload and try again.")
Opp = RenewalOpportunity


# --- The steps ---------------------------------------------------------------------------------


def may_work(actor, opportunity: RenewalOpportunity) -> bool:
    """The customer's officer or the supervisor of its branch."""
    customer = opportunity.customer
    if actor.role == Role.OFFICER:
        return customer.officer_id == actor.id
    return actor.role == Role.SUPERVISOR and customer.branch_id in actor.supervised_branch_ids


def _require_worker(actor, opportunity) -> None:
    if not may_work(actor, opportunity):
        raise Forbidden(_("Only the customer's officer or the branch supervisor works a renewal."))


def _check_version(opportunity, version: int | None) -> None:
    if version is not None and version != opportunity.version:
        raise Conflict(str(STALE), {"version": [str(STALE)]})


def move_stage(actor, opportunity, stage: str, version: int | None = None):
    """Move an open opportunity to another open stage, audited."""
    _require_worker(actor, opportunity)
    _check_version(opportunity, version)
    if not opportunity.is_open:
        raise Conflict(_("This renewal is closed: its outcome is recorded."))
    if stage not in {s.value for s in OPEN_STAGES}:
        message = _("Record an outcome to close a renewal.")
        raise InvalidInput(message, {"stage": [message]})
    if stage == opportunity.stage:
        raise Conflict(_("The renewal is already at this stage."), {"stage": [_("Already here.")]})
    with unit_of_work(stale=str(STALE)):
        before = audit.snapshot(opportunity)
        opportunity.stage = stage
        db.session.flush()
        audit.record(actor, opportunity, "stage", before, audit.snapshot(opportunity))
    return opportunity


def _outcome_errors(opportunity, data: dict, today: date) -> dict:
    """Field errors of an outcome for this opportunity (empty when it is fine)."""
    errors: dict[str, list[str]] = {}
    outcome, new_plafond = data.get("outcome"), data.get("new_plafond")
    if outcome not in {o.value for o in OUTCOMES_OF[Kind(opportunity.kind)]}:
        codes = ", ".join(o.value for o in OUTCOMES_OF[Kind(opportunity.kind)])
        errors["outcome"] = [
            _("A %(kind)s takes one of: %(codes)s.", kind=_kind(opportunity), codes=codes)
        ]
    if outcome == RenewalOutcome.TOPPED_UP:
        old = opportunity.plafond or Decimal(0)
        if new_plafond is None:
            errors["new_plafond"] = [_("Give the new plafond of the top-up.")]
        elif new_plafond <= old:
            errors["new_plafond"] = [_("A top-up's new plafond is larger than the old one.")]
    if outcome == RenewalOutcome.PAID_OFF_LOST and not data.get("lost_reason"):
        errors["lost_reason"] = [_("Say why the customer left.")]
    day = data.get("outcome_date")
    if day is not None:
        if day > today:
            errors["outcome_date"] = [_("The outcome date cannot be in the future.")]
        elif too_old := too_long_ago(day, today):
            errors["outcome_date"] = [too_old]
    return errors


def _kind(opportunity) -> str:
    return _("loan") if opportunity.kind == Kind.LOAN else _("deposit")


def record_outcome(actor, opportunity, data: dict, version: int | None = None, today=None):
    """Record the outcome (closing an open opportunity), or confirm or correct the one a listing
    proposed; audited. A confirmed outcome is final."""
    today = today or bank_today()
    _require_worker(actor, opportunity)
    _check_version(opportunity, version)
    if opportunity.stage == Stage.CLOSED and opportunity.confirmed:
        raise Conflict(_("This renewal's outcome is already confirmed."))
    errors = _outcome_errors(opportunity, data, today)
    if errors:
        raise InvalidInput(_("Check the outcome."), errors)
    outcome = data["outcome"]
    with unit_of_work(stale=str(STALE)):
        before = audit.snapshot(opportunity)
        proposed = opportunity.proposed_outcome
        opportunity.stage = Stage.CLOSED.value
        opportunity.outcome = outcome
        opportunity.confirmed = True
        opportunity.settled_by = (
            SettledBy.LISTING.value if proposed == outcome else SettledBy.OFFICER.value
        )
        opportunity.outcome_date = data.get("outcome_date") or opportunity.outcome_date or today
        _amounts(opportunity, outcome, data.get("new_plafond"))
        keeps_reason = outcome in (RenewalOutcome.PAID_OFF_LOST, RenewalOutcome.WITHDRAWN)
        opportunity.lost_reason = data.get("lost_reason") if keeps_reason else None
        opportunity.lost_note = (data.get("lost_note") or "") if keeps_reason else ""
        db.session.flush()
        audit.record(actor, opportunity, "outcome", before, audit.snapshot(opportunity))
    return opportunity


def _amounts(opportunity, outcome: str, new_plafond: Decimal | None) -> None:
    """New plafond and top-up: kept from the listing unless typed; none unless renewed."""
    if outcome not in (RenewalOutcome.RENEWED, RenewalOutcome.TOPPED_UP):
        opportunity.new_plafond = opportunity.topup_amount = opportunity.new_facility_id = None
        return
    if new_plafond is not None:
        opportunity.new_plafond = new_plafond
    topped = outcome == RenewalOutcome.TOPPED_UP and opportunity.new_plafond is not None
    old = opportunity.plafond or Decimal(0)
    opportunity.topup_amount = opportunity.new_plafond - old if topped else None


def allow_topup(actor, opportunity, allowed: bool, version: int | None = None):
    """A supervisor lets a delinquent loan onto the top-up list (or takes it off), audited."""
    customer = opportunity.customer
    if not (actor.role == Role.SUPERVISOR and customer.branch_id in actor.supervised_branch_ids):
        raise Forbidden(_("Only the branch supervisor allows a top-up for a delinquent loan."))
    _check_version(opportunity, version)
    if opportunity.kind != Kind.LOAN:
        message = _("Only loans are topped up.")
        raise InvalidInput(message, {"topup_allowed": [message]})
    with unit_of_work(stale=str(STALE)):
        before = audit.snapshot(opportunity)
        opportunity.topup_allowed = bool(allowed)
        db.session.flush()
        audit.record(actor, opportunity, "topup_allowed", before, audit.snapshot(opportunity))
    return opportunity


def change(actor, opportunity, data: dict):
    """One change of the API's PATCH: a stage, an outcome, or the top-up allowance."""
    version = data.get("version")
    if data.get("stage"):
        return move_stage(actor, opportunity, data["stage"], version)
    if data.get("outcome"):
        return record_outcome(actor, opportunity, data, version)
    return allow_topup(actor, opportunity, data["topup_allowed"], version)


LOST_REASONS = tuple(r.value for r in LostReason)


@on_reassign
def hand_over_open_renewals(actor, customers, officer_id: int) -> int:
    """Move the reassigned customers' open opportunities to their new officer and branch (inside
    the reassignment's unit of work), one audit entry each; returns how many."""
    branches = {customer.id: customer.branch_id for customer in customers}
    stmt = sa.select(Opp).where(
        Opp.customer_id.in_(list(branches)),
        Opp.stage != Stage.CLOSED.value,
        Opp.officer_id != officer_id,
    )
    moved = db.session.scalars(stmt.order_by(Opp.id)).all()
    befores = [audit.snapshot(opportunity) for opportunity in moved]
    for opportunity in moved:
        opportunity.officer_id = officer_id
        opportunity.branch_id = branches[opportunity.customer_id]
    db.session.flush()
    audit.record_all(
        actor,
        [(o, "reassign", b, audit.snapshot(o)) for o, b in zip(moved, befores, strict=True)],
    )
    return len(moved)
