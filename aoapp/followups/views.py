"""HTML pages: follow-ups (list, plan, complete with outcome and promise, reschedule, cancel)."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, choices, load_filters, load_form
from aoapp.common.i18n import format_date
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.routing import local_path
from aoapp.common.templating import label
from aoapp.common.views import REFUSALS
from aoapp.credit.forms import facility_choices
from aoapp.credit.visits.photos import max_photos
from aoapp.credit.visits.services import customer_facilities
from aoapp.customers.consent import contact_state
from aoapp.errors import Forbidden, Unconfirmed
from aoapp.followups import promises, services
from aoapp.followups.forms import CancelForm, CompleteForm, MissedForm, PlanForm, RescheduleForm
from aoapp.followups.models import Channel, FollowUpStatus, Outcome, PromiseState, Purpose
from aoapp.followups.photo_views import form_photos
from aoapp.followups.schemas import (
    CancelSchema,
    CompleteSchema,
    FollowUpFilterSchema,
    MissedSchema,
    PlanSchema,
    PromiseFilterSchema,
    RescheduleSchema,
)
from aoapp.followups.visit_evidence import followup_evidence
from aoapp.offline.idempotency import idempotent

bp = Blueprint("followups", __name__)


def safe_next() -> str | None:
    """The `next` argument when it is a path of this site (never another host)."""
    return local_path(request.args.get("next"))


def _done(followup, message: str):
    flash(message, "success")
    return redirect(safe_next() or url_for("followups.detail", followup_id=followup.id))


@bp.get("/followups/")
@login_required
def index():
    """Follow-ups the user may see, filtered (status, purpose, planned range, suggested), paged."""
    filters = load_filters(FollowUpFilterSchema())
    page = services.list_followups(current_user, filters, HTML_PER_PAGE)
    return render_template(
        "followups/index.html",
        page=page,
        filters=filters,
        statuses=[s.value for s in FollowUpStatus],
        purposes=[p.value for p in Purpose],
        owners=services.visible_owners(current_user),
    )


@bp.get("/promises/", endpoint="promises")
@login_required
def promises_page():
    """Promises to pay the user may see, with their state, filtered by state, paged."""
    filters = load_filters(PromiseFilterSchema())
    page = services.list_promises(current_user, filters, HTML_PER_PAGE)
    return render_template(
        "followups/promises.html",
        page=page,
        filters=filters,
        states=[s.value for s in PromiseState],
        owners=services.visible_owners(current_user),
    )


def _party_choices() -> list:
    customers, prospects = services.plannable_parties(current_user)
    pairs = [(f"customer:{c.id}", f"{c.name} (CIF {c.cif})") for c in customers]
    pairs += [(f"prospect:{p.id}", f"{p.name} ({_('prospect')})") for p in prospects]
    return choices(pairs, _("— choose —"))


def _chosen_party(form) -> tuple[int | None, int | None] | None:
    """(customer id, prospect id) from the form's picker, or None with an error on the field."""
    kind, _sep, number = (form.party.data or "").partition(":")
    if kind in ("customer", "prospect") and number.isdigit():
        return (int(number), None) if kind == "customer" else (None, int(number))
    form.party.errors = list(form.party.errors or []) + [_("Choose a customer or a prospect.")]
    return None


def _facility_choices(customer) -> list:
    facilities = customer_facilities(customer.id) if customer else []
    return facility_choices(facilities, _("— the customer as a whole —"))


@bp.route("/followups/new", methods=["GET", "POST"])
@login_required
def new():
    """Plan a follow-up with ?customer_id= (and &facility_id=) or ?prospect_id=, or pick one
    (?purpose= and ?channel= preset the form)."""
    customer_id = request.args.get("customer_id", type=int)
    prospect_id = request.args.get("prospect_id", type=int)
    customer = prospect = None
    if customer_id is not None or prospect_id is not None:
        customer, prospect = services.party_for(current_user, customer_id, prospect_id)
    elif not current_user.is_officer:
        raise Forbidden(
            _("Follow-ups are planned by account officers; supervisors and admins read.")
        )
    form = PlanForm()
    form.party.choices = [] if customer or prospect else _party_choices()
    form.facility.choices = _facility_choices(customer)
    if request.method == "POST":
        data = load_form(PlanSchema(), form)
        party = (customer_id, prospect_id) if customer or prospect else _chosen_party(form)
        if data is not None and party is not None:
            data["customer"], data["prospect"] = party
            try:
                followup = services.plan(current_user, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
                if error.errors.keys() & {"customer", "prospect"}:
                    form.party.errors = [error.message]
            else:
                return _done(followup, _("Follow-up planned."))
        return _render_plan(form, customer, prospect, 422)
    form.planned_date.data = bank_today()
    form.channel.data = Channel.CALL.value
    if request.args.get("channel") in {c.value for c in Channel}:
        form.channel.data = request.args["channel"]
    if request.args.get("purpose") in {p.value for p in Purpose}:
        form.purpose.data = request.args["purpose"]
    form.facility.data = request.args.get("facility_id", "")
    return _render_plan(form, customer, prospect)


def _render_plan(form, customer, prospect, status=200):
    page = render_template(
        "followups/new.html", form=form, customer=customer, prospect=prospect, next=safe_next()
    )
    return page, status


@bp.get("/followups/<id:followup_id>")
@login_required
def detail(followup_id: int):
    """One follow-up: party, plan, outcome, promise and its state, the chain of follow-ups."""
    followup = services.get_followup(current_user, followup_id)
    can_act = services.can_act(current_user, followup)
    overdue = followup.planned_date < bank_today()
    return render_template(
        "followups/detail.html",
        followup=followup,
        can_act=can_act,
        missed_form=MissedForm(version=followup.version) if can_act and overdue else None,
        following=services.next_of(followup),
        grace_days=promises.grace_days(),
        collection=_collection_window(followup),
        evidence=followup_evidence(followup),  # a visit's photos and location
    )


def _collection_window(followup):
    """For a planned collection follow-up with a customer: may the customer be contacted now."""
    planned = followup.status == FollowUpStatus.PLANNED
    if followup.purpose != Purpose.COLLECTION or followup.customer is None or not planned:
        return None
    return contact_state(followup.customer)


def _actionable(followup_id: int):
    """The follow-up, when the user owns it (else 403) and it is still planned (else None)."""
    followup = services.get_followup(current_user, followup_id)
    services.require_owner(current_user, followup)
    if followup.status != FollowUpStatus.PLANNED and request.method == "GET":
        flash(
            _("This follow-up is already %(status)s.", status=label(followup.status).lower()),
            "warning",
        )
        return followup, redirect(url_for("followups.detail", followup_id=followup.id))
    return followup, None


def _action_page(template: str, form, followup, status: int = 200, **context):
    page = render_template(template, form=form, followup=followup, next=safe_next(), **context)
    return page, status


def _prefill_next(form) -> None:
    """Suggest the next contact the day after a promise's deadline (the officer may change it)."""
    if form.promised_date.data and not "".join(form.next_date.raw_data or []).strip():
        form.next_date.data = promises.deadline_for(form.promised_date.data) + timedelta(days=1)
        form.next_date.raw_data = None


@bp.route("/followups/<id:followup_id>/complete", methods=["GET", "POST"])
@login_required
@idempotent("followup-complete", page=("followups.detail", "followup_id"))
def complete(followup_id: int):
    """Log the outcome (and a promise to pay, and the next follow-up) of a planned follow-up."""
    followup, elsewhere = _actionable(followup_id)
    if elsewhere:
        return elsewhere
    form = CompleteForm()
    form.set_outcomes(followup.purpose)
    context = {"grace_days": promises.grace_days(), "ptp": Outcome.PROMISED_TO_PAY.value}
    context["max_photos"] = max_photos()
    if request.method == "POST":
        data = load_form(CompleteSchema(), form)
        if data is not None:
            try:
                photos = form_photos(followup, data)
                services.complete(current_user, followup, data, photos=photos)
            except Unconfirmed as error:
                context["confirm_warning"] = error.message  # asks, with a checkbox to confirm
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                return _done(followup, _completed_message(followup))
        _prefill_next(form)
        return _action_page("followups/complete.html", form, followup, 422, **context)
    form.version.data = followup.version
    form.notes.data = followup.notes
    return _action_page("followups/complete.html", form, followup, **context)


def _completed_message(followup) -> str:
    message = _("Outcome logged: %(outcome)s.", outcome=label(followup.outcome).lower())
    if followup.promise is not None:
        deadline = format_date(followup.promise.deadline)
        message += " " + _("Promise recorded; kept if paid by %(day)s.", day=deadline)
    if services.next_of(followup):
        message += " " + _("Next follow-up planned.")
    return message


@bp.route("/followups/<id:followup_id>/reschedule", methods=["GET", "POST"])
@login_required
def reschedule(followup_id: int):
    """Move a planned follow-up to another day (a suggested one needs a reason)."""
    followup, elsewhere = _actionable(followup_id)
    if elsewhere:
        return elsewhere
    form = RescheduleForm()
    if request.method == "POST":
        data = load_form(RescheduleSchema(), form)
        if data is not None:
            try:
                services.reschedule(current_user, followup, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                return _done(
                    followup,
                    _("Follow-up moved to %(day)s.", day=format_date(followup.planned_date)),
                )
        return _action_page("followups/reschedule.html", form, followup, 422)
    form.version.data = followup.version
    form.planned_date.data = followup.planned_date
    form.planned_time.data = followup.planned_time
    return _action_page("followups/reschedule.html", form, followup)


@bp.route("/followups/<id:followup_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(followup_id: int):
    """Cancel a planned follow-up, with a reason."""
    followup, elsewhere = _actionable(followup_id)
    if elsewhere:
        return elsewhere
    form = CancelForm()
    if request.method == "POST":
        data = load_form(CancelSchema(), form)
        if data is not None:
            try:
                services.cancel(current_user, followup, data)
            except REFUSALS as error:
                apply_domain_error(form, error)
            else:
                return _done(followup, _("Follow-up cancelled."))
        return _action_page("followups/cancel.html", form, followup, 422)
    form.version.data = followup.version
    return _action_page("followups/cancel.html", form, followup)


@bp.post("/followups/<id:followup_id>/missed")
@login_required
def missed(followup_id: int):
    """Mark a planned follow-up whose day has passed as missed."""
    followup = services.get_followup(current_user, followup_id)
    form = MissedForm()
    data = load_form(MissedSchema(), form) or {}
    try:
        services.mark_missed(current_user, followup, data)
    except REFUSALS as error:
        flash(error.message, "danger")
        return redirect(url_for("followups.detail", followup_id=followup_id))
    return _done(followup, _("Follow-up marked missed."))
