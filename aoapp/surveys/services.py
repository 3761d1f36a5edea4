"""Sending a survey and answering it once.

Sending: the customer's officer (no one else: a survey speaks for the officer who served) asks
for a survey about a resolved complaint, a visit or a renewal; a secret token is made
(`secrets.token_urlsafe(32)`, 256 bits), only its SHA-256 hash is stored, and the plain token
is handed back once in the survey's URL, which expires SURVEY_TTL_DAYS (14) days later. The
sending is audited (the hash is no part of the audit's snapshot).

Answering: the public page (surveys/public.py) calls `answer` with the plain token. One UPDATE
records the answer only where the token's survey is still unanswered and unexpired, so of two
answers sent at once exactly one wins, on SQLite and PostgreSQL alike; the other is told the
survey was answered. A score at or below SURVEY_LOW_SCORE (2) plans a call by the customer's
officer on the next working day (purpose `complaint` after a complaint, else `relationship`),
its note a system text; the survey links it. The answer is audited as a system event (no actor)
with the score and whether a comment was given, not the comment's words.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import get_visible
from aoapp.common.dates import bank_today, utcnow
from aoapp.common.system_text import params_of
from aoapp.common.transaction import end_reads, unit_of_work
from aoapp.common.workdays import add_working_days
from aoapp.complaints.models import Complaint, ComplaintStatus
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.followups.models import Channel, FollowUp, FollowUpStatus, Purpose
from aoapp.renewals.models import RenewalOpportunity
from aoapp.surveys import texts
from aoapp.surveys.models import Reason, Survey

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
DEFAULT_TTL_DAYS = 14
DEFAULT_LOW_SCORE = 2
# The answer's states a public page tells apart.
WAITING, ANSWERED, EXPIRED, MISSING = "waiting", "answered", "expired", "missing"
RECORDED = "recorded"  # `answer` took this answer


def token_hash(plain: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(plain.encode()).hexdigest()


def ttl_days() -> int:
    """Days a survey link stays open (SURVEY_TTL_DAYS)."""
    return int(current_app.config.get("SURVEY_TTL_DAYS", DEFAULT_TTL_DAYS))


def low_score() -> int:
    """The highest score that asks for a follow-up (SURVEY_LOW_SCORE)."""
    return int(current_app.config.get("SURVEY_LOW_SCORE", DEFAULT_LOW_SCORE))


# --- Sending -----------------------------------------------------------------------------------


def can_send(actor, customer: Customer) -> bool:
    """Only the customer's officer sends the customer a survey."""
    return actor.role == Role.OFFICER and customer.officer_id == actor.id


def _refuse(field: str, message: str) -> None:
    raise InvalidInput(message, {field: [message]})


def _complaint_of(customer: Customer, complaint_id) -> Complaint | None:
    """The customer's resolved (or closed) complaint the survey follows."""
    if complaint_id is None:
        return None
    complaint = db.session.scalar(
        sa.select(Complaint).where(
            Complaint.id == complaint_id, Complaint.customer_id == customer.id
        )
    )
    if complaint is None:
        _refuse("complaint", _("Not a complaint of this customer."))
    if complaint.status not in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
        _refuse("complaint", _("Ask about a complaint once it is resolved."))
    return complaint


def _follow_up_of(customer: Customer, follow_up_id) -> FollowUp | None:
    """The customer's done follow-up (the visit) the survey follows."""
    if follow_up_id is None:
        return None
    followup = db.session.scalar(
        sa.select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.customer_id == customer.id)
    )
    if followup is None:
        _refuse("follow_up", _("Not a follow-up of this customer."))
    if followup.status != FollowUpStatus.DONE:
        _refuse("follow_up", _("Ask about a visit once its outcome is logged."))
    return followup


def _renewal_of(customer: Customer, renewal_id) -> RenewalOpportunity | None:
    """The customer's renewal opportunity with an outcome that the survey follows."""
    if renewal_id is None:
        return None
    renewal = db.session.scalar(
        sa.select(RenewalOpportunity).where(
            RenewalOpportunity.id == renewal_id, RenewalOpportunity.customer_id == customer.id
        )
    )
    if renewal is None:
        _refuse("renewal", _("Not a renewal of this customer."))
    if renewal.outcome is None:
        _refuse("renewal", _("Ask about a renewal once its outcome is recorded."))
    return renewal


def survey_customer(actor, customer_id) -> Customer:
    """The customer a survey goes to: visible (else 404) and the actor's own (else 403)."""
    customer = get_visible(actor, Customer, customer_id)
    if not can_send(actor, customer):
        raise Forbidden(_("Only the customer's officer sends a satisfaction survey."))
    return customer


def send(actor, values: dict, *, now: datetime | None = None) -> tuple[Survey, str]:
    """Create a survey of one of the acting officer's customers; (survey, plain token).

    `values`: customer (id), reason, and optionally complaint, follow_up, renewal (ids).
    """
    customer = survey_customer(actor, values.get("customer"))
    reason = values.get("reason")
    if reason not in {r.value for r in Reason}:
        _refuse("reason", _("Choose why the survey is sent."))
    complaint = _complaint_of(customer, values.get("complaint"))
    followup = _follow_up_of(customer, values.get("follow_up"))
    renewal = _renewal_of(customer, values.get("renewal"))
    now = now or utcnow()
    plain = secrets.token_urlsafe(32)
    survey = Survey(
        customer_id=customer.id,
        officer_id=customer.officer_id,
        branch_id=customer.branch_id,
        reason=reason,
        complaint_id=complaint.id if complaint else None,
        follow_up_id=followup.id if followup else None,
        renewal_id=renewal.id if renewal else None,
        token_hash=token_hash(plain),
        expires_at=now + timedelta(days=ttl_days()),
        created_by_id=actor.id,
        created_at=now,
    )
    with unit_of_work():
        db.session.add(survey)
        db.session.flush()
        audit.record(actor, survey, "create", None, audit.snapshot(survey))
    return survey, plain


# --- Answering -------------------------------------------------------------------------------


def find(plain: str) -> Survey | None:
    """The survey of a token (None for anything that is not one of ours)."""
    if not isinstance(plain, str) or not TOKEN_RE.match(plain):
        return None
    return db.session.scalar(sa.select(Survey).where(Survey.token_hash == token_hash(plain)))


def state_of(survey: Survey | None, now: datetime | None = None) -> str:
    """waiting, answered, expired, or missing (no such token)."""
    if survey is None:
        return MISSING
    return survey.state(now or utcnow())


def answer(plain: str, values: dict, *, now: datetime | None = None) -> str:
    """Record the answer of the token's survey once: `recorded` when this call recorded it,
    else the state that refused it (`answered` before, `expired`, `missing`)."""
    now = now or utcnow()
    missing = find(plain) is None  # a wrong token: nothing to lock, nothing to write
    end_reads()  # the UPDATE starts its own transaction (no read lock held before it)
    if missing:
        return MISSING
    comment = values.get("comment") or None
    with unit_of_work():
        done = db.session.execute(
            sa.update(Survey)
            .where(
                Survey.token_hash == token_hash(plain),
                Survey.answered_at.is_(None),
                Survey.expires_at > now,
            )
            .values(
                answered_at=now,
                score=values["score"],
                recommend=values.get("recommend"),
                comment=comment,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            refused = True
        else:
            refused = False
            survey = db.session.scalar(
                sa.select(Survey)
                .where(Survey.token_hash == token_hash(plain))
                .execution_options(populate_existing=True)
            )
            _after_answer(survey)
    if refused:
        return state_of(find(plain), now)
    return RECORDED


def _after_answer(survey: Survey) -> None:
    """Plan the low score's follow-up; audit the answer as a system event."""
    if survey.score <= low_score():
        followup = _low_score_follow_up(survey)
        survey.low_score_follow_up_id = followup.id
        db.session.flush()
    after = {
        "answered_at": survey.answered_at.isoformat(),
        "score": survey.score,
        "recommend": survey.recommend,
        "commented": bool(survey.comment),
        "low_score_follow_up_id": survey.low_score_follow_up_id,
    }
    audit.record(None, survey, "answer", None, after)


def _low_score_follow_up(survey: Survey) -> FollowUp:
    """A call planned the next working day by the customer's officer (the survey's officer when
    the customer has none now)."""
    customer = survey.customer
    complaint = survey.reason == Reason.COMPLAINT_RESOLVED
    purpose = Purpose.COMPLAINT if complaint else Purpose.RELATIONSHIP
    followup = FollowUp(
        customer_id=customer.id,
        owner_id=customer.officer_id or survey.officer_id,
        channel=Channel.CALL,
        purpose=purpose,
        planned_date=add_working_days(bank_today(), 1),
        status=FollowUpStatus.PLANNED,
        notes="",
        note_code=texts.LOW_SCORE,
        note_params=params_of(reason=survey.reason, score=survey.score),
    )
    db.session.add(followup)
    db.session.flush()
    audit.record(None, followup, "create", None, audit.snapshot(followup))
    return followup
