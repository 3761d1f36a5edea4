"""The demo's renewal pipeline: the listings' imports made the opportunities (aoapp/renewals); each
officer has then called some customers, so `make run` shows every stage: one opportunity in
discussion, one proposed, and one renewed as the officer recorded it. Idempotent: an officer with
any opportunity worked already is left alone."""

from collections import Counter
from datetime import date

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.demo import data
from aoapp.extensions import db
from aoapp.renewals import services
from aoapp.renewals.models import Kind, RenewalOpportunity, Stage
from aoapp.renewals.pipeline import refresh

KIND = "renewals worked"


def _open(officer: User) -> list[RenewalOpportunity]:
    stmt = (
        sa.select(RenewalOpportunity)
        .where(
            RenewalOpportunity.officer_id == officer.id,
            RenewalOpportunity.kind == Kind.LOAN.value,
        )
        .order_by(RenewalOpportunity.maturity_date, RenewalOpportunity.id)
    )
    return list(db.session.scalars(stmt))


def seed_renewals(created: Counter, present: Counter, today: date) -> None:
    """Work a few of each demo officer's loan opportunities (audited, as the officer)."""
    refresh(today=today)
    for username in data.OFFICERS:
        officer = db.session.scalar(sa.select(User).where(User.username == username))
        if officer is None:
            continue
        found = _open(officer)
        if any(o.stage != Stage.TO_CONTACT or o.confirmed for o in found):
            present[KIND] += 1
            continue
        todo = [o for o in found if o.is_open]
        if todo:
            services.move_stage(officer, todo[-1], Stage.IN_DISCUSSION.value)
        if len(todo) > 1:
            services.move_stage(officer, todo[-2], Stage.PROPOSED.value)
        if len(todo) > 2:
            services.record_outcome(officer, todo[-3], {"outcome": "renewed"}, today=today)
        created[KIND] += min(len(todo), 3)
