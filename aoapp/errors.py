"""Domain errors raised by services, and how they become HTTP responses."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import gettext as translate
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

# The reason given for work that failed on an unexpected error. It names no internals: the error
# itself (which may quote SQL and the names of tables) goes to the log only. A message id, so a
# record keeps it and says it in its reader's language (`gettext(LOGGED_ERROR)` where shown).
LOGGED_ERROR = "an unexpected error, whose details are in the server log"
_l("an unexpected error, whose details are in the server log")


class DomainError(Exception):
    """A rule of the domain was violated; carries a message and optional field errors."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    """Input failed validation."""

    status_code = 422
    code = "invalid_input"


class Unconfirmed(InvalidInput):
    """Input that is possible but unusual: saved only when the user confirms it (the field of
    `errors` names the confirmation to send, e.g. `confirm_amount`)."""

    code = "confirmation_required"


class NotFound(DomainError):
    """The record does not exist or is outside the user's scope (never 403: ids do not leak)."""

    status_code = 404
    code = "not_found"

    def __init__(self, message: str = _l("Not found."), errors=None):
        super().__init__(message, errors)


class Conflict(DomainError):
    """The change conflicts with existing data (duplicate, invalid state transition)."""

    status_code = 409
    code = "conflict"


class Forbidden(DomainError):
    """The user may see the record but not perform this action."""

    status_code = 403
    code = "forbidden"


# Werkzeug's standard descriptions of HTTP errors, listed so that they are extracted and
# translated; http_message() looks them up in the request's language.
HTTP_DESCRIPTIONS = (
    _l("The browser (or proxy) sent a request that this server could not understand."),
    _l(
        "The server could not verify that you are authorized to access the URL requested. You "
        "either supplied the wrong credentials (e.g. a bad password), or your browser doesn't "
        "understand how to supply the credentials required."
    ),
    _l(
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    _l(
        "The requested URL was not found on the server. If you entered the URL manually please "
        "check your spelling and try again."
    ),
    _l("The method is not allowed for the requested URL."),
    _l(
        "A conflict happened while processing the request. The resource might have been "
        "modified while the request was being processed."
    ),
    _l("The data value transmitted exceeds the capacity limit."),
    _l("The server does not support the media type transmitted in the request."),
    _l("The request was well-formed but was unable to be followed due to semantic errors."),
    _l("This user has exceeded an allotted request count. Try again later."),
    _l(
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
)


def http_message(text):
    """An HTTP error's description in the request's language (Werkzeug's standard ones are in
    the catalogue; others, already translated or lazy, pass through)."""
    if isinstance(text, str) and text:
        return translate(text)
    return text


def wants_json() -> bool:
    """True for API paths and clients that ask for JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def plain(value):
    """Messages as plain strings: lazy translations (class-level labels and validation
    messages) are rendered now, in the request's language, wherever they sit in the errors."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)


def error_body(status: int, message: str, errors=None, code=None) -> dict:
    """The one JSON error body of the API, the same shape flask-smorest gives its own errors.

    `code` is the HTTP status, `status` its name; `error` names the domain rule when there is one.
    """
    body = {
        "code": status,
        "status": HTTP_STATUS_CODES.get(status, "Error"),
        "message": plain(message),
    }
    if code:
        body["error"] = code
    if errors:
        body["errors"] = plain(errors)
    return body


def render_error(status: int, message: str, errors=None, code=None):
    """Answer an error as JSON or as an HTML page, by what the client wants."""
    if wants_json():
        return jsonify(error_body(status, message, errors, code)), status
    return render_template("errors/error.html", status=status, message=plain(message)), status


def register_errorhandlers(app: Flask) -> None:
    """Turn domain errors and unexpected exceptions into clean responses."""
    # Not at the top: aoapp.extensions imports api_base, which imports this module.
    from aoapp.extensions import db

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        db.session.rollback()
        return render_error(error.status_code, error.message, error.errors, error.code)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def handle_changed_meanwhile(error):
        """Another request changed or removed the record while this one worked on it (a PATCH
        racing a DELETE): a conflict to retry, not a server error."""
        db.session.rollback()
        app.logger.warning("Record changed meanwhile: %s", error)
        message = _(
            "Another user changed or removed this record a moment ago. Reload it and retry."
        )
        return render_error(409, message, code=Conflict.code)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return render_error(
            400,
            _(
                "The form has expired or did not come from this application. "
                "Reload the page and try again."
            ),
        )

    @app.errorhandler(429)
    def handle_rate_limited(error):
        response = render_error(
            429,
            _("Too many requests from your address. Wait a minute and try again."),
        )
        retry_after = getattr(error, "retry_after", None)
        response = app.make_response(response)
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(500)
    def handle_internal(error):
        db.session.rollback()
        original = getattr(error, "original_exception", None)
        if isinstance(original, HTTPException):
            return render_error(original.code, http_message(original.description))
        return render_error(500, _("An unexpected error occurred. It has been logged."))
