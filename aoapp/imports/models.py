"""The record of each listing import: who, when, which file, conventions, counts, status."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.common.system_text import params_of, render, render_said
from aoapp.extensions import db
from aoapp.imports import texts  # noqa: F401  (registers the system texts)


class ImportStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    REJECTED = "rejected"  # validation errors: nothing changed
    FAILED = "failed"  # crashed: nothing changed


class PositionImport(db.Model):
    """One run of a listing import (the loan listing, or another registered kind)."""

    __tablename__ = "position_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(
        sa.String(20), default="loans", server_default="loans", index=True
    )
    source: Mapped[str] = mapped_column(sa.String(10), default="cli")  # cli | web | api | demo
    file_name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    as_of: Mapped[date] = mapped_column(index=True)
    partial: Mapped[bool] = mapped_column(default=False)
    decimal: Mapped[str | None] = mapped_column(sa.String(10))
    date_format: Mapped[str | None] = mapped_column(sa.String(10))
    encoding: Mapped[str | None] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(10), default=ImportStatus.RUNNING)
    stage: Mapped[str] = mapped_column(sa.String(40), default="queued")
    progress: Mapped[int] = mapped_column(default=0)  # percent
    rows: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors_file: Mapped[str | None] = mapped_column(sa.String(255))
    # Why it was refused or failed: a system text (imports/texts.py), rendered in the reader's
    # language; `message` keeps what older versions wrote as a sentence.
    message: Mapped[str | None] = mapped_column(sa.Text)
    message_code: Mapped[str | None] = mapped_column(sa.String(40))
    message_params: Mapped[dict | None] = mapped_column(sa.JSON)
    summary: Mapped[dict | None] = mapped_column(sa.JSON)  # counts; notes as system texts
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The running import's last sign of life (imports/heartbeat.py); None: its start stands for it.
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=utcnow)

    user = relationship("User")

    @property
    def shown_message(self) -> str | None:
        """Why it was refused or failed, in the current language (None when it says nothing)."""
        return render(self.message_code, self.message_params) or self.message or None

    @property
    def shown_notes(self) -> list[str]:
        """The notes on how the file was read, in the current language."""
        return [render_said(note) for note in (self.summary or {}).get("notes", [])]

    def set_message(self, code: str, **params) -> None:
        """Record why it was refused or failed (a code and its parameters, not a sentence)."""
        self.message, self.message_code, self.message_params = None, code, params_of(**params)
