"""HTML pages: the officer's agenda, the supervisor's team agenda, the calendar feed."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.agenda import feeds, messages, services
from aoapp.agenda import team as teams
from aoapp.auth.forms import ConfirmForm
from aoapp.auth.models import Role
from aoapp.renewals.reads import agenda_renewals

bp = Blueprint("agenda", __name__)


def _bank_name() -> str:
    return current_app.config.get("BANK_NAME", "Bank")


@bp.get("/agenda/")
@login_required
def home():
    """The officer's day: overdue, today and the next 7 days, with one-tap actions."""
    if current_user.role != Role.OFFICER:
        return redirect(url_for("agenda.team"))
    agenda = services.agenda_for(current_user)
    messages.add_links(agenda, current_user.display_name, _bank_name())
    renewals = agenda_renewals(current_user, agenda.today)
    return render_template("agenda/home.html", agenda=agenda, renewals=renewals)


@bp.get("/agenda/team")
@login_required
def team():
    """The supervisor's team agenda (an admin's: the bank, or ?branch=<id>)."""
    if current_user.role == Role.OFFICER:
        return redirect(url_for("agenda.home"))
    branch_id = request.args.get("branch", type=int)
    agenda = teams.team_agenda(current_user, branch_id)
    all_branches = teams.team_branches(current_user)[0]
    return render_template("agenda/team.html", agenda=agenda, all_branches=all_branches)


def _render_calendar(new_url: str | None = None):
    feeds.require_feed_owner(current_user)
    return render_template(
        "agenda/calendar.html",
        feed=feeds.active_feed(current_user),
        new_url=new_url,
        webcal_url="webcal://" + new_url.split("://", 1)[1] if new_url else None,
        form=ConfirmForm(),
    )


@bp.get("/agenda/calendar")
@login_required
def calendar():
    """The officer's calendar feed: its status, and buttons to create or revoke it."""
    return _render_calendar()


@bp.post("/agenda/calendar")
@login_required
def create_feed():
    """Create a calendar feed (revoking the old one) and show its secret URL once."""
    feeds.require_feed_owner(current_user)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("agenda.calendar"))
    _feed, plain = feeds.create_feed(current_user)
    return _render_calendar(url_for("agenda.calendar_feed", token=plain, _external=True))


@bp.post("/agenda/calendar/revoke")
@login_required
def revoke_feed():
    """Revoke the calendar feed: calendar apps using its URL get nothing more."""
    feeds.require_feed_owner(current_user)
    form = ConfirmForm()
    if form.validate_on_submit() and feeds.revoke_feed(current_user):
        flash(
            _("Calendar feed revoked. Calendar apps using it no longer receive updates."), "success"
        )
    return redirect(url_for("agenda.calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The officer's planned follow-ups as iCalendar; the secret token is the only credential."""
    user = feeds.feed_owner(token)
    if user is None:
        abort(404)
    host = urlsplit(request.host_url).hostname or "aoapp"
    body = feeds.build_calendar(
        user, host, lambda id_: url_for("followups.detail", followup_id=id_, _external=True)
    )
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="follow-ups.ics"'
    return response
