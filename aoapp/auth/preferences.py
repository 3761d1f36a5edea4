"""A user's own settings: the e-mail address the daily digest goes to, its time and the language.

The digest time is a time of day in the user's local time: the time zone of their branch, else
the bank's (BANK_TIMEZONE). People write times as they are used to (`07.00` in Indonesian,
`07:00` in English, `7.00`): each is read.
"""

import re
from datetime import time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.common.collection_window import zone_of
from aoapp.common.i18n import LOCALES, default_locale
from aoapp.common.transaction import unit_of_work
from aoapp.errors import InvalidInput

MAX_EMAIL_LENGTH = 254  # RFC 5321's longest forward path
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\"<>(),;:\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
FIELDS = ("email", "digest_time", "locale")


def clean_email(value: str | None) -> str | None:
    """A plain e-mail address (`name@bank.co.id`), its domain in lower case; blank: none."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_EMAIL_LENGTH or not _EMAIL.match(text):
        message = _("Not a valid e-mail address (e.g. budi@bank.co.id).")
        raise InvalidInput(message, {"email": [message]})
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_clock(text: str) -> time:
    """A time of day written `07:00`, `07.00` or `7.00` (ValueError otherwise)."""
    match = _CLOCK.match((text or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(_("Not a valid time (e.g. 07.00 or 07:00)."))
    return time(int(match[1]), int(match[2]))


def default_digest_time() -> time:
    """The bank's digest time for users who chose none (DIGEST_DEFAULT_TIME, 07:00)."""
    return parse_clock(current_app.config.get("DIGEST_DEFAULT_TIME") or "07:00")


def digest_time_of(user: User) -> time:
    """When the user's digest is due, local time."""
    return user.digest_time or default_digest_time()


def zone_of_user(user: User) -> ZoneInfo:
    """The user's local time zone: their branch's, else the bank's."""
    return zone_of(user.branch.timezone if user.branch is not None else None)


def language_of(user: User) -> str:
    """The language the user reads: their choice, else the bank's."""
    return user.locale if user.locale in LOCALES else default_locale()


def update_preferences(user: User, actor, changes: dict) -> User:
    """Change the user's e-mail address, digest time or language (only the keys given), audited.

    `changes` holds validated values (PreferencesSchema): an e-mail address or None, a time or
    None (the bank's default), a language code or None (the bank's).
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a preference: {sorted(unknown)}")
    if "email" in changes:
        changes = {**changes, "email": clean_email(changes["email"])}
    if changes.get("locale") not in (None, *LOCALES):
        message = _("Choose id or en.")
        raise InvalidInput(message, {"language": [message]})
    with unit_of_work():
        before = audit.snapshot(user)
        for name, value in changes.items():
            setattr(user, name, value)
        audit.record(actor, user, "update", before, audit.snapshot(user))
    return user
