"""Admin pages of the listing import: past imports, upload → preview → confirm, one import.

For anyone but an admin these pages do not exist (404).
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from aoapp.common.forms import apply_domain_error, load_filters, load_form
from aoapp.common.pagination import HTML_PER_PAGE
from aoapp.common.sections import sections_for
from aoapp.common.views import acting_user
from aoapp.errors import DomainError, render_error
from aoapp.imports import jobs, records, uploads
from aoapp.imports.conventions import convention_lines
from aoapp.imports.forms import UploadForm, UploadTokenForm
from aoapp.imports.kinds import brief_of, counts_of, label_of
from aoapp.imports.models import ImportStatus
from aoapp.imports.schemas import ImportListArgsSchema, ImportOptionsSchema

bp = Blueprint("imports", __name__, url_prefix="/imports")


@bp.before_request
@login_required
def require_admin():
    """Only admins see these pages; for anyone else they do not exist."""
    if not current_user.is_admin:
        abort(404)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An upload over MAX_CONTENT_LENGTH: say so on the upload form (admins only)."""
    if not (current_user.is_authenticated and current_user.is_admin):
        return render_error(404, _("Not found."))
    form = UploadForm(formdata=None)
    form.general_errors = [
        _("The file is too large: uploads are limited to %(limit)s.", limit=_limit())
    ]
    return render_template("imports/new.html", form=form), 413


def _limit() -> str:
    size = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if size >= 1024 * 1024:
        return _("%(size)s MB", size=f"{size / (1024 * 1024):g}")
    if size >= 1024:
        return _("%(size)s KB", size=f"{size / 1024:g}")
    return _("%(size)s bytes", size=size)


@bp.get("/")
def index():
    """Past imports, newest first."""
    args = load_filters(ImportListArgsSchema())
    page = records.list_imports(acting_user(), args["page"], HTML_PER_PAGE, args["status"])
    return render_template(
        "imports/index.html",
        page=page,
        status=args["status"],
        statuses=list(ImportStatus),
        brief=brief_of,
    )


@bp.route("/new", methods=["GET", "POST"])
def upload():
    """Upload a listing; a readable one goes to its preview, a refused one is explained here."""
    form = UploadForm()
    if request.method == "GET":
        return render_template("imports/new.html", form=form)
    options = load_form(ImportOptionsSchema(), form)
    storage = request.files.get("file")
    try:
        uploads.check_file(storage)
    except DomainError as error:
        form.file.errors = error.errors["file"]
        options = None
    if options is None:
        return render_template("imports/new.html", form=form), 422
    try:
        staged = uploads.stage_upload(storage, acting_user(), options)
    except DomainError as error:
        apply_domain_error(form, error)
        return render_template("imports/new.html", form=form), 422
    if staged.preview.refusal:
        return render_template(
            "imports/new.html", form=form, refusal=staged.preview, file_name=staged.file_name
        ), 422
    return redirect(url_for("imports.preview", token=staged.token))


@bp.get("/preview/<token>")
def preview(token: str):
    """The first rows of an upload as read, its conventions, and the button that imports it."""
    staged = uploads.get_upload(token, acting_user())
    return render_template(
        "imports/preview.html",
        staged=staged,
        kind_label=label_of(staged.options.get("kind")),
        form=UploadTokenForm(data={"token": token}),
    )


@bp.post("/confirm")
def confirm():
    """Import a previewed upload (in the background); show its record."""
    form = UploadTokenForm()
    if not form.validate():
        abort(400)
    staged = uploads.claim_upload(form.token.data, acting_user())
    record = jobs.start_import(staged, acting_user())
    return redirect(url_for("imports.detail", import_id=record.id))


@bp.post("/discard")
def discard():
    """Forget a previewed upload."""
    form = UploadTokenForm()
    if not form.validate():
        abort(400)
    uploads.discard_upload(form.token.data, acting_user())
    flash(_("The upload was discarded."), "info")
    return redirect(url_for("imports.upload"))


@bp.get("/<id:import_id>")
def detail(import_id: int):
    """One import: status and progress while running, then its counts, or its row errors."""
    record = records.get_import(acting_user(), import_id)
    errors = records.read_errors(record) if record.status == ImportStatus.REJECTED else []
    return render_template(
        "imports/detail.html",
        record=record,
        kind_label=label_of(record.kind),
        conventions=convention_lines(record.decimal, record.date_format, record.encoding),
        summary=record.summary or {},
        counts=counts_of(record.kind),
        kol_rows=records.kol_rows(record),
        deposit_rows=records.deposit_rows(record),
        errors=errors,
        has_error_file=records.errors_path(record) is not None,
        shown_errors=records.SHOWN_ERRORS,
        **sections_for("import", acting_user(), record),  # handovers the listing contradicts
    )


@bp.get("/<id:import_id>/errors.csv")
def errors_csv(import_id: int):
    """Every row error of a rejected import, as CSV."""
    record = records.get_import(acting_user(), import_id)
    path = records.errors_path(record)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"import-{record.id}-errors.csv",
        max_age=0,
    )
