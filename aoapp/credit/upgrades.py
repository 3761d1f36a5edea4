"""Authorised Kol upgrade of a restructured facility: lifts the restructure hold, audited.

A restructured facility keeps its Kol at each import until a supervisor of its branch (or an
admin) upgrades it. The upgrade changes the facility's latest position; the next import then
holds from the upgraded Kol, because the import reads the previous position's facility Kol.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.common.i18n import format_number
from aoapp.common.transaction import unit_of_work
from aoapp.credit.collectibility import KOLS, effective_kol
from aoapp.credit.models import Facility, FacilityStatus, KolRule, KolUpgrade, Position
from aoapp.credit.services import latest_position
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db

JUSTIFICATION_MIN = 10


def can_upgrade(actor, facility: Facility) -> bool:
    """True for an admin or a supervisor of the customer's branch."""
    if actor.role == Role.ADMIN:
        return True
    return (
        actor.role == Role.SUPERVISOR and facility.customer.branch_id in actor.supervised_branch_ids
    )


def require_upgrader(actor, facility: Facility) -> None:
    """Only a supervisor of the customer's branch or an admin upgrades a Kol."""
    if not can_upgrade(actor, facility):
        raise Forbidden(
            _("Only a supervisor of the customer's branch or an administrator can upgrade a Kol.")
        )


def floor_kol(position: Position) -> int:
    """The best Kol the position may have: its DPD Kol or the bank's file Kol, the worse."""
    return max(position.dpd_kol, position.file_kol or min(KOLS))


def own_rule(position: Position) -> str:
    """The rule behind a position's own (facility) Kol, as the import decides it."""
    file_kol = position.file_kol or min(KOLS)
    if position.facility_kol > max(position.dpd_kol, file_kol):
        return KolRule.RESTRUCTURE_HOLD.value
    if file_kol > position.dpd_kol:
        return KolRule.FILE.value
    return KolRule.DPD.value


@dataclass
class UpgradeOptions:
    """What an upgrade of the facility's latest position may choose from."""

    position: Position
    current: int
    floor: int

    @property
    def choices(self) -> list[int]:
        return list(range(self.floor, self.current))


def upgrade_options(actor, facility: Facility) -> UpgradeOptions | None:
    """The upgrade the actor could make now, or None when there is none to offer."""
    if not can_upgrade(actor, facility) or not facility.restructured:
        return None
    if facility.status != FacilityStatus.ACTIVE:
        return None
    position = latest_position(facility.id)
    if position is None or position.facility_kol <= floor_kol(position):
        return None
    return UpgradeOptions(position, position.facility_kol, floor_kol(position))


def _held_position(facility: Facility) -> Position:
    """The facility's latest position, if the facility may be upgraded at all."""
    if not facility.restructured:
        raise Conflict(
            _(
                "Only restructured facilities are upgraded by hand; "
                "the Kol of other facilities follows their days past due at each import."
            )
        )
    if facility.status != FacilityStatus.ACTIVE:
        raise Conflict(_("This facility is closed; its Kol can no longer be upgraded."))
    position = latest_position(facility.id)
    if position is None:
        raise Conflict(
            _("This facility has no imported position yet, so there is no Kol to upgrade.")
        )
    return position


def _check(position: Position, to_kol, justification: str | None) -> str:
    """The new Kol improves the held Kol without going below the DPD or file Kol."""
    errors = {}
    current, floor = position.facility_kol, floor_kol(position)
    if not isinstance(to_kol, int) or to_kol not in KOLS:
        errors["to_kol"] = [_("Choose a Kol from 1 to 5.")]
    elif to_kol >= current:
        errors["to_kol"] = [
            _(
                "Kol %(kol)s is not an improvement: the facility is at Kol %(current)s. "
                "Choose a better (lower) Kol.",
                kol=to_kol,
                current=current,
            )
        ]
    elif to_kol < floor:
        if position.dpd_kol >= (position.file_kol or 0):
            message = _(
                "The facility cannot go below Kol %(floor)s: its days past due (%(dpd)s) give "
                "Kol %(dpd_kol)s. An upgrade only lifts the restructuring hold.",
                floor=floor,
                dpd=format_number(position.dpd),
                dpd_kol=position.dpd_kol,
            )
        else:
            message = _(
                "The facility cannot go below Kol %(floor)s: the bank's file sets Kol "
                "%(file_kol)s. An upgrade only lifts the restructuring hold.",
                floor=floor,
                file_kol=position.file_kol,
            )
        errors["to_kol"] = [message]
    text = (justification or "").strip()
    if not text:
        errors["justification"] = [_("A justification is required.")]
    elif len(text) < JUSTIFICATION_MIN:
        errors["justification"] = [
            _("Explain the upgrade in at least %(min)s characters.", min=JUSTIFICATION_MIN)
        ]
    if errors:
        raise InvalidInput(_("The upgrade was refused."), errors)
    return text


def _recompute_debtor(actor, upgraded: Position) -> None:
    """One-obligor rule again for every position of the debtor on the upgraded as-of date."""
    stmt = (
        sa.select(Position)
        .where(Position.customer_id == upgraded.customer_id, Position.as_of == upgraded.as_of)
        .order_by(Position.id)
        .with_for_update()
    )
    positions = list(db.session.scalars(stmt))
    debtor = max(p.facility_kol for p in positions)
    for position in positions:
        before = None if position is upgraded else audit.snapshot(position)
        kol, rule = effective_kol(position.facility_kol, own_rule(position), debtor)
        position.debtor_kol, position.kol_rule = kol, str(rule)
        if before is not None:
            audit.record(actor, position, "update", before, audit.snapshot(position))


@unit_of_work()  # also ends the row lock taken below when the upgrade is refused
def upgrade_kol(actor, facility: Facility, to_kol: int, justification: str) -> KolUpgrade:
    """Upgrade a restructured facility's held Kol on its latest position, in one transaction."""
    require_upgrader(actor, facility)
    position = _held_position(facility)
    db.session.refresh(position, with_for_update=True)
    text = _check(position, to_kol, justification)
    before = audit.snapshot(position)
    upgrade = KolUpgrade(
        facility_id=facility.id,
        as_of=position.as_of,
        from_kol=position.facility_kol,
        to_kol=to_kol,
        justification=text,
        upgraded_by_id=actor.id,
    )
    db.session.add(upgrade)
    position.facility_kol = to_kol
    _recompute_debtor(actor, position)
    audit.record(actor, position, "kol_upgrade", before, audit.snapshot(position))
    return upgrade
