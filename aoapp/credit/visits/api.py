"""Monitoring-visits API: list (scoped, filtered, paginated), record, read, correct, delete."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import TYPED_HEADER_DOC, page_schema
from aoapp.credit.visits import services as visits
from aoapp.credit.visits.schemas import (
    VisitFilterSchema,
    VisitInputSchema,
    VisitSchema,
    VisitUpdateSchema,
)
from aoapp.offline.idempotency import HEADER_DOC, idempotent

monitoring_visits_blp = Blueprint(
    "monitoring_visits_api",
    __name__,
    url_prefix="/monitoring-visits",
    description="Monitoring visits",
)

VisitPageSchema = page_schema(VisitSchema, "MonitoringVisitPage")


@monitoring_visits_blp.route("")
class MonitoringVisits(MethodView):
    """Monitoring visits of the customers the caller may see."""

    decorators = [login_required]

    @monitoring_visits_blp.arguments(VisitFilterSchema, location="query", unknown=RAISE)
    @monitoring_visits_blp.response(200, VisitPageSchema)
    def get(self, filters):
        """List visits, newest first (filters: customer, facility, rating; sort; page, per_page)."""
        return visits.list_visits(current_user, filters, filters["per_page"])

    @monitoring_visits_blp.doc(parameters=[HEADER_DOC, TYPED_HEADER_DOC])
    @monitoring_visits_blp.alt_response(409, response="CONFLICT")
    @idempotent("visit-record", page=("visits.detail", "visit_id"))
    @monitoring_visits_blp.arguments(VisitInputSchema)
    @monitoring_visits_blp.response(201, VisitSchema)
    def post(self, data):
        """Record a visit to a `customer` (id) assigned to the caller; `facility` is optional."""
        return visits.record_visit(current_user, data)


@monitoring_visits_blp.route("/<id:visit_id>")
class MonitoringVisitResource(MethodView):
    """One monitoring visit."""

    decorators = [login_required]

    @monitoring_visits_blp.response(200, VisitSchema)
    def get(self, visit_id):
        """Read a visit."""
        return visits.get_visit(current_user, visit_id)

    @monitoring_visits_blp.arguments(VisitUpdateSchema(partial=True), required=False)
    @monitoring_visits_blp.response(200, VisitSchema)
    def patch(self, data, visit_id):
        """Correct some fields of a visit (the officer who recorded it)."""
        visit = visits.get_visit(current_user, visit_id)
        return visits.update_visit(current_user, visit, data)

    @monitoring_visits_blp.response(204)
    def delete(self, visit_id):
        """Delete a visit recorded by mistake (the officer who recorded it)."""
        visit = visits.get_visit(current_user, visit_id)
        visits.delete_visit(current_user, visit)
