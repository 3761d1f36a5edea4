"""HTML pages: the officer sends a survey (from the customer, complaint or follow-up page) and
gets its WhatsApp link; the customer answers on the public page `/s/<token>`.

The public page needs no login and no script: a plain HTML form (large radio buttons) that a
cheap phone's browser posts. It speaks Indonesian unless `?lang=en` asks for English (the
customer is not a user with a language setting), shows the bank's name and nothing else of the
customer, the officer or the survey's ids. A wrong token answers 404; an expired or answered
survey 410, each a short page saying so. It is CSRF-exempt: it has no session to protect, and
the secret token in its URL is what a forger would need (an answer is taken once, by an atomic
update). GET and POST both count against SURVEY_RATE_LIMIT per client address (429 beyond).
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from aoapp.auth.forms import ConfirmForm
from aoapp.common.dates import to_local
from aoapp.common.forms import raw_form_data
from aoapp.common.i18n import LOCALES
from aoapp.common.views import REFUSALS, acting_user
from aoapp.extensions import csrf, limiter
from aoapp.surveys import messages, services
from aoapp.surveys.api import sent
from aoapp.surveys.schemas import AnswerSchema, SendSchema

bp = Blueprint("surveys", __name__)
STATUS = {
    services.MISSING: 404,
    services.EXPIRED: 410,
    services.ANSWERED: 410,
}


def _bank_name() -> str:
    return current_app.config.get("BANK_NAME", "Bank")


@bp.post("/customers/<id:customer_id>/surveys")
@login_required
def send(customer_id: int):
    """Send a survey to the customer (their officer): the page with its WhatsApp link."""
    back = request.referrer if _same_site(request.referrer) else None
    back = back or url_for("customers.detail", customer_id=customer_id)
    services.survey_customer(acting_user(), customer_id)  # 404 or 403 before anything else
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return redirect(back), 303
    try:
        data = SendSchema().load(raw_form_data(SendSchema()))
        survey, plain = services.send(acting_user(), {**data, "customer": customer_id})
    except ValidationError as error:
        flash(" ".join(_messages(error.normalized_messages())), "danger")
        return redirect(back), 303
    except REFUSALS as error:
        flash(error.message, "danger")
        return redirect(back), 303
    link = sent(survey, plain)
    text = messages.invitation_text(
        _bank_name(), survey.reason, link["url"], _local_day(survey.expires_at)
    )
    return render_template(
        "surveys/sent.html",
        survey=survey,
        customer=survey.customer,
        url=link["url"],
        whatsapp=messages.whatsapp_link(survey.customer.phone, text),
        text=text,
        back=back,
    )


def _local_day(moment):
    return to_local(moment).date()


def _messages(errors: dict) -> list[str]:
    return [str(m) for messages_ in errors.values() for m in messages_]


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


def _language() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in LOCALES else "id"


def _render(template: str, status: int, lang: str, **context):
    with force_locale(lang):
        page = render_template(template, bank=_bank_name(), lang=current_lang(lang), **context)
    response = current_app.make_response((page, status))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def current_lang(lang: str) -> dict:
    """The page's language, and the other one to switch to."""
    return {"code": lang, "other": "en" if lang == "id" else "id"}


@bp.route("/s/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SURVEY_RATE_LIMIT"], scope="survey-page")
def public(token: str):
    """The customer's survey: the form (GET), the answer taken once (POST)."""
    lang = _language()
    state = services.state_of(services.find(token))
    if state != services.WAITING:
        return _render("surveys/public_state.html", STATUS[state], lang, state=state)
    if request.method == "GET":
        return _render("surveys/public.html", 200, lang, token=token, errors={}, values={})
    values = request.form.to_dict()
    try:
        data = AnswerSchema().load(values)
    except ValidationError as error:
        errors = error.normalized_messages()
        return _render("surveys/public.html", 422, lang, token=token, errors=errors, values=values)
    state = services.answer(token, data)
    if state == services.RECORDED:
        return _render("surveys/public_state.html", 200, lang, state="thanks")
    return _render("surveys/public_state.html", STATUS[state], lang, state=state)


csrf.exempt(public)
