"""Introductions API: scoped like their subjects; changed by the officer who owns the subject."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.introductions import services
from aoapp.introductions.schemas import (
    IntroductionFilterSchema,
    IntroductionInputSchema,
    IntroductionSchema,
    IntroductionUpdateSchema,
)

introductions_blp = Blueprint(
    "introductions_api", __name__, url_prefix="/introductions", description="Introductions"
)

IntroductionPageSchema = page_schema(IntroductionSchema, "IntroductionPage")


@introductions_blp.route("")
class Introductions(MethodView):
    """Introductions of products to the caller's prospects and customers."""

    decorators = [login_required]

    @introductions_blp.arguments(IntroductionFilterSchema, location="query", unknown=RAISE)
    @introductions_blp.response(200, IntroductionPageSchema)
    def get(self, filters):
        """List introductions (filters: prospect, customer, outcome, product code; sort)."""
        return services.list_introductions(current_user, filters, filters["per_page"])

    @introductions_blp.arguments(IntroductionInputSchema)
    @introductions_blp.response(201, IntroductionSchema)
    def post(self, data):
        """Log an introduction to exactly one `prospect` or `customer` (ids) of the caller."""
        return services.log_introduction(current_user, data)


@introductions_blp.route("/<id:introduction_id>")
class IntroductionResource(MethodView):
    """One introduction."""

    decorators = [login_required]

    @introductions_blp.response(200, IntroductionSchema)
    def get(self, introduction_id):
        """Read an introduction."""
        return services.get_introduction(current_user, introduction_id)

    @introductions_blp.arguments(IntroductionUpdateSchema(partial=True), required=False)
    @introductions_blp.response(200, IntroductionSchema)
    def patch(self, data, introduction_id):
        """Correct an introduction (the officer who owns its prospect or customer)."""
        introduction = services.get_introduction(current_user, introduction_id)
        return services.update_introduction(current_user, introduction, data)

    @introductions_blp.response(204)
    def delete(self, introduction_id):
        """Delete an introduction (the officer who owns its prospect or customer)."""
        introduction = services.get_introduction(current_user, introduction_id)
        services.delete_introduction(current_user, introduction)
