"""Who signs a customer's monitoring report of a period: the officer who owned the customer, and
the supervisors in charge of its branch, at the end of the period's judging day.

A report says what was true in its period, and says it again tomorrow: the names are those of
the period's end, not of the day the report is made. The app audits every change they depend on
with the record before and after — a customer moved to another officer or branch (by a
supervisor, or by a listing import), a supervisor's branches, active flag or name changed by an
admin — so the state at that instant is today's, rolled back by the first audited change after
it (audit.values_at). A supervisor whose account was made after the instant was not in charge
then; a branch that no supervisor of the app supervised then leaves the name line blank, to be
filled in by hand, rather than naming today's supervisor, who may not have been in charge (an
auditor reads a printed name as the one who acknowledged). While the period runs the instant is
the end of today: the current officer and supervisors.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from aoapp.audit.services import values_at
from aoapp.auth.models import Branch, Role, User, supervised_branches
from aoapp.common.dates import local_day_bounds
from aoapp.extensions import db


@dataclass(frozen=True)
class Signers:
    """The officer (name and AO code; None: no officer then) and the supervisors' names."""

    officer_name: str | None = None
    officer_code: str | None = None
    supervisors: list[str] = field(default_factory=list)


def signing_moment(judged_on: date) -> datetime:
    """The UTC instant the signatures are of: the end of the judging day in the bank's zone."""
    return local_day_bounds(judged_on, judged_on)[1]


def _people(officer_ids: set[int], moment: datetime) -> dict[int, dict]:
    """The officers asked for and every supervisor whose account was made by `moment`, each
    with the branches they supervise today (one row per branch, or one with None)."""
    stmt = (
        sa.select(
            User.id,
            User.role,
            User.full_name,
            User.username,
            User.officer_code,
            User.active,
            supervised_branches.c.branch_id,
        )
        .outerjoin(supervised_branches, supervised_branches.c.user_id == User.id)
        .where(
            sa.or_(
                User.id.in_(sorted(officer_ids)),
                sa.and_(User.role == Role.SUPERVISOR.value, User.created_at <= moment),
            )
        )
    )
    people: dict[int, dict] = {}
    for row in db.session.execute(stmt):
        person = people.setdefault(row.id, {"row": row, "branches": set()})
        if row.branch_id is not None:
            person["branches"].add(row.branch_id)
    return people


def _branch_ids(codes) -> dict[str, int]:
    """Branch ids by code (asked only when the audit names a supervisor's branches then)."""
    stmt = sa.select(Branch.code, Branch.id).where(Branch.code.in_(codes))
    return dict(db.session.execute(stmt).all())


def _supervisors(people: dict, then: dict, branch_ids: set) -> dict[int, list[str]]:
    """The names of each branch's supervisors then: active then, supervising it then."""
    codes = {c for old in then.values() for c in old.get("supervises", ())}
    ids = _branch_ids(sorted(codes)) if codes else {}
    names: dict[int, list[str]] = {}
    for user_id, person in people.items():
        row, old = person["row"], then.get(user_id, {})
        if row.role != Role.SUPERVISOR.value or not old.get("active", row.active):
            continue
        branches = person["branches"]
        if "supervises" in old:
            branches = {ids[code] for code in old["supervises"] if code in ids}
        name = old.get("full_name", row.full_name) or row.username
        for branch_id in branches & branch_ids:
            names.setdefault(branch_id, []).append(name)
    return {branch_id: sorted(found) for branch_id, found in names.items()}


def signers(customers: dict, judged_on: date) -> dict[int, Signers]:
    """The signers of each customer's report (`customers`: rows with officer_id and branch_id,
    today's), as of the end of `judged_on`."""
    moment = signing_moment(judged_on)
    then = values_at("customer", customers, ("officer_id", "branch_id"), moment)
    officer_of, branch_of = {}, {}
    for customer_id, row in customers.items():
        old = then.get(customer_id, {})
        officer_of[customer_id] = old.get("officer_id", row.officer_id)
        branch_of[customer_id] = old.get("branch_id", row.branch_id)
    people = _people({o for o in officer_of.values() if o is not None}, moment)
    users = values_at("user", people, ("full_name", "active", "supervises"), moment)
    supervisors = _supervisors(people, users, set(branch_of.values()))
    result = {}
    for customer_id in customers:
        officer = people.get(officer_of[customer_id])
        name = code = None
        if officer is not None:
            row = officer["row"]
            name = users.get(row.id, {}).get("full_name", row.full_name) or row.username
            code = row.officer_code
        result[customer_id] = Signers(name, code, supervisors.get(branch_of[customer_id], []))
    return result
