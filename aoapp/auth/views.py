"""Login, logout and the user's profile (password, API tokens)."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from aoapp.auth import preferences, services, tokens
from aoapp.auth.forms import (
    ConfirmForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PreferencesForm,
    TokenForm,
)
from aoapp.auth.models import ApiToken
from aoapp.auth.schemas import PreferencesSchema
from aoapp.common.collection_window import describe_time
from aoapp.common.forms import apply_domain_error, load_form
from aoapp.common.routing import local_path
from aoapp.common.views import acting_user
from aoapp.errors import DomainError
from aoapp.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    return local_path(target) or url_for("index")


@bp.post("/language")
def set_language():
    """The header's language switch: the user's profile setting (before login: this browser's)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
    return redirect(_safe_next(form.next.data))


def refusal_message() -> str:
    """The one answer to every refused login: a wrong password, an unknown or inactive user and
    a locked account read the same, so the answer never tells whether an account exists."""
    return _(
        "Invalid username or password. After repeated failures an account is locked for a "
        "while; try again later."
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except services.LoginRefused:
            error = refusal_message()
        else:
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    """Log out (POST, with CSRF): this and every other session of the user end."""
    if current_user.is_authenticated:
        services.end_sessions(acting_user())
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    response = redirect(url_for("auth.login"))
    # Nothing of the user stays on the device: the offline copies of pages and the offline queue
    # (the page's own script clears them too, where a browser ignores this header). Not "cache":
    # no page or file of the bank is in the HTTP cache (security.py: no-store), and Chromium
    # sweeps its whole cache for it while the logout's navigation waits, seconds to tens of
    # seconds (crbug.com/40233601).
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.route("/profile", methods=["GET"])
@login_required
def profile():
    """The user's profile: password change and API tokens."""
    return _render_profile()


def _preferences_form() -> PreferencesForm:
    """The settings form as the user's settings stand (the time as the reader writes it)."""
    user = current_user
    data = {
        "email": user.email or "",
        "digest_time": describe_time(preferences.digest_time_of(user)),
        "language": preferences.language_of(user),
    }
    return PreferencesForm(formdata=None, data=data)


def _render_profile(
    new_token: str | None = None,
    password_form=None,
    token_form=None,
    preferences_form=None,
    status=200,
):
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    )
    return (
        render_template(
            "auth/profile.html",
            tokens=list(tokens),
            new_token=new_token,
            password_form=password_form or PasswordChangeForm(),
            token_form=token_form or TokenForm(),
            preferences_form=preferences_form or _preferences_form(),
            confirm_form=ConfirmForm(),
        ),
        status,
    )


@bp.post("/profile/password")
@login_required
def change_password():
    """Change one's own password after re-entering the current one."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("The current password is wrong.")]
        else:
            try:
                services.set_password(current_user, form.new_password.data, actor=current_user)
            except DomainError as error:
                form.new_password.errors = error.errors.get("password", [error.message])
            else:
                login_user(acting_user())  # this session goes on
                flash(_("Password changed."), "success")
                return redirect(url_for("auth.profile"))
    return _render_profile(password_form=form, status=422)


@bp.post("/profile/preferences")
@login_required
def save_preferences():
    """Save one's e-mail address, digest time and language."""
    form = PreferencesForm()
    data = load_form(PreferencesSchema(), form) if form.validate_on_submit() else None
    if data is not None:
        try:
            preferences.update_preferences(acting_user(), acting_user(), data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("auth.profile"))
    return _render_profile(preferences_form=form, status=422)


@bp.post("/profile/tokens")
@login_required
@limiter.limit(lambda: current_app.config["TOKEN_RATE_LIMIT"], key_func=lambda: current_user.id)
def create_token():
    """Create an API token and show it once."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, plain = tokens.create_token(current_user, form.name.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _render_profile(new_token=plain)
    return _render_profile(token_form=form, status=422)


@bp.post("/profile/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's API tokens."""
    form = ConfirmForm()
    if form.validate_on_submit():
        tokens.revoke_token(current_user, token_id)
        flash(_("Token revoked. Programs using it can no longer call the API."), "success")
    return redirect(url_for("auth.profile"))
