"""Validation rules and API shapes of surveys: sending one, answering one, the figures."""

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate

from aoapp.common.dates import month_bounds as calendar_month
from aoapp.common.schemas import BaseSchema, Id, Text, choice
from aoapp.surveys.figures import OfficerSatisfaction, Satisfaction
from aoapp.surveys.models import COMMENT_MAX, Reason, Survey

INTEGER = {"invalid": _l("Not a valid number.")}
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class SendSchema(BaseSchema):
    """A survey to send: why, and optionally what it follows (the customer comes from the page)."""

    reason = choice(Reason, required=True)
    complaint = Id(load_default=None, allow_none=True, error_messages=INTEGER)
    follow_up = Id(load_default=None, allow_none=True, error_messages=INTEGER)
    renewal = Id(
        load_default=None,
        allow_none=True,
        error_messages=INTEGER,
        metadata={"description": "The renewal opportunity the survey follows"},
    )


class SurveyInputSchema(SendSchema):
    """A survey of one of the caller's customers: `reason` is complaint_resolved, visit or
    renewal; `complaint` (resolved), `follow_up` (done) and `renewal` link what it follows."""

    customer = Id(required=True, error_messages=INTEGER)


class SurveySentSchema(BaseSchema):
    """The survey made: its public URL (shown this once) and when it expires."""

    id = fields.Integer()
    url = fields.String()
    expires_at = fields.DateTime()


class AnswerSchema(BaseSchema):
    """The customer's answer on the public page: a score 1–5, optionally 0–10 and a comment."""

    score = fields.Integer(
        required=True,
        strict=False,
        validate=validate.Range(min=1, max=5, error=_l("Choose a score from 1 to 5.")),
        error_messages={
            "required": _l("Choose a score from 1 to 5."),
            "invalid": _l("Choose a score from 1 to 5."),
        },
    )
    recommend = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=10, error=_l("Choose a number from 0 to 10.")),
        error_messages={"invalid": _l("Choose a number from 0 to 10.")},
    )
    comment = Text(load_default=None, allow_none=True, max_length=COMMENT_MAX)

    @pre_load
    def _blanks(self, data, **_kwargs):
        """A field left blank on the form is not given."""
        data = dict(data)
        for key, value in list(data.items()):
            if isinstance(value, str) and not value.strip():
                if key == "score":
                    del data[key]  # "choose a score"
                else:
                    data[key] = None
        return data


def month_bounds(text: str) -> tuple[date, date]:
    """The first and last day of a month written YYYY-MM."""
    match = MONTH_RE.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2999:
        raise ValidationError(_("Use a month such as 2026-10."))
    return calendar_month(date(int(match.group(1)), int(match.group(2)), 1))


class SatisfactionArgsSchema(BaseSchema):
    """Which satisfaction: a month (default: the current one), an officer, a branch."""

    month = fields.String(load_default=None, allow_none=True, metadata={"description": "YYYY-MM"})
    officer = Id(load_default=None, allow_none=True, metadata={"description": "User id"})
    branch = Id(load_default=None, allow_none=True, metadata={"description": "Branch id"})

    @pre_load
    def _check_month(self, data, **_kwargs):
        if data.get("month"):
            try:
                month_bounds(data["month"])
            except ValidationError as error:
                raise ValidationError({"month": error.messages}) from None
        return data


class SatisfactionFiguresSchema(BaseSchema):
    """CSAT (share 0–1, 4 decimals), NPS (points −100 to 100), average score, response rate;
    figures are strings, null when there is nothing to measure."""

    class Meta:
        model = Satisfaction

    sent = fields.Integer()
    responded = fields.Integer()
    answers = fields.Integer()
    satisfied = fields.Integer()
    recommend_answers = fields.Integer()
    promoters = fields.Integer()
    detractors = fields.Integer()
    csat = fields.Decimal(as_string=True, allow_none=True)
    nps = fields.Decimal(as_string=True, allow_none=True)
    average_score = fields.Decimal(as_string=True, allow_none=True)
    response_rate = fields.Decimal(as_string=True, allow_none=True)


class OfficerSatisfactionSchema(BaseSchema):
    """One officer's figures."""

    class Meta:
        model = OfficerSatisfaction

    officer_id = fields.Integer()
    name = fields.String()
    code = fields.String(allow_none=True)
    figures = fields.Nested(SatisfactionFiguresSchema)


class SatisfactionPointSchema(BaseSchema):
    """One month's figures (the trend)."""

    month = fields.Function(
        lambda point: f"{point.month:%Y-%m}", metadata={"description": "YYYY-MM"}
    )
    figures = fields.Nested(SatisfactionFiguresSchema)


class SurveyItemSchema(BaseSchema):
    """One survey: who, why, when sent, when answered and how (the token is never shown)."""

    class Meta:
        model = Survey

    id = fields.Integer()
    customer = fields.Integer(attribute="customer_id")
    officer = fields.Integer(attribute="officer_id")
    branch = fields.Integer(attribute="branch_id")
    reason = fields.String()
    complaint = fields.Integer(attribute="complaint_id", allow_none=True)
    follow_up = fields.Integer(attribute="follow_up_id", allow_none=True)
    renewal = fields.Integer(attribute="renewal_id", allow_none=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    score = fields.Integer(allow_none=True)
    recommend = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    low_score_follow_up = fields.Integer(attribute="low_score_follow_up_id", allow_none=True)


class SatisfactionSchema(BaseSchema):
    """A month's satisfaction: the totals, per officer, the 12 months' trend, the surveys."""

    month = fields.String()
    figures = fields.Nested(SatisfactionFiguresSchema, attribute="report.totals")
    officers = fields.List(fields.Nested(OfficerSatisfactionSchema), attribute="report.officers")
    trend = fields.List(fields.Nested(SatisfactionPointSchema), attribute="report.trend")
    items = fields.List(fields.Nested(SurveyItemSchema))
