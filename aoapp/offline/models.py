"""Idempotency keys: the first answer to a request sent with a key, replayed to its retries."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from aoapp.common.dates import utcnow
from aoapp.extensions import db

KEY_MAX = 64
SCOPE_MAX = 80
LOCATION_MAX = 500


class IdempotencyKey(db.Model):
    """One key of one user: what it was for (`scope`: the action and its record) and the answer
    the work gave (status, JSON body of the API or the page a form went on to).

    Written in the same transaction as the work, so a key exists exactly when the work was done.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(KEY_MAX))
    scope: Mapped[str] = mapped_column(sa.String(SCOPE_MAX))
    status: Mapped[int | None]
    body: Mapped[str | None] = mapped_column(sa.Text)
    location: Mapped[str | None] = mapped_column(sa.String(LOCATION_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
