"""The admin's home: what needs an admin today — the listings' freshness, the latest imports,
accounts locked out or deactivated, branches nobody supervises. Read only."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from aoapp.auth.models import Branch, Role, User, supervised_branches
from aoapp.auth.scoping import visible_to
from aoapp.common.dates import bank_today, utcnow
from aoapp.extensions import db
from aoapp.imports import records
from aoapp.imports.kinds import kinds, label_of
from aoapp.imports.models import ImportStatus, PositionImport

RECENT_IMPORTS = 8
SHOWN_USERS = 10
# A listing is stale when its date is more than a month-end and a few days' grace old.
STALE_AFTER_DAYS = 35


@dataclass(frozen=True)
class Freshness:
    """One listing kind: the date of its latest loaded listing and its latest run."""

    kind: str
    label: str
    as_of: date | None  # the latest listing date loaded (a succeeded import); None: never
    age_days: int | None
    last_run: PositionImport | None

    @property
    def stale(self) -> bool:
        """Never loaded, or loaded too long ago."""
        return self.age_days is None or self.age_days > STALE_AFTER_DAYS


@dataclass(frozen=True)
class AdminHome:
    """Everything the admin's home shows."""

    today: date
    freshness: list[Freshness]
    imports: list[PositionImport]
    locked: list[User]
    inactive: list[User]
    inactive_count: int
    active_by_role: dict[str, int]
    branches: int
    unsupervised: list[Branch]
    stale_after: int = STALE_AFTER_DAYS

    @property
    def kind_labels(self) -> dict[str, str]:
        """Each listing kind's label, by key."""
        return {row.kind: row.label for row in self.freshness}


def admin_home(actor: User) -> AdminHome:
    """The admin's home for `actor` (an admin; anyone else is refused by records.list_imports)."""
    recent = records.list_imports(actor, 1, RECENT_IMPORTS).items
    today = bank_today()
    inactive = _users(actor).where(User.active.is_(False))
    return AdminHome(
        today=today,
        freshness=_freshness(today),
        imports=list(recent),
        locked=list(
            db.session.scalars(
                _users(actor)
                .where(User.active.is_(True), User.locked_until > utcnow())
                .order_by(User.locked_until.desc(), User.id)
            )
        ),
        inactive=list(db.session.scalars(inactive.order_by(User.username).limit(SHOWN_USERS))),
        inactive_count=db.session.scalar(
            sa.select(sa.func.count()).select_from(inactive.subquery())
        ),
        active_by_role=_active_by_role(actor),
        branches=db.session.scalar(sa.select(sa.func.count(Branch.id))),
        unsupervised=list(
            db.session.scalars(
                sa.select(Branch)
                .where(~sa.exists().where(supervised_branches.c.branch_id == Branch.id))
                .order_by(Branch.code)
            )
        ),
    )


def _users(actor: User) -> sa.Select:
    return visible_to(actor, sa.select(User))


def _active_by_role(actor: User) -> dict[str, int]:
    """Active users per role, every role present (0 when none)."""
    users = _users(actor).where(User.active.is_(True)).subquery()
    counts = dict(
        db.session.execute(sa.select(users.c.role, sa.func.count()).group_by(users.c.role)).all()
    )
    return {role.value: counts.get(role.value, 0) for role in Role}


def _freshness(today: date) -> list[Freshness]:
    """Each listing kind (the registered ones, and any an old record names), loan listing first."""
    loaded = dict(
        db.session.execute(
            sa.select(PositionImport.kind, sa.func.max(PositionImport.as_of))
            .where(PositionImport.status == ImportStatus.SUCCEEDED)
            .group_by(PositionImport.kind)
        ).all()
    )
    keys = [kind.key for kind in kinds()]
    keys += sorted(set(loaded) - set(keys))
    rows = []
    for key in keys:
        as_of = loaded.get(key)
        last_run = db.session.scalar(
            sa.select(PositionImport)
            .where(PositionImport.kind == key)
            .order_by(PositionImport.started_at.desc(), PositionImport.id.desc())
            .limit(1)
        )
        age = (today - as_of).days if as_of else None
        rows.append(Freshness(key, str(label_of(key)), as_of, age, last_run))
    return rows
