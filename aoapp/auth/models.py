"""Branches, users (officer, supervisor, admin) and personal API tokens."""

from datetime import datetime, time
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.extensions import db


class Role(StrEnum):
    """What a user is allowed to see and change."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


supervised_branches = sa.Table(
    "supervised_branches",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
)


class Branch(db.Model):
    """A bank office; officers and customers belong to one."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Its local time zone (Asia/Jakarta WIB, Asia/Makassar WITA, Asia/Jayapura WIT): the
    # collection window of its customers is local time. None: the bank's BANK_TIMEZONE.
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Branch {self.code}>"


class User(UserMixin, db.Model):
    """A person who logs in: an account officer, a supervisor or an admin."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("role IN ('officer', 'supervisor', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[str] = mapped_column(sa.String(20))
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    officer_code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    first_failed_login_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Part of the id the session cookie carries: raising it (logout, password change) makes
    # every cookie issued before dead, though signed-cookie sessions keep nothing on the server.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    locale: Mapped[str | None] = mapped_column(sa.String(5))  # None: the bank's DEFAULT_LOCALE
    # Where the daily digest is mailed (none: shown in the application only), and when, in the
    # local time of the user's branch (None: the bank's DIGEST_DEFAULT_TIME).
    email: Mapped[str | None] = mapped_column(sa.String(254))
    digest_time: Mapped[time | None] = mapped_column(sa.Time)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[Branch | None] = relationship(foreign_keys=[branch_id])
    supervised: Mapped[list[Branch]] = relationship(secondary=supervised_branches)

    def get_id(self) -> str:
        """The session's user id: the id and the session epoch (`12.3`)."""
        return f"{self.id}.{self.session_epoch or 0}"

    def end_sessions(self) -> None:
        """Invalidate every session cookie issued so far (the caller commits)."""
        self.session_epoch = (self.session_epoch or 0) + 1

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in or use tokens."""
        return self.active

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def supervised_branch_ids(self) -> list[int]:
        return [branch.id for branch in self.supervised]

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A personal bearer token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
