"""A satisfaction survey sent to a customer, answered once through a secret link.

Only the SHA-256 hash of the link's token is stored (`token_hash`, as the calendar feeds'): the
plain token is in the URL handed back once to the officer who sends it. The survey is booked to
the customer's officer and branch at the time it is sent (`officer_id`, `branch_id`), as a
position is booked on its listing date: the scores stay with the officer who served the customer,
whatever reassignment follows.

What it follows is linked when known: the resolved complaint, the visit follow-up, or the renewal
opportunity (`renewal_id`, without a foreign key: the renewals feature owns that table). A low
score's follow-up is linked by `low_score_follow_up_id` (the follow-up table stays as it is).
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import is_officer, scope_rule
from aoapp.common.dates import utcnow
from aoapp.extensions import db

COMMENT_MAX = 1000  # characters of the customer's comment


class Reason(StrEnum):
    """Why the survey was sent: what it asks the customer about."""

    COMPLAINT_RESOLVED = "complaint_resolved"
    VISIT = "visit"
    RENEWAL = "renewal"


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class Survey(db.Model):
    """One survey link sent to a customer, and its answer once given."""

    __tablename__ = "surveys"
    __table_args__ = (
        sa.CheckConstraint(_in("reason", Reason), name="reason"),
        sa.CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score"),
        sa.CheckConstraint(
            "recommend IS NULL OR (recommend >= 0 AND recommend <= 10)", name="recommend"
        ),
        sa.CheckConstraint("(answered_at IS NULL) = (score IS NULL)", name="answered"),
        sa.Index("ix_surveys_officer_answered", "officer_id", "answered_at"),
        sa.Index("ix_surveys_branch_answered", "branch_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id"))
    reason: Mapped[str] = mapped_column(sa.String(20))
    complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaints.id"))
    follow_up_id: Mapped[int | None] = mapped_column(sa.ForeignKey("follow_ups.id"))
    renewal_id: Mapped[int | None]  # renewal_opportunities.id (no foreign key: see above)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    score: Mapped[int | None]
    recommend: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    low_score_follow_up_id: Mapped[int | None] = mapped_column(sa.ForeignKey("follow_ups.id"))

    customer = relationship("Customer")
    officer = relationship("User", foreign_keys=[officer_id])
    branch = relationship("Branch")
    created_by = relationship("User", foreign_keys=[created_by_id])
    complaint = relationship("Complaint")
    follow_up = relationship("FollowUp", foreign_keys=[follow_up_id])
    low_score_follow_up = relationship("FollowUp", foreign_keys=[low_score_follow_up_id])

    def state(self, now: datetime) -> str:
        """`answered`, `expired` or `waiting` at `now` (UTC)."""
        if self.answered_at is not None:
            return "answered"
        return "expired" if self.expires_at <= now else "waiting"


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(Survey)
def _surveys(user) -> sa.ColumnElement[bool]:
    """The officer a survey is booked to sees it (their scores); the supervisors of its branch."""
    if is_officer(user):
        return Survey.officer_id == user.id
    return Survey.branch_id.in_(user.supervised_branch_ids)
