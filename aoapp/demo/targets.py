"""Demo targets: each demo officer's monthly targets for this month and the three before.

The demo bank is small (a few follow-ups and introductions a month, some billions outstanding
per officer), so the targets are scaled to it rather than to a real branch (where an AO is asked
for 60–120 follow-ups and Rp 0,5–2 miliar of new loans a month): the dashboards then show some
targets met and some missed instead of every bar near zero. Targets rise over the months, as
banks raise them through the year. Inserted directly with an audit entry each (the service
refuses months before the previous one, which the history needs); idempotent by officer and month.
"""

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.auth.models import Role, User
from aoapp.extensions import db
from aoapp.targets.models import Target
from aoapp.targets.services import add_months

JUTA = Decimal(1_000_000)
MONTHS = 4  # this month and the three before
RAMP = (Decimal("1"), Decimal("1"), Decimal("0.9"), Decimal("0.8"))  # this month first
# username: new customers, new disbursement (juta), outstanding growth (juta), max NPL ratio,
# follow-ups done, introductions
PROFILES = {
    "ao.budi": (1, 500, 250, "0.0500", 3, 3),
    "ao.sari": (1, 750, 500, "0.0300", 4, 3),
    "ao.dewi": (2, 1500, 1000, "0.0500", 3, 2),
}


def _scaled(count: int, factor: Decimal) -> int:
    """A count target scaled down for earlier months, never below 1."""
    return max(1, int((count * factor).to_integral_value(rounding=ROUND_HALF_UP)))


def _rupiah(juta: int, factor: Decimal) -> Decimal:
    """Millions of rupiah, scaled and rounded to Rp 50 juta."""
    fifties = (juta * factor / 50).to_integral_value(rounding=ROUND_HALF_UP)
    return (fifties * 50 * JUTA).quantize(Decimal("0.01"))


def target_values(username: str, months_ago: int) -> dict:
    """The demo targets of an officer for the month `months_ago` months before this one."""
    customers, disbursed, growth, npl, followups, introductions = PROFILES[username]
    factor = RAMP[months_ago]
    return {
        "new_customers": _scaled(customers, factor),
        "new_disbursement": _rupiah(disbursed, factor),
        "outstanding_growth": _rupiah(growth, factor),
        "max_npl_ratio": Decimal(npl),
        "followups_done": _scaled(followups, factor),
        "introductions": _scaled(introductions, factor),
    }


def _setter(officer: User, supervisors: list[User], admin: User) -> User:
    """The officer's branch supervisor, else the admin (a branch without one)."""
    return next((s for s in supervisors if officer.branch_id in s.supervised_branch_ids), admin)


def seed_targets(created: Counter, present: Counter, today: date) -> None:
    """Create the missing demo targets, in one transaction."""
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    supervisors = [u for u in users.values() if u.role == Role.SUPERVISOR]
    first = today.replace(day=1)
    for username in PROFILES:
        officer = users[username]
        setter = _setter(officer, supervisors, users["admin"])
        for months_ago in range(MONTHS):
            month = add_months(first, -months_ago)
            exists = db.session.scalar(
                sa.select(Target.id).where(Target.officer_id == officer.id, Target.month == month)
            )
            (present if exists else created)["targets"] += 1
            if exists:
                continue
            target = Target(
                officer_id=officer.id,
                month=month,
                set_by_id=setter.id,
                **target_values(username, months_ago),
            )
            db.session.add(target)
            audit.record(setter, target, "create", None, audit.snapshot(target))
    db.session.commit()
