"""Agenda API: the current user's agenda, and the supervisor's team agenda."""

from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.agenda import messages, services, team
from aoapp.agenda.schemas import AgendaSchema, TeamAgendaSchema, TeamArgsSchema

agenda_blp = Blueprint("agenda_api", __name__, url_prefix="/agenda", description="Agenda")


@agenda_blp.route("")
class MyAgenda(MethodView):
    """The caller's planned follow-ups and open complaints."""

    decorators = [login_required]

    @agenda_blp.response(200, AgendaSchema)
    def get(self):
        """Overdue, today and next 7 days (the bank's today), each sorted by priority."""
        agenda = services.agenda_for(current_user)
        bank = current_app.config.get("BANK_NAME", "Bank")
        return messages.add_links(agenda, current_user.display_name, bank)


@agenda_blp.route("/team")
class TeamAgenda(MethodView):
    """A supervisor's (or admin's) team agenda; officers are refused (403)."""

    decorators = [login_required]

    @agenda_blp.arguments(TeamArgsSchema, location="query", unknown=RAISE)
    @agenda_blp.response(200, TeamAgendaSchema)
    @agenda_blp.alt_response(403, response="FORBIDDEN")
    @agenda_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Counts per officer, escalations waiting, broken promises, overdue complaints."""
        return team.team_agenda(current_user, args.get("branch"))
