"""The supervisor's team agenda: counts per officer, escalations waiting, broken promises,
overdue complaints, low satisfaction scores not yet followed up, visits flagged in the last week;
over the branches the supervisor leads (an admin: the bank, or one branch)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, joinedload

from aoapp.auth.models import Branch, Role, User
from aoapp.auth.scoping import visible_to
from aoapp.common.dates import bank_today, local_day_bounds
from aoapp.common.ids import among
from aoapp.complaints import conditions as complaint_conditions
from aoapp.complaints.models import OPEN_STATUSES, Complaint, ComplaintStatus
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, NotFound
from aoapp.extensions import db
from aoapp.followups import conditions as followup_conditions
from aoapp.followups.models import FollowUp, FollowUpStatus, PromiseToPay
from aoapp.followups.promises import broken_condition
from aoapp.followups.visit_evidence import FlaggedVisit, flagged_visits
from aoapp.surveys.models import Survey
from aoapp.surveys.reads import unfollowed_low_scores

HORIZON_DAYS = 7
BROKEN_WINDOW_DAYS = 90  # broken promises whose deadline passed within this many days
LIST_LIMIT = 100  # rows shown per list
FLAG_WINDOW_DAYS = 7  # flagged visits logged within this many days, today included
COUNTS = ("overdue", "today", "next_7_days", "open_complaints", "overdue_complaints")


@dataclass
class OfficerRow:
    """One officer's workload: planned follow-ups by group and open complaints."""

    officer: User
    overdue: int = 0
    today: int = 0
    next_7_days: int = 0
    open_complaints: int = 0
    overdue_complaints: int = 0


@dataclass
class BrokenPromise:
    """A facility's latest promise, broken: who promised what, and the officer to chase it."""

    promise: PromiseToPay
    customer: Customer
    officer: User | None


@dataclass
class TeamAgenda:
    """What a supervisor reviews each morning."""

    today: date
    branches: list[Branch]
    branch: Branch | None  # the one branch asked for, if any
    rows: list[OfficerRow]
    escalated_followups: list[FollowUp]
    escalated_complaints: list[Complaint]
    broken_promises: list[BrokenPromise]
    overdue_complaints: list[Complaint]
    low_scores: list[Survey] = field(default_factory=list)  # satisfaction, not followed up yet
    flagged_visits: list[FlaggedVisit] = field(default_factory=list)  # far, or no location

    @property
    def totals(self) -> dict[str, int]:
        """The sum of every officer's counts."""
        return {name: sum(getattr(row, name) for row in self.rows) for name in COUNTS}


def team_branches(actor, branch_id: int | None = None) -> tuple[list[Branch], Branch | None]:
    """The branches a team agenda covers; a branch outside the actor's reach is NotFound."""
    if actor.role == Role.OFFICER:
        raise Forbidden(_("The team agenda is for supervisors."))
    stmt = sa.select(Branch).order_by(Branch.code)
    if actor.role == Role.SUPERVISOR:
        stmt = stmt.where(Branch.id.in_(actor.supervised_branch_ids))
    branches = list(db.session.scalars(stmt))
    if branch_id is None:
        return branches, None
    chosen = next((b for b in branches if b.id == branch_id), None)
    if chosen is None:
        raise NotFound()
    return [chosen], chosen


def workload_counts(officer_ids: list[int], today: date) -> tuple[dict, dict]:
    """Planned follow-ups by group and open complaints per officer (two grouped queries), as
    they stood at the end of `today`: the bank's today on the agenda, a past month's last day on
    a dashboard of that month (followups/conditions.py, complaints/conditions.py)."""
    until = today + timedelta(days=HORIZON_DAYS)
    _start, day_end = local_day_bounds(today, today)
    day = FollowUp.planned_date
    followups = db.session.execute(
        sa.select(
            FollowUp.owner_id,
            sa.func.sum(sa.case((day < today, 1), else_=0)),
            sa.func.sum(sa.case((day == today, 1), else_=0)),
            sa.func.sum(sa.case((day > today, 1), else_=0)),
        )
        .where(
            among(FollowUp.owner_id, officer_ids),
            followup_conditions.planned_at(day_end),
            day <= until,
        )
        .group_by(FollowUp.owner_id)
    )
    complaints = db.session.execute(
        sa.select(
            Complaint.officer_id,
            sa.func.count(),
            sa.func.sum(sa.case((Complaint.due_date < today, 1), else_=0)),
        )
        .where(among(Complaint.officer_id, officer_ids), complaint_conditions.open_at(day_end))
        .group_by(Complaint.officer_id)
    )
    return (
        {owner: tuple(int(n or 0) for n in counts) for owner, *counts in followups},
        {officer: tuple(int(n or 0) for n in counts) for officer, *counts in complaints},
    )


def _escalated_followups(officer_ids: list[int]) -> list[FollowUp]:
    stmt = (
        sa.select(FollowUp)
        .options(
            joinedload(FollowUp.customer),
            joinedload(FollowUp.facility),
            joinedload(FollowUp.owner),
        )
        .where(
            among(FollowUp.owner_id, officer_ids),
            FollowUp.escalated.is_(True),
            FollowUp.status == FollowUpStatus.PLANNED,
        )
        .order_by(FollowUp.created_at, FollowUp.id)
    )
    return list(db.session.scalars(stmt.limit(LIST_LIMIT)))


def _complaints(actor, branch_ids: list[int], condition, order) -> list[Complaint]:
    stmt = (
        visible_to(actor, sa.select(Complaint))
        .options(joinedload(Complaint.customer), joinedload(Complaint.officer))
        .where(Complaint.branch_id.in_(branch_ids), condition)
        .order_by(*order, Complaint.id)
    )
    return list(db.session.scalars(stmt.limit(LIST_LIMIT)))


def _broken_promises(actor, branch_ids: list[int], today: date) -> list[BrokenPromise]:
    """The latest promise of each facility when it is broken (recent deadlines), oldest first."""
    later = aliased(PromiseToPay)
    newer_exists = (
        sa.exists()
        .where(later.facility_id == PromiseToPay.facility_id)
        .where(
            sa.or_(
                later.promised_on > PromiseToPay.promised_on,
                sa.and_(later.promised_on == PromiseToPay.promised_on, later.id > PromiseToPay.id),
            )
        )
    )
    stmt = (
        visible_to(actor, sa.select(PromiseToPay, Customer))
        .join(Customer, Customer.id == PromiseToPay.customer_id)
        .options(joinedload(PromiseToPay.facility), joinedload(Customer.officer))
        .where(
            Customer.branch_id.in_(branch_ids),
            ~newer_exists,
            PromiseToPay.deadline >= today - timedelta(days=BROKEN_WINDOW_DAYS),
            broken_condition(today),
        )
        .order_by(PromiseToPay.deadline, PromiseToPay.id)
    )
    return [
        BrokenPromise(promise, customer, customer.officer)
        for promise, customer in db.session.execute(stmt.limit(LIST_LIMIT))
    ]


def team_agenda(actor, branch_id: int | None = None, today: date | None = None) -> TeamAgenda:
    """The team agenda of a supervisor (their branches) or an admin (all, or one branch)."""
    today = today or bank_today()
    branches, chosen = team_branches(actor, branch_id)
    branch_ids = [b.id for b in branches]
    officers = list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == Role.OFFICER, User.branch_id.in_(branch_ids), User.active)
            .order_by(User.full_name, User.username)
        )
    )
    officer_ids = [o.id for o in officers]
    followup_counts, complaint_counts = workload_counts(officer_ids, today)
    rows = []
    for officer in officers:
        overdue, due_today, upcoming = followup_counts.get(officer.id, (0, 0, 0))
        open_count, late = complaint_counts.get(officer.id, (0, 0))
        rows.append(OfficerRow(officer, overdue, due_today, upcoming, open_count, late))
    open_codes = [s.value for s in OPEN_STATUSES]
    return TeamAgenda(
        today=today,
        branches=branches,
        branch=chosen,
        rows=rows,
        escalated_followups=_escalated_followups(officer_ids),
        escalated_complaints=_complaints(
            actor,
            branch_ids,
            Complaint.status == ComplaintStatus.ESCALATED,
            (Complaint.escalated_at, Complaint.received_at),
        ),
        broken_promises=_broken_promises(actor, branch_ids, today),
        overdue_complaints=_complaints(
            actor,
            branch_ids,
            sa.and_(Complaint.status.in_(open_codes), Complaint.due_date < today),
            (Complaint.due_date, Complaint.received_at),
        ),
        low_scores=unfollowed_low_scores(actor, branch_ids),
        flagged_visits=flagged_visits(
            actor,
            today - timedelta(days=FLAG_WINDOW_DAYS - 1),
            today,
            branch_ids=branch_ids,
            limit=LIST_LIMIT,
        ),
    )
