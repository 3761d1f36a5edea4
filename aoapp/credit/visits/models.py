"""Photos of a monitoring visit or of a visit follow-up's outcome (the files: common/media.py)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.extensions import db


class VisitPhoto(db.Model):
    """One stored photo (JPEG, metadata stripped) and its thumbnail, by content key.

    It belongs to a monitoring visit or to a follow-up (a visit's outcome), never both. The same
    photo twice on one record is one row (unique key per record), so a retried upload returns
    the photo already stored. Its location is kept only with the officer's consent. Seen by
    whoever may see its visit or follow-up; no scope rule of its own (never listed alone).
    """

    __tablename__ = "visit_photos"
    __table_args__ = (
        sa.CheckConstraint("(visit_id IS NULL) <> (follow_up_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("width > 0 AND height > 0 AND size_bytes > 0", name="size"),
        sa.UniqueConstraint("visit_id", "storage_key"),
        sa.UniqueConstraint("follow_up_id", "storage_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("monitoring_visits.id", ondelete="CASCADE")
    )
    follow_up_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("follow_ups.id", ondelete="CASCADE")
    )
    storage_key: Mapped[str] = mapped_column(sa.String(64), index=True)  # SHA-256 of the file
    thumb_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    content_type: Mapped[str] = mapped_column(sa.String(40))
    taken_at: Mapped[datetime | None]  # from the photo's EXIF, or as the client said
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy: Mapped[float | None]
    located_at: Mapped[datetime | None]
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    visit = relationship("MonitoringVisit", back_populates="photos")
    uploaded_by = relationship("User")

    @property
    def located(self) -> bool:
        """True when the photo carries a location."""
        return self.latitude is not None and self.longitude is not None
