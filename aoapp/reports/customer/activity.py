"""The batched activity queries behind the per-customer workbook: introductions, follow-ups with
their promises, promises due, complaints and monitoring visits (products held: customers.holdings).

One statement per function for a whole batch of customers, like queries.py. Events are those
dated in the period (by their business date); states are as of `judged_on`, the period's judging
day (kpis/periods.judging_day): a follow-up done, a complaint resolved or a promise made after it
is still planned, open or not there in the period's report, whenever the report is made.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from aoapp.auth.models import User
from aoapp.common.dates import local_day_bounds
from aoapp.complaints import conditions as complaint_conditions
from aoapp.complaints.models import Complaint
from aoapp.credit.models import Facility, MonitoringVisit
from aoapp.followups import conditions as followup_conditions
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import as_of_state_column, made_by
from aoapp.introductions.models import Introduction
from aoapp.products.models import Product
from aoapp.reports.customer.queries import grouped, in_batch


def introductions(ids: list[int], first: date, last: date) -> dict[int, list]:
    """Introductions to each customer dated in the period, newest first."""
    officer = aliased(User)
    stmt = (
        sa.select(
            Introduction.id,
            Introduction.customer_id,
            Introduction.introduced_on,
            Introduction.place,
            Introduction.outcome,
            Introduction.explanation,
            Introduction.follow_up_date,
            Product.code.label("product_code"),
            Product.name.label("product_name"),
            officer.officer_code.label("officer_code"),
            officer.full_name.label("officer_name"),
        )
        .join(Product, Product.id == Introduction.product_id)
        .outerjoin(officer, officer.id == Introduction.officer_id)
        .where(
            in_batch(Introduction.customer_id, ids), Introduction.introduced_on.between(first, last)
        )
        .order_by(Introduction.introduced_on.desc(), Introduction.id.desc())
    )
    return grouped(stmt)


def followups(ids: list[int], first: date, last: date, judged_on: date) -> dict[int, list]:
    """Follow-ups planned in the period with their status at the end of `judged_on` (done only
    later: planned, without outcome), and the promise made at them by then, in its state as of
    that day."""
    owner, facility = aliased(User), aliased(Facility)
    _start, day_end = local_day_bounds(judged_on, judged_on)
    settled = sa.not_(followup_conditions.planned_at(day_end))
    state = sa.case(
        (PromiseToPay.id.is_(None), sa.null()), else_=as_of_state_column(judged_on, PromiseToPay)
    )
    stmt = (
        sa.select(
            FollowUp.id,
            FollowUp.customer_id,
            FollowUp.planned_date,
            sa.case((settled, FollowUp.done_at), else_=sa.null()).label("done_at"),
            FollowUp.channel,
            FollowUp.purpose,
            followup_conditions.status_at(day_end).label("status"),
            sa.case((settled, FollowUp.outcome), else_=sa.null()).label("outcome"),
            FollowUp.notes,
            FollowUp.note_code,
            FollowUp.note_params,
            facility.account_no,
            owner.officer_code.label("officer_code"),
            owner.full_name.label("officer_name"),
            PromiseToPay.id.label("promise_id"),
            PromiseToPay.promised_amount,
            PromiseToPay.promised_date,
            state.label("promise_state"),
        )
        .outerjoin(
            PromiseToPay,
            sa.and_(PromiseToPay.follow_up_id == FollowUp.id, made_by(judged_on, PromiseToPay)),
        )
        .outerjoin(facility, facility.id == FollowUp.facility_id)
        .outerjoin(owner, owner.id == FollowUp.owner_id)
        .where(in_batch(FollowUp.customer_id, ids), FollowUp.planned_date.between(first, last))
        .order_by(FollowUp.planned_date.desc(), FollowUp.id.desc())
    )
    return grouped(stmt)


def promises(ids: list[int], first: date, last: date, judged_on: date) -> dict[int, list]:
    """Promises to pay due (promised date) in the period and made by `judged_on`, with their
    state as of that day."""
    facility = aliased(Facility)
    stmt = (
        sa.select(
            PromiseToPay.id,
            PromiseToPay.customer_id,
            facility.account_no,
            PromiseToPay.promised_amount,
            PromiseToPay.promised_date,
            PromiseToPay.promised_on,
            PromiseToPay.deadline,
            as_of_state_column(judged_on, PromiseToPay).label("state"),
        )
        .join(facility, facility.id == PromiseToPay.facility_id)
        .where(
            in_batch(PromiseToPay.customer_id, ids),
            PromiseToPay.promised_date.between(first, last),
            made_by(judged_on, PromiseToPay),
        )
        .order_by(PromiseToPay.promised_date.desc(), PromiseToPay.id.desc())
    )
    return grouped(stmt)


def complaints(ids: list[int], first: date, last: date) -> dict[int, list]:
    """Complaints received in the period, or received before it and not resolved by its start;
    their status and resolution as at the period's end (resolved later: still open then)."""
    start, end = local_day_bounds(first, last)
    resolved = sa.and_(Complaint.resolved_at.is_not(None), Complaint.resolved_at < end)
    officer, facility = aliased(User), aliased(Facility)
    stmt = (
        sa.select(
            Complaint.id,
            Complaint.customer_id,
            Complaint.received_at,
            Complaint.channel,
            Complaint.category,
            Complaint.priority,
            complaint_conditions.status_at(end).label("status"),
            Complaint.description,
            sa.case((resolved, Complaint.resolution), else_=sa.null()).label("resolution"),
            sa.case((resolved, Complaint.resolved_at), else_=sa.null()).label("resolved_at"),
            Complaint.due_date,
            facility.account_no,
            officer.officer_code.label("officer_code"),
            officer.full_name.label("officer_name"),
        )
        .outerjoin(facility, facility.id == Complaint.facility_id)
        .outerjoin(officer, officer.id == Complaint.officer_id)
        .where(
            in_batch(Complaint.customer_id, ids),
            Complaint.received_at < end,
            sa.or_(
                Complaint.received_at >= start,
                Complaint.resolved_at.is_(None),
                Complaint.resolved_at >= start,
            ),
        )
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
    )
    return grouped(stmt)


def visits(ids: list[int], first: date, last: date) -> dict[int, list]:
    """Monitoring visits in the period, and each customer's latest visit up to its end."""
    officer, facility, later = aliased(User), aliased(Facility), aliased(MonitoringVisit)
    latest_day = (
        sa.select(sa.func.max(later.visit_date))
        .where(later.customer_id == MonitoringVisit.customer_id, later.visit_date <= last)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            MonitoringVisit.id,
            MonitoringVisit.customer_id,
            MonitoringVisit.visit_date,
            MonitoringVisit.met_with,
            MonitoringVisit.business_condition,
            MonitoringVisit.collateral_condition,
            MonitoringVisit.collateral_value,
            MonitoringVisit.findings,
            MonitoringVisit.risk_rating,
            MonitoringVisit.recommendations,
            MonitoringVisit.next_visit_date,
            facility.account_no,
            officer.officer_code.label("officer_code"),
            officer.full_name.label("officer_name"),
        )
        .outerjoin(facility, facility.id == MonitoringVisit.facility_id)
        .outerjoin(officer, officer.id == MonitoringVisit.officer_id)
        .where(
            in_batch(MonitoringVisit.customer_id, ids),
            MonitoringVisit.visit_date <= last,
            sa.or_(MonitoringVisit.visit_date >= first, MonitoringVisit.visit_date == latest_day),
        )
        .order_by(MonitoringVisit.visit_date.desc(), MonitoringVisit.id.desc())
    )
    return grouped(stmt)
