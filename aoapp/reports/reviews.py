"""Supervisors' reviews of customer reports: who may review, recording one (audited), and the
latest review of each listed report.

A review belongs to the customer's period (`ReportReview.customer_id`, `period`), so it
outlives a regenerated file; the list, the customer page, the API and the next generation of
the workbook all show the latest one.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.reports.models import Report, ReportKind, ReportReview

NOTE_MAX = 1000
_UNSET = object()


def can_review(actor, report: Report) -> bool:
    """An admin, or a supervisor of the customer's branch, may review a customer report."""
    if report.kind != ReportKind.CUSTOMER.value or report.customer is None:
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.SUPERVISOR and (
        report.customer.branch_id in actor.supervised_branch_ids
    )


def review_report(actor, report_id, note: str | None) -> ReportReview:
    """Mark the customer's report of its period as reviewed, with a note (one transaction,
    audited). A report out of the actor's scope is NotFound; an officer is Forbidden."""
    report = get_visible(actor, Report, report_id)
    if report.kind != ReportKind.CUSTOMER.value:
        raise InvalidInput(
            _("Only a customer's report is reviewed."),
            {"note": [_("Only a customer's report is reviewed.")]},
        )
    if not can_review(actor, report):
        raise Forbidden(_("Only a supervisor of the customer's branch may review this report."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:  # the schema says so first; a service called directly too
        raise InvalidInput(
            _("The note is too long."), {"note": [_("At most %(max)s characters.", max=NOTE_MAX)]}
        )
    with unit_of_work():
        review = ReportReview(
            customer_id=report.customer_id,
            period=report.period,
            report_id=report.id,
            reviewed_by_id=actor.id,
            note=note,
        )
        db.session.add(review)
        db.session.flush()
        audit.record(actor, review, "create", None, audit.snapshot(review))
    report.latest_review = review
    return review


def latest_reviews(pairs) -> dict[tuple[int, str], ReportReview]:
    """The latest review of each (customer id, period), with its reviewer, in one query."""
    pairs = {(c, p) for c, p in pairs if c is not None}
    if not pairs:
        return {}
    stmt = (
        sa.select(ReportReview)
        .options(joinedload(ReportReview.reviewed_by))
        .where(
            sa.tuple_(ReportReview.customer_id, ReportReview.period).in_(sorted(pairs)),
        )
        .order_by(ReportReview.reviewed_at, ReportReview.id)
    )
    found: dict[tuple[int, str], ReportReview] = {}
    for review in db.session.scalars(stmt):  # oldest first: the latest one stays
        found[(review.customer_id, review.period)] = review
    return found


def attach_reviews(reports) -> list:
    """Give each report its latest review as `latest_review` (None: not reviewed)."""
    reports = list(reports)
    found = latest_reviews(
        (r.customer_id, r.period) for r in reports if r.kind == ReportKind.CUSTOMER.value
    )
    for report in reports:
        report.latest_review = found.get((report.customer_id, report.period))
    return reports


def review_of(report: Report) -> ReportReview | None:
    """The report's latest review (attached by `attach_reviews`, else read now)."""
    review = getattr(report, "latest_review", _UNSET)
    if review is _UNSET:
        review = attach_reviews([report])[0].latest_review
    return review
