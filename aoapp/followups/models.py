"""Follow-ups (a planned or done contact with a prospect or customer) and promises to pay."""

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import in_ids, is_officer, officer_ids_of_branches, scope_rule
from aoapp.common.dates import utcnow
from aoapp.common.system_text import params_of, render
from aoapp.customers.models import customers_in_scope, follows_its_customer
from aoapp.extensions import db
from aoapp.followups import texts  # noqa: F401  (registers the system texts)
from aoapp.prospects.hooks import next_contact_source
from aoapp.prospects.models import Prospect


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    VISIT = "visit"
    EMAIL = "email"
    MEETING = "meeting"


class Purpose(StrEnum):
    RELATIONSHIP = "relationship"
    COLLECTION = "collection"
    PRODUCT_OFFER = "product_offer"
    COMPLAINT = "complaint"
    MONITORING = "monitoring"
    DOCUMENT_REQUEST = "document_request"
    RETENTION = "retention"  # keeping a depositor's funds: a maturing deposito, a withdrawal


class FollowUpStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Outcome(StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    PROMISED_TO_PAY = "promised_to_pay"
    PAID = "paid"
    REFUSED = "refused"
    RESCHEDULED = "rescheduled"
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"


class SuggestionRule(StrEnum):
    """Why the system suggested a follow-up (followups/suggestions.py, followups/retention.py)."""

    DPD_1_30 = "dpd_1_30"  # call within 2 working days
    DPD_31_90 = "dpd_31_90"  # visit within 5 working days
    DPD_OVER_90 = "dpd_over_90"  # visit within 2 working days, supervisor notified
    BROKEN_PTP = "broken_ptp"  # a promise to pay was broken
    DEPOSIT_MATURING = "deposit_maturing"  # a non-ARO deposito matures within days
    LARGE_WITHDRAWAL = "large_withdrawal"  # a deposit balance fell a lot month on month


class PromiseState(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class FollowUp(db.Model):
    """A planned or done contact with a prospect or a customer (optionally about one facility).

    Suggested follow-ups carry the rule that created them and a `suggestion_key` (the listing
    date, or the broken promise) unique per facility, or per deposit account (a retention
    follow-up: the deposito's maturity, the listing of a withdrawal), so re-running an import
    suggests nothing twice. `escalated` puts a suggestion on the supervisor's escalation list.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (
        sa.CheckConstraint(_in("channel", Channel), name="channel"),
        sa.CheckConstraint(_in("purpose", Purpose), name="purpose"),
        sa.CheckConstraint(_in("status", FollowUpStatus), name="status"),
        sa.CheckConstraint(f"outcome IS NULL OR {_in('outcome', Outcome)}", name="outcome"),
        sa.CheckConstraint(
            "(prospect_id IS NULL) <> (customer_id IS NULL)", name="prospect_or_customer"
        ),
        sa.CheckConstraint("facility_id IS NULL OR customer_id IS NOT NULL", name="facility"),
        sa.CheckConstraint(
            "deposit_account_id IS NULL OR customer_id IS NOT NULL", name="deposit_account"
        ),
        sa.UniqueConstraint("facility_id", "suggestion_key", name="suggestion"),
        sa.UniqueConstraint("deposit_account_id", "suggestion_key"),
        sa.Index("ix_follow_ups_owner_status_planned", "owner_id", "status", "planned_date"),
        sa.Index("ix_follow_ups_facility_purpose_status", "facility_id", "purpose", "status"),
        sa.Index("ix_follow_ups_done_at", "done_at"),  # the visits logged in a window
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(sa.ForeignKey("prospects.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    facility_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilities.id"))
    deposit_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deposit_accounts.id"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(sa.String(10))
    purpose: Mapped[str] = mapped_column(sa.String(20))
    planned_date: Mapped[date]
    planned_time: Mapped[time | None]
    status: Mapped[str] = mapped_column(sa.String(10), default=FollowUpStatus.PLANNED)
    done_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Why it was last rescheduled or cancelled (required for suggestions).
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # What the system wrote (followups/texts.py), rendered in the reader's language: the note of
    # a suggestion (before the officer's own `notes`), and the reason of a change it made.
    note_code: Mapped[str | None] = mapped_column(sa.String(40))
    note_params: Mapped[dict | None] = mapped_column(sa.JSON)
    reason_code: Mapped[str | None] = mapped_column(sa.String(40))
    reason_params: Mapped[dict | None] = mapped_column(sa.JSON)
    suggestion: Mapped[str | None] = mapped_column(sa.String(20))  # SuggestionRule
    suggestion_key: Mapped[str | None] = mapped_column(sa.String(40))
    suggested_dpd: Mapped[int | None]
    escalated: Mapped[bool] = mapped_column(default=False)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("follow_ups.id"))
    # A visit's outcome: where the officer's phone was when it was logged, with their consent
    # (metres of accuracy; when the position was read). aoapp/followups/visit_evidence.py
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy: Mapped[float | None]
    located_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    prospect = relationship("Prospect")
    customer = relationship("Customer")
    facility = relationship("Facility")
    deposit_account = relationship("DepositAccount")
    owner = relationship("User", foreign_keys=[owner_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    previous = relationship("FollowUp", remote_side=[id])
    promise: Mapped["PromiseToPay | None"] = relationship(back_populates="follow_up")

    __mapper_args__ = {"version_id_col": version}

    @property
    def system_note(self) -> str:
        """The system's note, in the current language ('' when it wrote none)."""
        return render(self.note_code, self.note_params)

    @property
    def shown_notes(self) -> str:
        """The notes as a reader sees them: the system's note, then the officer's."""
        return "\n".join(text for text in (self.system_note, self.notes) if text)

    @property
    def shown_reason(self) -> str | None:
        """Why it was last rescheduled or cancelled: the system's reason, else the typed one."""
        return render(self.reason_code, self.reason_params) or self.reason

    def set_reason(self, code: str, **params) -> None:
        """Record a reason the system gives (a code and its parameters, not a sentence)."""
        self.reason, self.reason_code, self.reason_params = None, code, params_of(**params)

    @property
    def party(self):
        """The prospect or customer this follow-up is with."""
        return self.customer or self.prospect


class PromiseToPay(db.Model):
    """A delinquent borrower's promise, recorded on a collection follow-up.

    Its state (pending, kept, broken) is not stored: it is derived from the positions imported
    afterwards (followups/promises.py), so a late listing can still show a promise kept.
    """

    __tablename__ = "promises_to_pay"
    __table_args__ = (
        sa.CheckConstraint("promised_amount > 0", name="promised_amount"),
        sa.CheckConstraint("promised_date >= promised_on", name="promised_date"),
        sa.CheckConstraint("deadline >= promised_date", name="deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(sa.ForeignKey("follow_ups.id"), unique=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    promised_amount: Mapped[Decimal]
    promised_date: Mapped[date] = mapped_column(index=True)
    promised_on: Mapped[date]  # the day the promise was made
    # The last day a listing can show the payment: promised_date + PTP_GRACE_DAYS, frozen when
    # the promise is recorded so a later policy change does not rewrite past promises.
    deadline: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    follow_up: Mapped[FollowUp] = relationship(back_populates="promise")
    facility = relationship("Facility")
    customer = relationship("Customer")
    officer = relationship("User")


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(FollowUp)
def _followups(user) -> sa.ColumnElement[bool]:
    """A customer's follow-ups follow the customer's current scope, done ones included (its
    former officer no longer sees them); a prospect's are seen by their owner and the owner's
    supervisors."""
    if is_officer(user):
        owners = FollowUp.owner_id == user.id
    else:
        owners = in_ids(FollowUp.owner_id, officer_ids_of_branches(user.supervised_branch_ids))
    return sa.or_(
        sa.and_(FollowUp.customer_id.is_(None), owners),
        in_ids(FollowUp.customer_id, customers_in_scope(user)),
    )


follows_its_customer(PromiseToPay)


@next_contact_source
def _next_contact_of_prospect() -> sa.ScalarSelect:
    """A prospect's next contact: the day of its earliest follow-up still planned."""
    return (
        sa.select(sa.func.min(FollowUp.planned_date))
        .where(FollowUp.prospect_id == Prospect.id, FollowUp.status == FollowUpStatus.PLANNED)
        .correlate_except(FollowUp)
        .scalar_subquery()
    )
