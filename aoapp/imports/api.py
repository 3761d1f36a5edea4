"""Listing-import API (admins only): import a listing synchronously, list and read the records.

Non-admins get 403 (the resource is an admin's tool, no record is revealed), no token 401.
"""

from functools import wraps

from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import login_required
from flask_smorest import Blueprint
from marshmallow import RAISE
from werkzeug.exceptions import RequestEntityTooLarge

from aoapp.common.i18n import LOCALES
from aoapp.common.schemas import page_schema
from aoapp.common.views import acting_user
from aoapp.errors import error_body, render_error
from aoapp.imports import records, uploads
from aoapp.imports.models import ImportStatus
from aoapp.imports.schemas import (
    ImportFileSchema,
    ImportListArgsSchema,
    ImportOptionsSchema,
    ImportRecordSchema,
    ImportRejectedSchema,
    ImportUploadDocSchema,
)
from aoapp.imports.services import run_import

imports_blp = Blueprint(
    "imports_api",
    __name__,
    url_prefix="/imports",
    description="Listing imports (admins): loans and deposits",
)

ImportPageSchema = page_schema(ImportRecordSchema, "ImportPage")


def admin_required(view):
    """403 for anyone but an admin (after login_required has answered 401 without a token)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        records.require_admin(acting_user())
        return view(*args, **kwargs)

    return wrapper


@imports_blp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An upload over MAX_CONTENT_LENGTH."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return render_error(
        413, _("The file is too large: uploads are limited to %(limit)s bytes.", limit=limit)
    )


@imports_blp.route("")
class Imports(MethodView):
    """Past imports, newest first."""

    decorators = [admin_required, login_required]

    @imports_blp.arguments(ImportListArgsSchema, location="query", unknown=RAISE)
    @imports_blp.response(200, ImportPageSchema)
    def get(self, args):
        """List imports (optionally one `status`; page, per_page)."""
        return records.list_imports(acting_user(), args["page"], args["per_page"], args["status"])


@imports_blp.route("/<id:import_id>")
class ImportResource(MethodView):
    """One import."""

    decorators = [admin_required, login_required]

    @imports_blp.response(200, ImportRecordSchema)
    def get(self, import_id):
        """Read an import's record: status, conventions, counts, Kol distribution, notes."""
        return records.get_import(acting_user(), import_id)


@imports_blp.route("/positions")
class PositionsImport(MethodView):
    """Import a listing: loans (daftar nominatif kredit) or deposits (daftar nominatif simpanan)."""

    decorators = [admin_required, login_required]

    # One multipart body, parsed in two parts (webargs reads files and form fields apart); the
    # document shows it whole: smorest documents only one body location per view.
    @imports_blp.arguments(
        ImportFileSchema, location="files", content_type="multipart/form-data", unknown=RAISE
    )
    @imports_blp.ARGUMENTS_PARSER.use_args(ImportOptionsSchema, location="form", unknown=RAISE)
    @imports_blp.doc(
        requestBody={"content": {"multipart/form-data": {"schema": ImportUploadDocSchema}}}
    )
    @imports_blp.response(201, ImportRecordSchema)
    @imports_blp.alt_response(
        422,
        schema=ImportRejectedSchema,
        description="Refused, nothing changed: every row error in `errors.rows`, or the file's "
        "problem (encoding, headers, conventions) in `errors.file`; or invalid options.",
    )
    def post(self, files, options):
        """Import a listing (multipart: `file` and the options); runs to the end before answering.

        All-or-nothing: 201 with the import's record, or 422 with every row error and nothing
        changed. Numbers and dates follow one convention per file, given or detected.
        """
        storage = files["file"]
        path = uploads.save_file(storage)
        try:
            outcome = run_import(
                path,
                options["as_of"],
                kind=options["kind"],
                user=acting_user(),
                source="api",
                partial=options["partial"],
                decimal=options["decimal"],
                date_format=options["date_format"],
                encoding=options["encoding"],
                sheet=options["sheet"],
                file_name=uploads.original_name(storage),
                # the record's messages in the language the client asked for, else the user's
                locale=request.accept_languages.best_match(LOCALES),
            )
        finally:
            path.unlink(missing_ok=True)
        record = outcome.record
        if outcome.ok:
            return record
        if record.status == ImportStatus.FAILED:
            body = error_body(500, record.shown_message, code="import_failed")
            body["import"] = record.id
            return jsonify(body), 500
        if outcome.errors:
            errors = {
                "rows": [
                    {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                    for e in outcome.errors
                ]
            }
        else:
            errors = {"file": [record.shown_message]}
        body = error_body(422, record.shown_message, errors, code="import_rejected")
        body["import"] = record.id
        return jsonify(body), 422
