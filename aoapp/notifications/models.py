"""In-app notifications, and the record of each user's daily digest per bank day.

A notification's title and body are system texts (aoapp.common.system_text): a code and its
parameters, rendered in the reader's language when shown, never a stored sentence.
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.common.system_text import render
from aoapp.extensions import db


class NotificationKind(StrEnum):
    """What a notification is about."""

    DIGEST = "digest"


class Notification(db.Model):
    """One message to one user, shown under the bell until read."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    title_code: Mapped[str] = mapped_column(sa.String(40))
    title_params: Mapped[dict | None] = mapped_column(sa.JSON)
    body_code: Mapped[str | None] = mapped_column(sa.String(40))
    body_params: Mapped[dict | None] = mapped_column(sa.JSON)
    endpoint: Mapped[str | None] = mapped_column(sa.String(80))  # the page it leads to
    bank_day: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user = relationship("User")

    @property
    def title(self) -> str:
        """The title in the reader's language."""
        return render(self.title_code, self.title_params)

    @property
    def body(self) -> str:
        """The body in the reader's language."""
        return render(self.body_code, self.body_params)

    @property
    def unread(self) -> bool:
        return self.read_at is None


class SendStatus(StrEnum):
    """Where a user's digest of one bank day stands."""

    SENDING = "sending"  # claimed by a run that is building or mailing it
    SENT = "sent"  # mailed (and shown in the application)
    IN_APP = "in_app"  # shown in the application only: no e-mail address, or mail is off
    SKIPPED_EMPTY = "skipped_empty"  # nothing to report: nothing sent
    FAILED = "failed"  # the mail server refused or was away: the next run tries again


FINAL = (SendStatus.SENT, SendStatus.IN_APP, SendStatus.SKIPPED_EMPTY)


class DigestSend(db.Model):
    """One user's digest of one bank day: one row at most (the unique key), so two runs at once
    send one e-mail: a run sends only the digest it claimed."""

    __tablename__ = "digest_sends"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "bank_day"),
        sa.CheckConstraint(
            "status IN ('sending', 'sent', 'in_app', 'skipped_empty', 'failed')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    bank_day: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(16))
    attempts: Mapped[int] = mapped_column(default=0)  # e-mail attempts (claims) so far
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User")
