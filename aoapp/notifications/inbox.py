"""A user's notifications: the list, the unread count under the bell, marking them read.

Each user sees their own only, whatever their role (another's is NotFound). Marking read is the
reader's own state, like the language setting: it is not audited.
"""

import sqlalchemy as sa

from aoapp.common.dates import utcnow
from aoapp.common.pagination import Page, paginate
from aoapp.common.transaction import unit_of_work
from aoapp.errors import NotFound
from aoapp.extensions import db
from aoapp.notifications import texts  # noqa: F401  (the texts notifications render)
from aoapp.notifications.models import Notification


def _mine(user) -> sa.Select:
    return sa.select(Notification).where(Notification.user_id == user.id)


def list_notifications(user, page: int, per_page: int, unread_only: bool = False) -> Page:
    """One page of the user's notifications, newest first."""
    stmt = _mine(user)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return paginate(stmt.order_by(Notification.id.desc()), page, per_page)


def unread_count(user) -> int:
    """How many of the user's notifications are unread (the bell's number)."""
    stmt = sa.select(sa.func.count()).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(stmt) or 0


def get_notification(user, notification_id: int) -> Notification:
    """One of the user's notifications, else NotFound."""
    found = db.session.scalar(_mine(user).where(Notification.id == notification_id))
    if found is None:
        raise NotFound()
    return found


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again: no change)."""
    notification = get_notification(user, notification_id)
    if notification.read_at is None:
        with unit_of_work():
            notification.read_at = utcnow()
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of the user read; how many were."""
    with unit_of_work():
        done = db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return done.rowcount
