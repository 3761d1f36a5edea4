"""HTML pages: monitoring visits (list, record, correct, delete), the facility page, Kol upgrade."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, choices, load_filters, load_form
from aoapp.common.i18n import format_size
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.sections import sections_for
from aoapp.common.views import REFUSALS
from aoapp.credit import services, upgrades
from aoapp.credit.forms import UpgradeForm, VisitForm, facility_choices
from aoapp.credit.models import RiskRating
from aoapp.credit.visits import evidence
from aoapp.credit.visits import services as visits
from aoapp.credit.visits.photos import max_photos, take_photos
from aoapp.credit.visits.schemas import UpgradeSchema, VisitFilterSchema, VisitUpdateSchema
from aoapp.errors import render_error
from aoapp.offline.idempotency import idempotent

bp = Blueprint("visits", __name__)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A visit form whose photos together pass the app's upload limit (photos not made
    smaller by the page's script): nothing was read, so say what to do."""
    size = format_size(current_app.config.get("MAX_CONTENT_LENGTH"))
    message = _(
        "The photos are too large together (at most %(size)s per save). Add fewer photos at a "
        "time; with JavaScript on, the page makes them smaller first.",
        size=size,
    )
    return render_error(413, message)


def _photos(data: dict):
    """The photos picked on the form, checked and cleaned (None when there are none)."""
    batch = take_photos(
        request.files.getlist("photos"),
        field_name="photos",
        consent=bool(data.get("location_consent")),
        location=None,
    )
    return batch or None


@bp.get("/visits/")
@login_required
def index():
    """Monitoring visits the user may see, newest first, filtered by customer, facility, rating."""
    filters = load_filters(VisitFilterSchema())
    page = visits.list_visits(current_user, filters, HTML_PER_PAGE)
    ratings = [r.value for r in RiskRating]
    return render_template("credit/visits.html", page=page, filters=filters, ratings=ratings)


def _customer_url(customer_id: int) -> str:
    return url_for("customers.detail", customer_id=customer_id) + "#visits"


def _facility_choices(customer_id: int) -> list:
    """The customer's facilities to pick from, or none for a visit of the whole business."""
    facilities = visits.customer_facilities(customer_id)
    return facility_choices(facilities, _("— the business as a whole —"))


def _render_form(form, customer, visit=None, status=200):
    page = render_template(
        "credit/visit_form.html",
        form=form,
        customer=customer,
        visit=visit,
        evidence=evidence.visit_evidence(visit) if visit else None,
        max_photos=max_photos(),
    )
    return page, status


@bp.route("/visits/new", methods=["GET", "POST"])
@login_required
@idempotent("visit-record", page=("visits.detail", "visit_id"))
def new():
    """Record a visit to ?customer=<id> (optionally of ?facility=<id>), then return to its page."""
    customer = visits.visit_customer(current_user, request.args.get("customer", type=int))
    form = VisitForm()
    form.facility.choices = _facility_choices(customer.id)
    if request.method == "POST":
        data = load_form(VisitUpdateSchema(), form)
        if data is not None:
            try:
                photos = _photos(data)
                visits.record_visit(current_user, {**data, "customer": customer.id}, photos)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Monitoring visit recorded."), "success")
                return redirect(_customer_url(customer.id))
        return _render_form(form, customer, status=422)
    form.visit_date.data = bank_today()
    form.facility.data = request.args.get("facility", "")
    return _render_form(form, customer)


@bp.get("/visits/<id:visit_id>")
@login_required
def detail(visit_id: int):
    """One visit with everything the officer wrote."""
    visit = visits.get_visit(current_user, visit_id)
    can_change = visits.can_change_visit(current_user, visit)
    return render_template(
        "credit/visit.html",
        visit=visit,
        can_change=can_change,
        evidence=evidence.visit_evidence(visit),
    )


@bp.route("/visits/<id:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(visit_id: int):
    """Correct a visit (the officer who recorded it)."""
    visit = visits.get_visit(current_user, visit_id)
    visits.require_visit_author(current_user, visit)
    form = VisitForm(obj=visit)
    form.facility.choices = _facility_choices(visit.customer_id)
    if request.method == "POST":
        data = load_form(VisitUpdateSchema(), form)
        if data is not None:
            try:
                visits.update_visit(current_user, visit, data, _photos(data))
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                flash(_("Monitoring visit updated."), "success")
                return redirect(_customer_url(visit.customer_id))
        return _render_form(form, visit.customer, visit, 422)
    form.facility.data = str(visit.facility_id or "")
    return _render_form(form, visit.customer, visit)


@bp.post("/visits/<id:visit_id>/delete")
@login_required
def delete(visit_id: int):
    """Delete a visit recorded by mistake (the officer who recorded it)."""
    visit = visits.get_visit(current_user, visit_id)
    target = _customer_url(visit.customer_id)
    visits.delete_visit(current_user, visit)
    flash(_("Monitoring visit deleted."), "success")
    return redirect(target)


def _render_facility(facility, upgrade_form=None, status=200):
    """The facility page, keeping a submitted upgrade form with its errors."""
    options = upgrades.upgrade_options(current_user, facility)
    if options is not None and upgrade_form is None:
        upgrade_form = UpgradeForm()
    if upgrade_form is not None:
        labels = services.kol_labels()
        kols = options.choices if options else []
        upgrade_form.to_kol.choices = choices(
            [(str(k), _("Kol %(kol)s · %(name)s", kol=k, name=labels[k])) for k in kols],
            _("— choose —"),
        )
    page = render_template(
        "credit/facility.html",
        facility=facility,
        latest=services.latest_position(facility.id),
        positions=services.facility_positions(
            facility, request.args.get("page", 1, type=int), HTML_PER_PAGE
        ),
        upgrades=services.facility_upgrades(facility),
        visits=visits.visits_of(facility.customer_id, facility.id),
        kol_labels=services.kol_labels(),
        rule_words=services.rule_words,
        options=options,
        upgrade_form=upgrade_form,
        can_record_visit=visits.can_record_visit(current_user, facility.customer),
        **sections_for("facility", current_user, facility),  # follow-ups
    )
    return page, status


@bp.get("/facilities/<id:facility_id>")
@login_required
def facility(facility_id: int):
    """One facility: its data, Kol upgrades, visits and every position, newest first."""
    return _render_facility(services.get_facility(current_user, facility_id))


@bp.post("/facilities/<id:facility_id>/upgrade")
@login_required
def upgrade(facility_id: int):
    """Upgrade a restructured facility's held Kol (supervisor of the branch or admin)."""
    facility = services.get_facility(current_user, facility_id)
    upgrades.require_upgrader(current_user, facility)
    form = UpgradeForm()
    data = load_form(UpgradeSchema(), form)
    if data is not None:
        try:
            done = upgrades.upgrade_kol(
                current_user, facility, data["to_kol"], data["justification"]
            )
        except REFUSALS as error:
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "Kol upgraded from %(before)s to %(after)s.",
                    before=done.from_kol,
                    after=done.to_kol,
                ),
                "success",
            )
            return redirect(url_for("visits.facility", facility_id=facility.id))
    return _render_facility(facility, upgrade_form=form, status=422)
