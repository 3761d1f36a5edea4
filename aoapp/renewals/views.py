"""HTML pages: the renewal pipeline, one opportunity, and its steps (stage, outcome, top-up)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from aoapp.auth.models import Role
from aoapp.common.dates import bank_today
from aoapp.common.forms import apply_domain_error, load_filters, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.templating import label
from aoapp.common.views import REFUSALS, acting_user
from aoapp.customers.services import visible_officers
from aoapp.renewals import services
from aoapp.renewals.forms import OutcomeForm, StageForm, TopupForm
from aoapp.renewals.models import OPEN_STAGES, Stage
from aoapp.renewals.schemas import OutcomeSchema, RenewalFilterSchema, StageSchema, TopupSchema

bp = Blueprint("renewals", __name__)


@bp.get("/renewals/")
@login_required
def index():
    """The pipeline the user may see, by maturity date, with filters."""
    actor = acting_user()
    filters = load_filters(RenewalFilterSchema())
    page = services.list_opportunities(actor, filters, HTML_PER_PAGE)
    return render_template(
        "renewals/index.html",
        page=page,
        filters=filters,
        officers=[] if actor.role == Role.OFFICER else visible_officers(actor),
        stages=[s.value for s in Stage],
        windows=services.WINDOWS,
        limits=services.topup_limits(),
        workable={o.id for o in page.items if services.may_work(actor, o)},
        stage_form=StageForm(),
        open_stages=[s.value for s in OPEN_STAGES],
    )


def _render(opportunity, forms: dict | None = None, status: int = 200):
    """The opportunity with the forms of the steps the user may take."""
    actor = acting_user()
    forms = forms or {}
    workable = services.may_work(actor, opportunity)
    if workable and opportunity.is_open:
        forms.setdefault("stage", StageForm(stage=opportunity.stage))
    if workable and (opportunity.is_open or not opportunity.confirmed):
        form = forms.setdefault("outcome", OutcomeForm(outcome=opportunity.outcome))
        form.for_kind(opportunity.kind)
    supervisor = actor.role == Role.SUPERVISOR and workable
    if supervisor and opportunity.kind == "loan" and opportunity.is_open:
        forms.setdefault("topup", TopupForm())
    max_dpd, max_kol = services.topup_limits()
    facts = opportunity.facts
    delinquent = (facts.dpd or 0) > max_dpd or (facts.kol or 1) > max_kol
    page = render_template(
        "renewals/detail.html",
        o=opportunity,
        forms=forms,
        delinquent=delinquent,
        limits=(max_dpd, max_kol),
        today=bank_today(),
    )
    return page, status


@bp.get("/renewals/<id:renewal_id>")
@login_required
def detail(renewal_id: int):
    """One opportunity: its account, the latest listing's facts, and the next steps."""
    return _render(services.get_opportunity(acting_user(), renewal_id))


STEPS = {
    "stage": (StageForm, StageSchema),
    "outcome": (OutcomeForm, OutcomeSchema),
    "topup": (TopupForm, TopupSchema),
}


def _step(renewal_id: int, step: str):
    """Run one step from its form; refusals show on the opportunity's page (422, 409)."""
    actor = acting_user()
    opportunity = services.get_opportunity(actor, renewal_id)
    form_class, schema_class = STEPS[step]
    form = form_class()
    if step == "outcome":
        form.for_kind(opportunity.kind)
    data = load_form(schema_class(), form)
    if data is None:
        return _render(opportunity, {step: form}, 422)
    try:
        if step == "stage":
            services.move_stage(actor, opportunity, data["stage"], data["version"])
            done = _("Moved to %(stage)s.", stage=label(data["stage"]))
        elif step == "outcome":
            services.record_outcome(actor, opportunity, data, data["version"])
            done = _("Outcome recorded: %(outcome)s.", outcome=label(data["outcome"]))
        else:
            services.allow_topup(actor, opportunity, data["topup_allowed"], data["version"])
            done = _("Top-up exception saved.")
    except REFUSALS as error:
        apply_domain_error(form, error)
        opportunity = services.get_opportunity(actor, renewal_id)
        return _render(opportunity, {step: form}, error.status_code)
    flash(done, "success")
    back = request.form.get("next")
    if back == "list":
        return redirect(url_for("renewals.index"))
    return redirect(url_for("renewals.detail", renewal_id=renewal_id))


@bp.post("/renewals/<id:renewal_id>/stage")
@login_required
def stage(renewal_id: int):
    """Move the opportunity to another open stage."""
    return _step(renewal_id, "stage")


@bp.post("/renewals/<id:renewal_id>/outcome")
@login_required
def outcome(renewal_id: int):
    """Record, confirm or correct the outcome."""
    return _step(renewal_id, "outcome")


@bp.post("/renewals/<id:renewal_id>/topup")
@login_required
def topup(renewal_id: int):
    """The branch supervisor allows a delinquent loan a top-up (or takes it back)."""
    return _step(renewal_id, "topup")
