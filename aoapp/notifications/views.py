"""The notifications page, marking read (forms with CSRF), and the bell's unread count on every
page."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import BuildError

from aoapp.auth.forms import ConfirmForm
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.schemas import MAX_PAGE
from aoapp.common.views import acting_user
from aoapp.notifications import inbox

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def bell() -> dict:
    """The signed-in user's unread notifications, for the bell in the header."""
    if not current_user or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    try:
        return {"unread_notifications": inbox.unread_count(current_user)}
    except SQLAlchemyError:  # an error page while the database is away still renders
        return {"unread_notifications": 0}


def link_of(notification) -> str | None:
    """The page a notification leads to."""
    try:
        return url_for(notification.endpoint) if notification.endpoint else None
    except BuildError:  # a page that no longer exists
        return None


@bp.get("/")
@login_required
def index():
    """The user's notifications, newest first."""
    number = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)
    page = inbox.list_notifications(acting_user(), number, HTML_PER_PAGE)
    return render_template(
        "notifications/index.html", page=page, link_of=link_of, confirm_form=ConfirmForm()
    )


@bp.post("/<id:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one notification read; `open` goes on to its page."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("notifications.index"))
    notification = inbox.mark_read(acting_user(), notification_id)
    target = link_of(notification) if request.form.get("open") else None
    return redirect(target or url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def read_all():
    """Mark every notification read."""
    if ConfirmForm().validate_on_submit():
        inbox.mark_all_read(acting_user())
    return redirect(url_for("notifications.index"))
