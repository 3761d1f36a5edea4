"""Notifications API: the caller's own notifications, and marking them read."""

from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.views import acting_user
from aoapp.notifications import inbox
from aoapp.notifications.schemas import (
    NotificationArgsSchema,
    NotificationPageSchema,
    NotificationSchema,
    UnreadSchema,
)

notifications_blp = Blueprint(
    "notifications_api", __name__, url_prefix="/notifications", description="Notifications"
)


@notifications_blp.route("")
@notifications_blp.arguments(NotificationArgsSchema, location="query", unknown=RAISE)
@notifications_blp.response(200, NotificationPageSchema)
@login_required
def list_notifications(args):
    """The caller's notifications, newest first, with the number unread (`unread=true`: only
    those); titles and bodies in the language of Accept-Language."""
    user = acting_user()
    page = inbox.list_notifications(user, args["page"], args["per_page"], args["unread"])
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "unread": inbox.unread_count(user),
    }


@notifications_blp.route("/<id:notification_id>/read", methods=["POST"])
@notifications_blp.response(200, NotificationSchema)
@login_required
def mark_read(notification_id):
    """Mark one of the caller's notifications read."""
    return inbox.mark_read(acting_user(), notification_id)


@notifications_blp.route("/read-all", methods=["POST"])
@notifications_blp.response(200, UnreadSchema)
@login_required
def mark_all_read():
    """Mark all the caller's notifications read."""
    inbox.mark_all_read(acting_user())
    return {"unread": 0}
