"""Surveys API: send one (its public URL is in the answer, this once), and read a month's
satisfaction in a scope (the same figures as the dashboards and the portfolio workbook)."""

from flask import url_for
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.views import acting_user
from aoapp.surveys import reads, services
from aoapp.surveys.schemas import (
    SatisfactionArgsSchema,
    SatisfactionSchema,
    SurveyInputSchema,
    SurveySentSchema,
)

surveys_blp = Blueprint(
    "surveys_api", __name__, url_prefix="/surveys", description="Satisfaction surveys"
)


def sent(survey, plain: str) -> dict:
    """The answer to a survey sent: its id, public URL and expiry."""
    url = url_for("surveys.public", token=plain, _external=True)
    return {"id": survey.id, "url": url, "expires_at": survey.expires_at}


@surveys_blp.route("")
class Surveys(MethodView):
    """Surveys of the caller's customers, and their figures."""

    decorators = [login_required]

    @surveys_blp.arguments(SatisfactionArgsSchema, location="query", unknown=RAISE)
    @surveys_blp.response(200, SatisfactionSchema)
    @surveys_blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """A month's satisfaction (`month` YYYY-MM, default this month) of the caller's scope,
        or of an `officer` or `branch` within it: CSAT, NPS, average score and response rate,
        per officer, the 12 months' trend, and the surveys sent or answered in the month."""
        return reads.month_satisfaction(
            acting_user(), args["month"], args["officer"], args["branch"]
        )

    @surveys_blp.arguments(SurveyInputSchema)
    @surveys_blp.response(201, SurveySentSchema)
    @surveys_blp.alt_response(404, response="NOT_FOUND")
    def post(self, data):
        """Send a survey to one of the caller's customers (the customer's officer only).

        The `url` is the public survey page: send it to the customer (it is shown only now;
        only its hash is kept). It expires at `expires_at` and takes one answer.
        """
        survey, plain = services.send(acting_user(), data)
        return sent(survey, plain)
