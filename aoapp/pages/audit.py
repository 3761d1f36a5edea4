"""Audit pages: the history of one record (supervisors, admins) and the latest changes (admins)."""

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user, login_required
from marshmallow import fields, validate
from werkzeug.routing import BuildError

from aoapp.audit import services as audit
from aoapp.auth.models import Role
from aoapp.auth.scoping import can_see
from aoapp.common.forms import load_filters
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.schemas import BaseSchema
from aoapp.complaints.models import Complaint
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.introductions.models import Introduction
from aoapp.plans.models import AccountPlan
from aoapp.prospects.models import Prospect
from aoapp.reports.models import Report

bp = Blueprint("audit", __name__, url_prefix="/audit")

# Entity name in the URL → (model, endpoint of its page, name of the endpoint's id argument).
BROWSABLE = {
    "prospect": (Prospect, "prospects.detail", "prospect_id"),
    "customer": (Customer, "customers.detail", "customer_id"),
    "introduction": (Introduction, None, None),
    "complaint": (Complaint, "complaints.detail", "complaint_id"),
    "followup": (FollowUp, "followups.detail", "followup_id"),
    "promisetopay": (PromiseToPay, None, None),
    "report": (Report, None, None),
    "accountplan": (AccountPlan, None, None),
}


class RecentFilterSchema(BaseSchema):
    """Filters of the latest-changes list."""

    entity = fields.String(load_default=None, validate=validate.Length(max=40))
    actor = fields.Integer(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))


@bp.before_request
@login_required
def require_reviewer():
    """Officers do not browse the audit log: for them these pages do not exist."""
    if current_user.role not in (Role.SUPERVISOR, Role.ADMIN):
        abort(404)


def record_url(entity: str, entity_id: int) -> str | None:
    """Link to the record's own page, when that page exists."""
    _model, endpoint, argument = BROWSABLE.get(entity, (None, None, None))
    if endpoint is None:
        return None
    try:
        return url_for(endpoint, **{argument: entity_id})
    except BuildError:
        return None


@bp.get("/<entity>/<id:entity_id>")
def history(entity: str, entity_id: int):
    """Every audited change of one prospect, customer or introduction the user may see."""
    if entity not in BROWSABLE:
        abort(404)
    model = BROWSABLE[entity][0]
    record = db.session.get(model, entity_id)
    entries = audit.history(entity, entity_id)
    if record is not None:
        if not can_see(current_user, model, entity_id):
            abort(404)
    elif not (current_user.is_admin and entries):
        abort(404)  # a deleted record's trail stays readable for admins only
    return render_template(
        "audit/history.html",
        entity=entity,
        entity_id=entity_id,
        record=record,
        record_url=record_url(entity, entity_id) if record is not None else None,
        entries=[(entry, audit.shown_changes(entry)) for entry in entries],
    )


@bp.get("/")
def recent():
    """The latest changes across the application, by entity type and actor (admins)."""
    if not current_user.is_admin:
        abort(404)
    filters = load_filters(RecentFilterSchema())
    page = audit.recent(filters, HTML_PER_PAGE)
    return render_template(
        "audit/recent.html",
        page=page,
        changed={
            e.id: [name for name, _b, _a in audit.changed_fields(e)]
            for e in page.items
            if e.action != "create"
        },
        filters=filters,
        entity_types=audit.entity_types(),
        actors=audit.actors(),
        browsable=BROWSABLE,
    )
