"""Branches: their codes, names and time zones (each change one audited unit of work)."""

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import Branch
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Conflict, InvalidInput
from aoapp.extensions import db

MAX_NAME_LENGTH = 120
TOO_LONG = _l("At most %(num)s characters.", num=MAX_NAME_LENGTH)
CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")  # a branch code, and an officer code


def branch_by_code(code: str, field: str = "branch") -> Branch:
    """Find a branch by code or raise InvalidInput naming the field."""
    branch = db.session.scalar(sa.select(Branch).where(Branch.code == code.strip().upper()))
    if branch is None:
        message = _("Unknown branch %(code)r.", code=code)
        raise InvalidInput(message, {field: [message]})
    return branch


def check_timezone(zone: str | None) -> str | None:
    """A branch's time zone: a known IANA name (Asia/Makassar), or None for the bank's."""
    zone = (zone or "").strip()
    if not zone:
        return None
    try:
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        message = _("Unknown time zone %(zone)r (e.g. Asia/Jakarta, Asia/Makassar).", zone=zone)
        raise InvalidInput(message, {"timezone": [message]}) from None
    return zone


def set_branch_timezone(code: str, zone: str | None, actor=None) -> Branch:
    """Set a branch's time zone (None: the bank's), audited."""
    branch = branch_by_code(code, "code")
    zone = check_timezone(zone)
    if zone == branch.timezone:
        return branch
    with unit_of_work():
        before = audit.snapshot(branch)
        branch.timezone = zone
        audit.record(actor, branch, "update", before, audit.snapshot(branch))
    return branch


def create_branch(code: str, name: str, actor=None, timezone: str | None = None) -> Branch:
    """Create a branch with a unique code (and its time zone; None: the bank's)."""
    code = (code or "").strip().upper()
    timezone = check_timezone(timezone)
    name = (name or "").strip()
    if not CODE.match(code):
        raise InvalidInput(
            _("Bad branch code."), {"code": [_("Use 1–20 letters, digits, - or _.")]}
        )
    if not name:
        raise InvalidInput(_("Branch name is required."), {"name": [_("Branch name is required.")]})
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(_("Branch name too long."), {"name": [TOO_LONG]})
    if db.session.scalar(sa.select(Branch.id).where(Branch.code == code)):
        raise Conflict(
            _("Branch %(code)s already exists.", code=code),
            {"code": [_("Branch code already exists.")]},
        )
    with unit_of_work():
        branch = Branch(code=code, name=name, timezone=timezone)
        db.session.add(branch)
        audit.record(actor, branch, "create", None, audit.snapshot(branch))
    return branch
