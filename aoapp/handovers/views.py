"""HTML pages of handovers: the list, a new handover (pick, confirm, run), one handover, its
change file, and the admin's decision on customers a listing contradicts."""

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from aoapp.common.forms import apply_domain_error, load_filters, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.views import REFUSALS, acting_user
from aoapp.handovers import decisions, selection, services
from aoapp.handovers.forms import DecisionForm, HandoverForm, PickOfficerForm
from aoapp.handovers.schemas import DecisionSchema, HandoverFormSchema, HandoverListArgsSchema

bp = Blueprint("handovers", __name__, url_prefix="/handovers")


@bp.get("/")
@login_required
def index():
    """The handovers the user may see, newest first (supervisors and admins)."""
    actor = acting_user()
    selection.require_reviewer(actor)
    args = load_filters(HandoverListArgsSchema())
    page = services.list_handovers(actor, args["page"], HTML_PER_PAGE)
    return render_template(
        "handovers/index.html", page=page, open_rows=services.open_counts(page.items)
    )


def _new_page(form: HandoverForm | None = None, status: int = 200):
    """The pick-and-tick page: whose customers (a GET form), then to whom and which (a POST)."""
    actor = acting_user()
    selection.require_reviewer(actor)
    sources = selection.source_officers(actor)
    pick = PickOfficerForm(request.args if request.method == "GET" else None).offer(sources)
    source_id = (form.from_officer.data if form is not None else None) or request.args.get(
        "from_officer"
    )
    source = next((u for u in sources if str(u.id) == str(source_id or "")), None)
    if source is not None:
        pick.from_officer.data = str(source.id)
    if form is None:
        form = HandoverForm(formdata=None, from_officer=source.id if source else None)
    form.offer([u for u in selection.target_officers(actor) if source is None or u.id != source.id])
    text = pick.q.data if request.method == "GET" else None
    found = selection.candidates(actor, source.id, text) if source is not None else []
    return render_template(
        "handovers/new.html",
        pick=pick,
        form=form,
        source=source,
        candidates=found,
        listed=selection.LISTED,
        ticked={str(v) for v in (form.customers.data or [])},
    ), status


@bp.get("/new")
@login_required
def new():
    """Pick the officer handing over, then the officer taking over and the customers."""
    return _new_page()


@bp.post("/new")
@login_required
def submit():
    """Show what would move (the confirm page); once confirmed, hand the customers over."""
    actor = acting_user()
    selection.require_reviewer(actor)
    form = HandoverForm()
    data = load_form(HandoverFormSchema(), form)
    if data is None:
        return _new_page(form, 422)
    try:
        if request.form.get("confirmed") != "1":
            picked, work = services.preview(actor, data)
            return render_template(
                "handovers/confirm.html", form=form, picked=picked, work=work, data=data
            )
        handover = services.hand_over(actor, data)
    except REFUSALS as error:
        apply_domain_error(form, error)
        return _new_page(form, error.status_code)
    flash(
        ngettext(
            "Handed over %(num)d customer to %(name)s. Send the change file to core banking.",
            "Handed over %(num)d customers to %(name)s. Send the change file to core banking.",
            handover.customer_count,
            name=handover.to_officer.display_name,
        ),
        "success",
    )
    return redirect(url_for("handovers.detail", handover_id=handover.id))


@bp.get("/<id:handover_id>")
@login_required
def detail(handover_id: int):
    """One handover: what moved, each customer's core banking status, the change file."""
    actor = acting_user()
    found = services.get_detail(actor, handover_id)
    return render_template(
        "handovers/detail.html",
        h=found.handover,
        rows=found.rows,
        decision_form=DecisionForm() if actor.is_admin else None,
    )


@bp.get("/<id:handover_id>/change-file")
@login_required
def change_file(handover_id: int):
    """The change file for core banking (CSV), to whom may see the handover (audited)."""
    handover, path = services.change_file_of(acting_user(), handover_id)
    return send_file(
        path,
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"handover-{handover.id}.csv",
        max_age=0,
    )


@bp.post("/<id:handover_id>/decision")
@login_required
def decide(handover_id: int):
    """The admin keeps the handover or accepts the listing, for the customers in conflict."""
    actor = acting_user()
    handover = services.get_handover(actor, handover_id)
    data = load_form(DecisionSchema(), DecisionForm())
    if data is None:
        flash(_("Choose to keep the handover or to accept the listing."), "danger")
    else:
        try:
            done = decisions.decide(actor, handover, data["decision"], data["customers"])
        except REFUSALS as error:
            flash(error.message, "danger")
        else:
            flash(_decided(data["decision"], done), "success")
    if data and data.get("import_id"):
        return redirect(url_for("imports.detail", import_id=data["import_id"]))
    return redirect(url_for("handovers.detail", handover_id=handover_id))


def _decided(decision: str, count: int) -> str:
    if decision == decisions.Decision.KEEP:
        return ngettext(
            "Kept the handover of %(num)d customer: pending core banking's update again.",
            "Kept the handover of %(num)d customers: pending core banking's update again.",
            count,
        )
    return ngettext(
        "Accepted the listing: %(num)d customer went back to the listing's officer.",
        "Accepted the listing: %(num)d customers went back to the listing's officer.",
        count,
    )
