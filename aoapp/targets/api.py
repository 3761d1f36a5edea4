"""Targets API: list the targets the caller may see; set or remove one officer's month.

Officers read their own targets; supervisors those of their branches' officers, admins all. An
officer outside the caller's scope is 404; an officer reading their own but trying to change it
is 403; a closed month (before the previous one) or a value out of range is 422 with field errors.
"""

import re

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.routing import MONTH_PATTERN
from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.errors import InvalidInput
from aoapp.kpis.periods import MONTH_FORMS
from aoapp.targets import services
from aoapp.targets.schemas import TargetFilterSchema, TargetSchema, TargetValuesSchema, parse_month

targets_blp = Blueprint(
    "targets_api", __name__, url_prefix="/targets", description="Monthly targets"
)

TargetPageSchema = page_schema(TargetSchema, "TargetPageSchema")


def _officer_and_month(officer_id: int, month: str):
    """The officer (404 outside scope, checked first so ids do not leak) and the month."""
    officer = services.get_officer(acting_user(), officer_id)
    if not re.fullmatch(MONTH_PATTERN, month):  # a path's month is a code, as documented
        raise InvalidInput(
            _("Use a month like 2026-10."), {"month": [_("Use a month like 2026-10.")]}
        )
    try:
        return officer, parse_month(month)
    except ValueError:
        message = _("'%(month)s' is not a month.", month=month)
        raise InvalidInput(f"{message} {MONTH_FORMS}", {"month": [str(MONTH_FORMS)]}) from None


@targets_blp.route("")
class Targets(MethodView):
    """Targets the caller may see."""

    decorators = [login_required]

    @targets_blp.arguments(TargetFilterSchema, location="query", unknown=RAISE)
    @targets_blp.response(200, TargetPageSchema)
    @targets_blp.alt_response(404, response="NOT_FOUND")
    def get(self, filters):
        """List targets, newest month first: filter by month (YYYY-MM), branch_id, officer_id."""
        return services.list_targets(acting_user(), filters)


@targets_blp.route("/<id:officer_id>/<month:month>")
class OfficerMonthTarget(MethodView):
    """One officer's targets of one month (`month` as YYYY-MM)."""

    decorators = [login_required]

    @targets_blp.response(200, TargetSchema)
    @targets_blp.alt_response(404, response="NOT_FOUND")
    def get(self, officer_id, month):
        """Read one officer's targets of a month."""
        officer, first = _officer_and_month(officer_id, month)
        return services.get_target(acting_user(), officer, first)

    @targets_blp.arguments(TargetValuesSchema, required=False)
    @targets_blp.response(200, TargetSchema)
    @targets_blp.alt_response(403, response="FORBIDDEN")
    @targets_blp.alt_response(404, response="NOT_FOUND")
    @targets_blp.alt_response(409, response="CONFLICT")
    def put(self, data, officer_id, month):
        """Set the officer's targets of the month (supervisors, admins); every metric is
        replaced, an omitted or null one has no target. Amounts and ratios as strings."""
        officer, first = _officer_and_month(officer_id, month)
        return services.set_target(acting_user(), officer, first, data)

    @targets_blp.response(204)
    @targets_blp.alt_response(403, response="FORBIDDEN")
    @targets_blp.alt_response(404, response="NOT_FOUND")
    def delete(self, officer_id, month):
        """Remove the officer's targets of the month (supervisors, admins)."""
        officer, first = _officer_and_month(officer_id, month)
        services.delete_target(acting_user(), officer, first)
