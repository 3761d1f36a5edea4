"""Users and login with lockout: each function is one unit of work (branches:
auth/branches.py, API tokens: auth/tokens.py)."""

import re
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from aoapp.audit import services as audit
from aoapp.auth.branches import CODE, MAX_NAME_LENGTH, TOO_LONG, branch_by_code
from aoapp.auth.models import ApiToken, Role, User
from aoapp.auth.preferences import clean_email
from aoapp.common.dates import utcnow
from aoapp.common.transaction import unit_of_work
from aoapp.errors import Conflict, InvalidInput, NotFound
from aoapp.extensions import db

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@cache
def _dummy_hash(method: str) -> str:
    """A real hash, made with the method users' passwords have, to compare against when the user
    does not exist, so the time taken does not reveal it."""
    return generate_password_hash("not-a-real-password-at-all", method=method)


def _hash_password(password: str) -> str:
    """Hash with the configured method (scrypt by default; tests use a cheaper one)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_strength(password: str) -> None:
    """Refuse weak passwords with a plain-words reason."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Password too weak."),
            {
                "password": [
                    _("Password must be at least %(num)s characters.", num=MIN_PASSWORD_LENGTH)
                ]
            },
        )


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    full_name: str = "",
    branch_code: str | None = None,
    officer_code: str | None = None,
    supervises: list[str] | tuple[str, ...] = (),
    email: str | None = None,
    actor=None,
) -> User:
    """Create a user after checking role rules, duplicates and password strength."""
    username = (username or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        email = clean_email(email)
    except InvalidInput as error:
        errors.update(error.errors)
    if not _USERNAME.match(username):
        errors["username"] = [_("Use 2–64 lowercase letters, digits, '.', '_' or '-'.")]
    if role not in set(Role):
        errors["role"] = [_("Role must be officer, supervisor or admin.")]
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = [
            _("Password must be at least %(num)s characters.", num=MIN_PASSWORD_LENGTH)
        ]
    officer_code = (officer_code or "").strip().upper() or None
    if role == Role.OFFICER:
        if not branch_code:
            errors["branch"] = [_("An officer must belong to a branch.")]
        if not officer_code:
            errors["officer_code"] = [_("An officer needs the core banking officer (AO) code.")]
    if role == Role.SUPERVISOR and not supervises:
        errors["supervises"] = [_("A supervisor must supervise at least one branch.")]
    if role != Role.SUPERVISOR and supervises:
        errors["supervises"] = [_("Only supervisors supervise branches.")]
    if len((full_name or "").strip()) > MAX_NAME_LENGTH:
        errors["full_name"] = [TOO_LONG]
    if officer_code and not CODE.match(officer_code):
        errors["officer_code"] = [_("Use 1–20 letters, digits, - or _.")]
    if errors:
        raise InvalidInput(_("The user could not be created."), errors)
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(
            _("User %(name)s already exists.", name=username), {"username": [_("Username taken.")]}
        )
    if officer_code and db.session.scalar(
        sa.select(User.id).where(User.officer_code == officer_code)
    ):
        raise Conflict(
            _("Officer code %(code)s is already used.", code=officer_code),
            {"officer_code": [_("Officer code already used by another user.")]},
        )
    with unit_of_work():
        user = User(
            username=username,
            full_name=(full_name or "").strip(),
            role=role,
            officer_code=officer_code,
            email=email,
            password_hash=_hash_password(password),
        )
        if branch_code:
            user.branch = branch_by_code(branch_code)
        user.supervised = [branch_by_code(code, "supervises") for code in dict.fromkeys(supervises)]
        if role == Role.SUPERVISOR and user.branch is None:
            user.branch = user.supervised[0]
        db.session.add(user)
        audit.record(actor, user, "create", None, audit.snapshot(user))
    return user


def update_user(
    user: User, actor, *, full_name=None, active=None, supervises=None, email=False
) -> User:
    """Change a user's name, active flag, supervised branches or e-mail address (admin;
    `email` None clears it, False leaves it)."""
    if email is not False:
        email = clean_email(email)
    if active is False and user.id == getattr(actor, "id", None):
        raise Conflict(_("You cannot deactivate yourself."), {"active": [_("Not on yourself.")]})
    if full_name is not None and len(full_name.strip()) > MAX_NAME_LENGTH:
        raise InvalidInput(_("Full name too long."), {"full_name": [TOO_LONG]})
    if supervises is not None and user.role == Role.SUPERVISOR and not supervises:
        raise InvalidInput(
            _("A supervisor must supervise at least one branch."),
            {"supervises": [_("Pick at least one branch.")]},
        )
    branches = None
    if supervises is not None and user.role == Role.SUPERVISOR:
        branches = [branch_by_code(code, "supervises") for code in dict.fromkeys(supervises)]
    with unit_of_work():
        before = audit.snapshot(user) | {"supervises": sorted(b.code for b in user.supervised)}
        if full_name is not None:
            user.full_name = full_name.strip()
        if active is False and user.active:
            _end_access(user, actor)
        if active is not None:
            user.active = active
        if branches is not None:
            user.supervised = branches
        if email is not False:
            user.email = email
        after = audit.snapshot(user) | {"supervises": sorted(b.code for b in user.supervised)}
        audit.record(actor, user, "update", before, after)
    return user


def _end_access(user: User, actor) -> None:
    """Deactivation ends every session and API token for good: reactivating the user later
    revives none of them (the user logs in again and makes new tokens)."""
    user.end_sessions()
    now = utcnow()
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    for token in tokens:
        token.revoked_at = now
        audit.record(actor, token, "revoke", None, None)


def set_password(user: User, password: str, actor=None) -> None:
    """Replace a user's password (reset by an admin or changed by the user) and unlock it."""
    check_password_strength(password)
    with unit_of_work():
        user.password_hash = _hash_password(password)
        user.failed_login_count = 0
        user.first_failed_login_at = None
        user.locked_until = None
        user.end_sessions()  # sessions opened with the old password end
        audit.record(actor, user, "password_reset", None, None)


@unit_of_work()
def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session cookie issued so far stops working."""
    user.end_sessions()


class LoginRefused(Exception):
    """Login failed; the message is safe to show (generic, or the lockout)."""


def authenticate(username: str, password: str) -> User:
    """Check credentials, counting failures; 5 failures in 15 minutes lock the account."""
    now = utcnow()
    user = db.session.scalar(
        sa.select(User).where(User.username == (username or "").strip().lower())
    )
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        raise LoginRefused(_("Invalid username or password."))
    if user.locked_until and user.locked_until > now:
        check_password_hash(user.password_hash, password or "")  # as long as any refusal
        raise LoginRefused(_("Too many failed attempts. The account is locked; try again later."))
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        # The failure is committed before the login is refused: refusing must not undo the count.
        with unit_of_work():
            locked = _count_failure(user.id, now)
        if locked:
            raise LoginRefused(
                _("Too many failed attempts. The account is locked; try again later.")
            )
        raise LoginRefused(_("Invalid username or password."))
    with unit_of_work():
        user.failed_login_count = 0
        user.first_failed_login_at = None
        user.locked_until = None
        user.last_login_at = now
    return user


def _count_failure(user_id: int, now) -> bool:
    """Count one failed login in the database itself, and lock the account at the limit.

    Two statements that read and write the row at once: simultaneous guesses (other threads,
    other workers) each add one, where reading the count and writing it back lost updates.
    True when this failure locked the account.
    """
    config = current_app.config
    users = User.__table__
    window_start = now - timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    new_window = sa.or_(
        users.c.first_failed_login_at.is_(None), users.c.first_failed_login_at < window_start
    )
    db.session.execute(
        sa.update(users)
        .where(users.c.id == user_id)
        .values(
            failed_login_count=sa.case((new_window, 1), else_=users.c.failed_login_count + 1),
            first_failed_login_at=sa.case(
                (new_window, sa.literal(now, users.c.first_failed_login_at.type)),
                else_=users.c.first_failed_login_at,
            ),
        )
    )
    locking = db.session.execute(
        sa.update(users)
        .where(users.c.id == user_id, users.c.failed_login_count >= config["LOGIN_MAX_FAILURES"])
        .values(
            locked_until=now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"]),
            failed_login_count=0,
            first_failed_login_at=None,
        )
    )
    return locking.rowcount > 0


def set_locale(user: User, locale: str) -> None:
    """The user's language for every page from now on (a preference: not audited)."""
    with unit_of_work():
        user.locale = locale


def get_user(user_id: int) -> User:
    """Load a user or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user
