"""Idempotent POSTs: a request sent again with the same key is answered, not done again.

The offline queue (static/offline/queue-store.js) sends what the officer logged without signal,
and sends it again when it cannot tell whether the first try arrived; the forms carry a key too,
so a double tap or a resent form logs nothing twice. A key is the user's own: the same key from
another user is another key.

The key is claimed by inserting its row first, in the transaction of the work: a second request
with the key waits on that row (PostgreSQL's unique index, SQLite's write lock) until the first
commits, then finds the stored answer. Units of work inside flush instead of committing
(common.transaction.held_commit); the row gets the answer and everything commits once.
Only an answer of work done is kept: a refusal (422, 409) changed nothing and is not stored, so
the same key may be sent again after the officer resolved it.
"""

import re
from datetime import timedelta
from functools import wraps

import sqlalchemy as sa
from flask import current_app, flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from aoapp.common.dates import utcnow
from aoapp.common.transaction import held_commit, undo
from aoapp.errors import Conflict, InvalidInput
from aoapp.extensions import db
from aoapp.offline.models import KEY_MAX, LOCATION_MAX, SCOPE_MAX, IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"  # the forms' hidden field (filled by static/offline/offline.js)
REPLAYED = "Idempotent-Replayed"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
KEY_PATTERN = re.compile(rf"^[A-Za-z0-9_-]{{8,{KEY_MAX}}}$")
HEADER_DOC = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "pattern": KEY_PATTERN.pattern},
    "description": (
        "A key of your own (a UUID) for this one change: sent again with the same key, the "
        "request is not done again and gets the first answer (header Idempotent-Replayed: "
        "true). Keys are kept 7 days (IDEMPOTENCY_KEY_DAYS); a refused request keeps none."
    ),
}
IN_PROGRESS = _l(
    "The same request is still being saved. Wait a moment; it is sent again automatically."
)


class InProgress(Conflict):
    """The first request with this key has not finished yet (retry later)."""

    code = "in_progress"


def idempotent(action: str, page: tuple[str, str]):
    """Honour an idempotency key on a POST view (an API method or an HTML form view).

    `action` names the work ("followup-complete"); with the record ids of the URL it is the
    key's scope, and a key reused for another action or record is refused. `page` is the
    endpoint and its id argument of the record's page, where a form sent again is taken.
    The view may then also be called by the page's own script (see `page_writable`).
    """

    def decorate(view):
        @wraps(view)
        def answer(*args, **kwargs):
            key = _sent_key() if request.method == "POST" else None
            if key is None:
                return view(*args, **kwargs)
            scope = ":".join([action, *(str(v) for _k, v in sorted(request.view_args.items()))])
            return _once(key, scope[:SCOPE_MAX], page, lambda: view(*args, **kwargs))

        answer.page_writable = True
        return answer

    return decorate


def page_writable(view, method: str) -> bool:
    """True when the view (an endpoint's function, or a MethodView's method) takes writes from
    the app's own pages with the session cookie and the page's CSRF token."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower(), None)
    return bool(getattr(view, "page_writable", False))


def _sent_key() -> str | None:
    """The key of the request (header, or the form's field), checked; None when none was sent."""
    key = request.headers.get(HEADER)
    if key is None and request.mimetype in FORM_TYPES:
        key = request.form.get(FIELD) or None
    if key is None:
        return None
    key = key.strip()
    if not KEY_PATTERN.match(key):
        message = _("Not a valid idempotency key: 8 to 64 letters, digits, - or _.")
        raise InvalidInput(message, {"idempotency_key": [message]})
    return key


def _stored(key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        sa.select(IdempotencyKey).where(
            IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key
        )
    )


def _once(key: str, scope: str, page: tuple[str, str], work):
    """Answer from the stored key, or do the work and store its answer in its transaction."""
    stored = _stored(key)
    if stored is not None:
        return _replay(stored, scope)
    with held_commit():
        claim = _claim(key, scope)
        if isinstance(claim, _Found):  # the first request committed meanwhile
            return _replay(claim.stored, scope)
        response = make_response(work())
        if not _done(response):
            undo()  # a refusal changed nothing: keep no key
            return response
        _record(claim, response, page)
        _forget_expired()
        return response  # committed with the work as the block ends


class _Found:
    """The key stored by a concurrent request while this one waited to claim it."""

    def __init__(self, stored: IdempotencyKey):
        self.stored = stored


def _claim(key: str, scope: str) -> "IdempotencyKey | _Found":
    """Insert the key's row; a concurrent request with the key waits here for the first."""
    claim = IdempotencyKey(user_id=current_user.id, key=key, scope=scope, created_at=utcnow())
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError:
        undo()  # the first request committed: answer as it did
        stored = _stored(key)
        if stored is None:  # …and its key expired since: a moment too odd to guess at
            raise InProgress(str(IN_PROGRESS)) from None
        return _Found(stored)
    except OperationalError as error:
        if "locked" not in str(error.orig).lower():
            raise
        # SQLite: the first still holds the write lock after the wait (held_commit rolls back)
        raise InProgress(str(IN_PROGRESS)) from None
    return claim


def _done(response) -> bool:
    """Work was done: an API's 2xx, or a form's redirect onwards."""
    if request.path.startswith("/api/"):
        return 200 <= response.status_code < 300
    return response.status_code in (301, 302, 303)


def _record(claim: IdempotencyKey, response, page: tuple[str, str]) -> None:
    claim.status = response.status_code
    if request.path.startswith("/api/"):
        claim.body = response.get_data(as_text=True)
        record_id = (response.get_json(silent=True) or {}).get("id")
        endpoint, argument = page
        if record_id is not None:
            claim.location = url_for(endpoint, **{argument: record_id})
    else:
        claim.location = response.headers.get("Location", "")[:LOCATION_MAX] or None


def _replay(stored: IdempotencyKey, scope: str):
    """The stored answer: the API's JSON, or (for a form) the page it went on to."""
    if stored.scope != scope:
        message = _("This idempotency key was already used for another request.")
        raise InvalidInput(message, {"idempotency_key": [message]})
    if request.path.startswith("/api/"):
        if stored.body is not None:
            response = current_app.response_class(
                stored.body, status=stored.status, mimetype="application/json"
            )
        else:  # saved through the form: no JSON of it, but where it is
            response = jsonify({"location": stored.location})
        response.headers[REPLAYED] = "true"
        return response
    flash(_("This was already saved; nothing was recorded twice."), "info")
    return redirect(stored.location or url_for("index"))


def _forget_expired() -> None:
    """Delete the user's keys older than IDEMPOTENCY_KEY_DAYS (on every key recorded)."""
    days = current_app.config.get("IDEMPOTENCY_KEY_DAYS", 7)
    db.session.execute(
        sa.delete(IdempotencyKey).where(
            IdempotencyKey.user_id == current_user.id,
            IdempotencyKey.created_at < utcnow() - timedelta(days=days),
        )
    )
