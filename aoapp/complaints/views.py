"""HTML pages: complaints (list, receive, escalate, resolve, hand back, close)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from aoapp.common.dates import bank_now, bank_today
from aoapp.common.forms import apply_domain_error, load_filters, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.views import REFUSALS
from aoapp.complaints import pages, services
from aoapp.complaints.forms import ComplaintForm, EscalateForm, HandBackForm, PlainForm, ResolveForm
from aoapp.complaints.models import Category, ComplaintStatus, Priority
from aoapp.complaints.schemas import (
    ComplaintFilterSchema,
    ComplaintFormSchema,
    EscalateSchema,
    HandBackSchema,
    ResolveSchema,
    VersionSchema,
)
from aoapp.credit.forms import facility_choices
from aoapp.credit.visits.services import customer_facilities
from aoapp.customers.services import visible_officers

bp = Blueprint("complaints", __name__)

# action → (form, schema, name of its text field, message when done)
STEPS = {
    "start": (PlainForm, VersionSchema, None, _l("Work on the complaint started.")),
    "escalate": (
        EscalateForm,
        EscalateSchema,
        "reason",
        _l("Complaint escalated to the supervisor."),
    ),
    "resolve": (ResolveForm, ResolveSchema, "resolution", _l("Complaint resolved.")),
    "hand_back": (
        HandBackForm,
        HandBackSchema,
        "note",
        _l("Complaint handed back to the officer."),
    ),
    "close": (PlainForm, VersionSchema, None, _l("Complaint closed.")),
}


@bp.get("/complaints/")
@login_required
def index():
    """Complaints the user may see: escalations first for supervisors, then by due date."""
    filters = load_filters(ComplaintFilterSchema())
    page = services.list_complaints(current_user, filters, HTML_PER_PAGE)
    officers = [] if current_user.is_officer else visible_officers(current_user)
    return render_template(
        "complaints/index.html",
        page=page,
        filters=filters,
        officers=officers,
        statuses=[s.value for s in ComplaintStatus],
        categories=[c.value for c in Category],
        priorities=[p.value for p in Priority],
        today=bank_today(),
    )


def _facility_choices(customer_id: int) -> list:
    facilities = customer_facilities(customer_id)
    return facility_choices(facilities, _("— none in particular —"))


@bp.route("/complaints/new", methods=["GET", "POST"])
@login_required
def new():
    """Log a complaint of ?customer_id=<id>, then show it."""
    customer = services.complaint_customer(current_user, request.args.get("customer_id", type=int))
    form = ComplaintForm()
    form.facility.choices = _facility_choices(customer.id)
    status = 200
    if request.method == "POST":
        data = load_form(ComplaintFormSchema(), form)
        if data is not None:
            try:
                complaint = services.receive(current_user, {**data, "customer": customer.id})
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(
                    _("Complaint recorded; due %(day)s.", day=f"{complaint.due_date:%d/%m/%Y}"),
                    "success",
                )
                return redirect(url_for("complaints.detail", complaint_id=complaint.id))
        status = 422
    else:
        form.received_at.data = bank_now().replace(second=0, microsecond=0)
        form.facility.data = request.args.get("facility_id", "")
    page = render_template(
        "complaints/form.html",
        form=form,
        customer=customer,
        working_days=services.working_days(),
    )
    return page, status


def _render_detail(complaint, refused: tuple | None = None, status: int = 200):
    """The complaint with its timeline and the forms of the actions the user may take.

    `refused` is (action, form) of a refused step: its form is shown again with the errors, or,
    when that step is no longer possible, the refusal is shown on top of the page.
    """
    allowed = services.allowed_actions(current_user, complaint)
    forms = {action: STEPS[action][0]() for action in allowed}
    alerts = []
    if refused is not None:
        action, form = refused
        if action in forms:
            forms[action] = form
        else:
            alerts = list(getattr(form, "general_errors", []) or [])
    page = render_template(
        "complaints/detail.html",
        complaint=complaint,
        timeline=pages.timeline(complaint),
        overdue=services.is_overdue(complaint, bank_today()),
        forms=forms,
        alerts=alerts,
    )
    return page, status


@bp.get("/complaints/<id:complaint_id>")
@login_required
def detail(complaint_id: int):
    """One complaint: details, timeline, and the next steps the user may take."""
    return _render_detail(services.get_complaint(current_user, complaint_id))


def _step(complaint_id: int, action: str):
    """Run one handling step from its form; refusals are shown on the complaint's page."""
    complaint = services.get_complaint(current_user, complaint_id)
    form_class, schema_class, text_field, done = STEPS[action]
    form = form_class()
    try:
        # Who may act and in which status first (403 stays an error page), then the fields.
        services.check(action, current_user, complaint, request.form.get("version", type=int))
        data = load_form(schema_class(), form)
        if data is None:
            return _render_detail(complaint, (action, form), 422)
        args = (data[text_field],) if text_field else ()
        getattr(services, action)(current_user, complaint, *args, version=data["version"])
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _render_detail(complaint, (action, form), error.status_code)
    flash(str(done), "success")
    return redirect(url_for("complaints.detail", complaint_id=complaint_id))


@bp.post("/complaints/<id:complaint_id>/start")
@login_required
def start(complaint_id: int):
    """The officer starts working on an open complaint."""
    return _step(complaint_id, "start")


@bp.post("/complaints/<id:complaint_id>/escalate")
@login_required
def escalate(complaint_id: int):
    """The officer escalates the complaint to the branch supervisor, with a reason."""
    return _step(complaint_id, "escalate")


@bp.post("/complaints/<id:complaint_id>/resolve")
@login_required
def resolve(complaint_id: int):
    """Record the resolution (officer; the supervisor when escalated)."""
    return _step(complaint_id, "resolve")


@bp.post("/complaints/<id:complaint_id>/hand-back")
@login_required
def hand_back(complaint_id: int):
    """The supervisor hands an escalated complaint back to the officer, with a note."""
    return _step(complaint_id, "hand_back")


@bp.post("/complaints/<id:complaint_id>/close")
@login_required
def close(complaint_id: int):
    """Close a resolved complaint (the officer or the branch supervisor)."""
    return _step(complaint_id, "close")
