"""The batched queries behind the monitoring report's follow-up plan (Rencana Tindak Lanjut) and
its acknowledgment: follow-ups planned after the period, promises to pay due after it and the
latest review of each customer's period (who signs: signers.py).

The plan is what stood planned on the period's judging day (kpis/periods.judging_day): a
follow-up planned for a day after the period, created by then and still planned at its end; a
promise made by then and due after the period. A closed period's plan reads the same whenever
the report is made.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from aoapp.auth.models import User
from aoapp.common.dates import local_day_bounds
from aoapp.credit.models import Facility
from aoapp.extensions import db
from aoapp.followups import conditions as followup_conditions
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.followups.promises import made_by
from aoapp.reports.customer.queries import grouped, in_batch
from aoapp.reports.models import ReportReview


def planned_after(ids: list[int], last: date, judged_on: date) -> dict[int, list]:
    """Follow-ups planned for a day after `last`, created by the end of `judged_on` and still
    planned then, earliest first."""
    owner, facility = aliased(User), aliased(Facility)
    _start, day_end = local_day_bounds(judged_on, judged_on)
    stmt = (
        sa.select(
            FollowUp.id,
            FollowUp.customer_id,
            FollowUp.planned_date,
            FollowUp.channel,
            FollowUp.purpose,
            FollowUp.notes,
            FollowUp.note_code,
            FollowUp.note_params,
            facility.account_no,
            owner.officer_code.label("officer_code"),
            owner.full_name.label("officer_name"),
        )
        .outerjoin(facility, facility.id == FollowUp.facility_id)
        .outerjoin(owner, owner.id == FollowUp.owner_id)
        .where(
            in_batch(FollowUp.customer_id, ids),
            FollowUp.planned_date > last,
            FollowUp.created_at < day_end,
            followup_conditions.planned_at(day_end),
        )
        .order_by(FollowUp.planned_date, FollowUp.id)
    )
    return grouped(stmt)


def promises_after(ids: list[int], last: date, judged_on: date) -> dict[int, list]:
    """Promises to pay made by `judged_on` and due after `last` (pending then), earliest first."""
    officer, facility = aliased(User), aliased(Facility)
    stmt = (
        sa.select(
            PromiseToPay.id,
            PromiseToPay.customer_id,
            PromiseToPay.promised_amount,
            PromiseToPay.promised_date,
            facility.account_no,
            officer.officer_code.label("officer_code"),
            officer.full_name.label("officer_name"),
        )
        .join(facility, facility.id == PromiseToPay.facility_id)
        .outerjoin(officer, officer.id == PromiseToPay.officer_id)
        .where(
            in_batch(PromiseToPay.customer_id, ids),
            PromiseToPay.promised_date > last,
            made_by(judged_on, PromiseToPay),
        )
        .order_by(PromiseToPay.promised_date, PromiseToPay.id)
    )
    return grouped(stmt)


def latest_reviews(ids: list[int], period_code: str) -> dict[int, sa.Row]:
    """Each customer's latest review of the period, with the reviewer's name."""
    reviewer = aliased(User)
    stmt = (
        sa.select(
            ReportReview.customer_id,
            ReportReview.reviewed_at,
            ReportReview.note,
            reviewer.officer_code.label("reviewer_code"),
            reviewer.full_name.label("reviewer_name"),
        )
        .join(reviewer, reviewer.id == ReportReview.reviewed_by_id)
        .where(in_batch(ReportReview.customer_id, ids), ReportReview.period == period_code)
        .order_by(ReportReview.reviewed_at, ReportReview.id)
    )
    return {row.customer_id: row for row in db.session.execute(stmt)}  # the latest stays
