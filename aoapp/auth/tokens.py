"""Personal API tokens: created once in plain, stored as a hash, revoked by their owner."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.auth.models import ApiToken, User
from aoapp.common.dates import utcnow
from aoapp.common.transaction import unit_of_work
from aoapp.errors import InvalidInput, NotFound
from aoapp.extensions import db

TOKEN_PREFIX = "aoapp_"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "", actor=None) -> tuple[ApiToken, str]:
    """Create a personal API token; the plain token is returned once and never stored."""
    name = (name or "").strip() or "token"
    if len(name) > 80:
        raise InvalidInput(
            _("Token name too long."), {"name": [_("At most %(num)s characters.", num=80)]}
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_hash_token(plain), prefix=plain[:12])
    with unit_of_work():
        db.session.add(token)
        audit.record(actor or user, token, "create", None, audit.snapshot(token))
    return token, plain


def revoke_token(user: User, token_id: int, actor=None) -> ApiToken:
    """Revoke one of the user's tokens."""
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        with unit_of_work():
            token.revoked_at = utcnow()
            audit.record(actor or user, token, "revoke", None, None)
    return token


def user_for_token(plain: str) -> User | None:
    """The active user owning a valid, unrevoked token, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        with unit_of_work():
            token.last_used_at = now  # coarse, so every request does not write
    return token.user
