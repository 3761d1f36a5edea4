"""What the pages and the API read of surveys: a customer's, a month's in a scope, the low scores
a supervisor's team agenda lists until their follow-up is done. Every read is scoped
(surveys/models.py's rule: the officer a survey is booked to, the supervisors of its branch)."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from aoapp.auth.scoping import visible_to
from aoapp.common.dates import bank_today, local_day_bounds, utcnow
from aoapp.credit.figures import resolve_scope
from aoapp.customers.hooks import customer_section
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, FollowUpStatus
from aoapp.surveys import services
from aoapp.surveys.figures import SatisfactionReport, satisfaction_report, survey_condition
from aoapp.surveys.models import Reason, Survey
from aoapp.surveys.schemas import month_bounds

SECTION_SIZE = 10
LIST_LIMIT = 100


@dataclass
class CustomerSurveys:
    """The customer page's surveys: the latest, and whether the user may send one."""

    items: list[Survey]
    can_send: bool
    reasons: tuple[str, ...] = tuple(r.value for r in Reason)
    now: object = None


@customer_section("surveys")
def customer_surveys(actor, customer) -> CustomerSurveys:
    """The customer's latest surveys the user may see, newest first."""
    stmt = (
        visible_to(actor, sa.select(Survey))
        .where(Survey.customer_id == customer.id)
        .order_by(Survey.created_at.desc(), Survey.id.desc())
        .limit(SECTION_SIZE)
    )
    return CustomerSurveys(
        items=list(db.session.scalars(stmt)),
        can_send=services.can_send(actor, customer),
        now=utcnow(),
    )


@dataclass
class MonthSatisfaction:
    """A month's satisfaction in a scope, and its surveys (sent or answered in it)."""

    month: str
    report: SatisfactionReport
    items: list[Survey] = field(default_factory=list)


def month_satisfaction(actor, month: str | None, officer_id=None, branch_id=None):
    """The API's read: the scope as the portfolio summary resolves it (out of reach: 404)."""
    month = month or f"{bank_today():%Y-%m}"
    first, last = month_bounds(month)
    scope = resolve_scope(actor, officer_id, branch_id)
    start, end = local_day_bounds(first, last)
    in_month = sa.or_(
        sa.and_(Survey.created_at >= start, Survey.created_at < end),
        sa.and_(Survey.answered_at >= start, Survey.answered_at < end),
    )
    stmt = (
        visible_to(actor, sa.select(Survey))
        .where(survey_condition(scope), in_month)
        .order_by(Survey.created_at, Survey.id)
    )
    return MonthSatisfaction(
        month, satisfaction_report(scope, first, last), list(db.session.scalars(stmt))
    )


def unfollowed_low_scores(actor, branch_ids: list[int]) -> list[Survey]:
    """The branches' low scores whose follow-up is not done yet (or was never planned), oldest
    answer first: what the team agenda lists."""
    low = services.low_score()
    stmt = (
        visible_to(actor, sa.select(Survey))
        .outerjoin(FollowUp, FollowUp.id == Survey.low_score_follow_up_id)
        .options(
            joinedload(Survey.customer),
            joinedload(Survey.officer),
            joinedload(Survey.low_score_follow_up),
        )
        .where(
            Survey.branch_id.in_(branch_ids),
            Survey.score <= low,
            sa.or_(FollowUp.id.is_(None), FollowUp.status != FollowUpStatus.DONE),
        )
        .order_by(Survey.answered_at, Survey.id)
    )
    return list(db.session.scalars(stmt.limit(LIST_LIMIT)))
