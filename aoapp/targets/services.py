"""Monthly targets: who may see and set them, the branch grid saved in one transaction, copying
last month's, and the achievement so far shown beside them.

Which months can be changed: from the previous month to twelve months ahead. Targets are the
yardstick officers are appraised (and often paid) against, so a month that has closed must not be
rewritten after the fact; the previous month stays open because its last listing arrives in the
first days of the new month and a supervisor may need to correct a target then. Older months are
read-only for everyone, admins included (a correction there is a database matter, audited).
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.audit import services as audit
from aoapp.auth.models import Branch, Role, User
from aoapp.common.dates import bank_today
from aoapp.common.pagination import Page, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.kpis.periods import period_name
from aoapp.targets.models import Target
from aoapp.targets.schemas import METRIC_FIELDS

MONTHS_AHEAD = 12


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def current_month(today: date | None = None) -> date:
    """The first day of the bank's current month."""
    return (today or bank_today()).replace(day=1)


def month_label(month: date) -> str:
    """`October 2026` (en), `Oktober 2026` (id): the month's name (kpis/periods.period_name)."""
    return period_name(f"{month:%Y-%m}")


def is_editable(month: date, today: date | None = None) -> bool:
    """True when targets of `month` may still be set (see the module docstring)."""
    now = current_month(today)
    return add_months(now, -1) <= month <= add_months(now, MONTHS_AHEAD)


def check_editable(month: date, today: date | None = None) -> None:
    """Refuse a change to a closed (or too distant) month, in plain words."""
    if is_editable(month, today):
        return
    now = current_month(today)
    if month < now:
        message = _(
            "Targets of %(month)s can no longer be changed: only the previous month "
            "stays open for corrections.",
            month=month_label(month),
        )
    else:
        message = _("Targets can be set at most %(n)s months ahead.", n=MONTHS_AHEAD)
    raise InvalidInput(message, {"month": [message]})


# --- scope -------------------------------------------------------------------------------------


def managed_branches(actor) -> list[Branch]:
    """Branches whose officers' targets the actor sets: all (admin), supervised (supervisor)."""
    if actor.role == Role.ADMIN:
        return list(db.session.scalars(sa.select(Branch).order_by(Branch.code)))
    if actor.role == Role.SUPERVISOR:
        return sorted(actor.supervised, key=lambda branch: branch.code)
    return []


def get_branch(actor, branch_id: int | None) -> Branch:
    """A branch the actor manages (default: the first by code); any other is NotFound."""
    branches = managed_branches(actor)
    if branch_id is None:
        if not branches:
            raise NotFound(_("There is no branch whose targets you can set."))
        return branches[0]
    branch = next((b for b in branches if b.id == branch_id), None)
    if branch is None:
        raise NotFound()
    return branch


def _visible_officer_ids(actor) -> sa.Select:
    """Officers whose targets the actor may see: self (officer), branches (supervisor), all."""
    stmt = sa.select(User.id).where(User.role == Role.OFFICER)
    if actor.role == Role.OFFICER:
        return stmt.where(User.id == actor.id)
    if actor.role == Role.SUPERVISOR:
        return stmt.where(User.branch_id.in_(actor.supervised_branch_ids))
    return stmt


def get_officer(actor, officer_id) -> User:
    """An officer whose targets the actor may see; anyone else is NotFound (ids do not leak)."""
    try:
        officer_id = int(officer_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    stmt = sa.select(User).where(User.id.in_(_visible_officer_ids(actor)), User.id == officer_id)
    officer = db.session.scalar(stmt)
    if officer is None:
        raise NotFound()
    return officer


def require_manager(actor) -> None:
    """Supervisors and admins set targets; officers only read their own."""
    if actor.role == Role.OFFICER:
        raise Forbidden(_("Only supervisors and admins set targets."))


def branch_officers(branch_id: int) -> list[User]:
    """The active officers of a branch, by name: the rows of its targets grid."""
    stmt = (
        sa.select(User)
        .where(User.branch_id == branch_id, User.role == Role.OFFICER, User.active)
        .order_by(User.full_name, User.username)
    )
    return list(db.session.scalars(stmt))


def targets_of(officer_ids: list[int], month: date) -> dict[int, Target]:
    """The officers' targets of `month`, by officer id (one query)."""
    if not officer_ids:
        return {}
    stmt = sa.select(Target).where(Target.officer_id.in_(officer_ids), Target.month == month)
    return {target.officer_id: target for target in db.session.scalars(stmt)}


def get_target(actor, officer: User, month: date) -> Target:
    """The officer's targets of `month` (the officer already checked visible); else NotFound."""
    target = targets_of([officer.id], month).get(officer.id)
    if target is None:
        raise NotFound(
            _(
                "No targets for %(officer)s in %(month)s.",
                officer=officer.display_name,
                month=month_label(month),
            )
        )
    return target


def list_targets(actor, filters: dict) -> Page:
    """One page of targets the actor may see, newest month first, then by officer name."""
    stmt = (
        sa.select(Target)
        .join(User, User.id == Target.officer_id)
        .options(joinedload(Target.officer).joinedload(User.branch), joinedload(Target.set_by))
        .where(Target.officer_id.in_(_visible_officer_ids(actor)))
    )
    if filters.get("branch_id") is not None:
        if actor.role == Role.OFFICER:
            if filters["branch_id"] != actor.branch_id:
                raise NotFound()
        else:
            get_branch(actor, filters["branch_id"])
        stmt = stmt.where(User.branch_id == filters["branch_id"])
    if filters.get("officer_id") is not None:
        stmt = stmt.where(Target.officer_id == get_officer(actor, filters["officer_id"]).id)
    if filters.get("month") is not None:
        stmt = stmt.where(Target.month == filters["month"])
    stmt = stmt.order_by(Target.month.desc(), User.full_name, User.username, Target.id)
    return paginate(stmt, filters.get("page", 1), filters.get("per_page", 50))


# --- changes -----------------------------------------------------------------------------------


@dataclass
class SaveResult:
    """What one save of a grid did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _values(values: dict) -> dict:
    """Every metric, None where nothing was given."""
    return {key: values.get(key) for key in METRIC_FIELDS}


def _apply(actor, target: Target | None, officer_id: int, month: date, values: dict) -> str:
    """Create, update or delete one officer's targets with an audit entry; what was done."""
    values = _values(values)
    empty = all(value is None for value in values.values())
    if target is None:
        if empty:
            return "unchanged"
        target = Target(officer_id=officer_id, month=month, set_by_id=actor.id, **values)
        db.session.add(target)
        audit.record(actor, target, "create", None, audit.snapshot(target))
        return "created"
    if empty:
        audit.record(actor, target, "delete", audit.snapshot(target), None)
        db.session.delete(target)
        return "deleted"
    if all(getattr(target, key) == value for key, value in values.items()):
        return "unchanged"  # an unchanged row keeps who set it
    before = audit.snapshot(target)
    for key, value in values.items():
        setattr(target, key, value)
    target.set_by_id = actor.id
    db.session.flush()
    audit.record(actor, target, "update", before, audit.snapshot(target))
    return "updated"


def _changed_meanwhile() -> str:
    return _("Another user changed these targets a moment ago. Reload the page and retry.")


def targets_work():
    """One transaction (committed at its end, rolled back on any error); a concurrent save of
    the same officer and month (the unique key), or a change of targets another request removed
    meanwhile, is a Conflict."""
    return unit_of_work(
        duplicate=_(
            "Another user saved targets for this month a moment ago. Reload the page and retry."
        ),
        stale=_changed_meanwhile(),
        stale_field=None,
    )


def save_grid(actor, branch: Branch, month: date, rows: dict[int, dict]) -> SaveResult:
    """Save a branch's grid (officer id → validated values) in one transaction.

    An all-empty row deletes the officer's targets; every change is audited. Rows must be
    officers of the branch (the grid's), else nothing is saved.
    """
    require_manager(actor)
    get_branch(actor, branch.id)
    check_editable(month)
    officers = {officer.id for officer in branch_officers(branch.id)}
    if set(rows) - officers:
        raise InvalidInput(
            _("The list of officers changed while you were editing. Reload the page and retry.")
        )
    result = SaveResult()
    with targets_work():
        existing = targets_of(list(rows), month)
        for officer_id, values in rows.items():
            done = _apply(actor, existing.get(officer_id), officer_id, month, values)
            if done != "unchanged":
                setattr(result, done, getattr(result, done) + 1)
    return result


def set_target(actor, officer: User, month: date, values: dict) -> Target:
    """Set one officer's targets of a month (create or replace every metric), audited."""
    require_manager(actor)
    check_editable(month)
    if all(value is None for value in _values(values).values()):
        message = _("Give at least one target. To remove the month's targets, delete them.")
        raise InvalidInput(message, {"_schema": [message]})
    with targets_work():
        target = targets_of([officer.id], month).get(officer.id)
        _apply(actor, target, officer.id, month, values)
    saved = targets_of([officer.id], month).get(officer.id)
    if saved is None:  # removed by another request between the commit and this read
        raise Conflict(_changed_meanwhile())
    return saved


def delete_target(actor, officer: User, month: date) -> None:
    """Remove one officer's targets of a month, audited."""
    require_manager(actor)
    target = get_target(actor, officer, month)
    check_editable(month)
    with targets_work():
        _apply(actor, target, officer.id, month, {})


def copy_last_month(actor, branch: Branch, month: date) -> int:
    """Copy the previous month's targets to the branch's officers without targets in `month`.

    Never overwrites: an officer who already has targets this month keeps them. Returns how
    many officers got a copy.
    """
    require_manager(actor)
    get_branch(actor, branch.id)
    check_editable(month)
    ids = [officer.id for officer in branch_officers(branch.id)]
    copied = 0
    with targets_work():
        previous = targets_of(ids, add_months(month, -1))
        present = targets_of(ids, month)
        for officer_id, source in previous.items():
            if officer_id in present:
                continue
            values = {key: getattr(source, key) for key in METRIC_FIELDS}
            copied += _apply(actor, None, officer_id, month, values) == "created"
    return copied
