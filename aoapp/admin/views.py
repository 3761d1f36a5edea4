"""Admin pages: the admin's home, users (create, edit, activate, reset password) and branches.
Admins only."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from aoapp.admin import services as queries
from aoapp.admin.forms import (
    BranchForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
    set_branch_choices,
)
from aoapp.admin.home import admin_home
from aoapp.admin.schemas import (
    BranchSchema,
    PasswordResetSchema,
    UserCreateSchema,
    UserFilterSchema,
    UserUpdateSchema,
)
from aoapp.auth import branches as branch_services
from aoapp.auth import services
from aoapp.auth.forms import ConfirmForm
from aoapp.auth.models import Role
from aoapp.common.forms import apply_domain_error, load_filters, load_form
from aoapp.common.views import acting_user
from aoapp.errors import DomainError

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    """Only admins see these pages; for anyone else they do not exist."""
    if not current_user.is_admin:
        abort(404)


@bp.get("/")
def home():
    """The admin's home: the listings' freshness, the latest imports, accounts to look at."""
    return render_template("admin/home.html", h=admin_home(acting_user()))


@bp.get("/users")
def users():
    """Users list, filtered by role, branch and status."""
    filters = load_filters(UserFilterSchema())
    page = queries.list_users(current_user, filters)
    return render_template(
        "admin/users.html",
        page=page,
        filters=filters,
        roles=[r.value for r in Role],
        branches=queries.all_branches(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    """Create a user with an initial password."""
    form = UserCreateForm()
    set_branch_choices(form, queries.all_branches())
    if request.method == "POST":
        data = load_form(UserCreateSchema(), form)
        if data is not None:
            try:
                user = services.create_user(
                    data["username"],
                    data["password"],
                    data["role"],
                    full_name=data["full_name"],
                    branch_code=data["branch"],
                    officer_code=data["officer_code"],
                    supervises=data["supervises"],
                    email=data["email"],
                    actor=current_user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("User %(name)s created.", name=user.username), "success")
                return redirect(url_for("admin.user", user_id=user.id))
        return render_template("admin/user_new.html", form=form), 422
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    """A user's details; POST saves the full name and supervised branches."""
    target = services.get_user(user_id)
    form = UserEditForm(data=_edit_data(target))
    set_branch_choices(form, queries.all_branches())
    status = 200
    if request.method == "POST":
        data = load_form(UserUpdateSchema(), form)
        if data is not None:
            supervises = data["supervises"] if target.role == Role.SUPERVISOR else None
            try:
                services.update_user(
                    target,
                    current_user,
                    full_name=data["full_name"],
                    supervises=supervises,
                    email=data.get("email", False),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("Changes saved."), "success")
                return redirect(url_for("admin.user", user_id=target.id))
        status = 422
    return _render_user(target, form, status=status)


def _edit_data(target) -> dict:
    """The edit form's fields as the user stands."""
    return {
        "full_name": target.full_name,
        "email": target.email or "",
        "supervises": [b.code for b in target.supervised],
    }


def _render_user(target, form, password_form=None, status=200):
    return (
        render_template(
            "admin/user.html",
            user=target,
            form=form,
            password_form=password_form or PasswordResetForm(formdata=None),
            confirm_form=ConfirmForm(),
        ),
        status,
    )


@bp.post("/users/<id:user_id>/deactivate")
def deactivate_user(user_id: int):
    """Deactivate a user: no more logins or API calls (never oneself)."""
    return _set_active(user_id, False)


@bp.post("/users/<id:user_id>/activate")
def activate_user(user_id: int):
    """Reactivate a user."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    target = services.get_user(user_id)
    try:
        services.update_user(target, current_user, active=active)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        if active:
            flash(_("User %(name)s reactivated.", name=target.username), "success")
        else:
            flash(_("User %(name)s deactivated.", name=target.username), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<id:user_id>/password")
def reset_password(user_id: int):
    """Set a new password for a user (and lift a lockout)."""
    target = services.get_user(user_id)
    form = PasswordResetForm()
    data = load_form(PasswordResetSchema(), form)
    if data is not None:
        try:
            services.set_password(target, data["password"], actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "Password of %(name)s reset. Tell them the new one safely.",
                    name=target.username,
                ),
                "success",
            )
            return redirect(url_for("admin.user", user_id=target.id))
    edit_form = UserEditForm(formdata=None, data=_edit_data(target))
    set_branch_choices(edit_form, queries.all_branches())
    return _render_user(target, edit_form, password_form=form, status=422)


@bp.route("/branches", methods=["GET", "POST"])
def branches():
    """Branches list, and the form to create one."""
    form = BranchForm()
    status = 200
    if request.method == "POST":
        data = load_form(BranchSchema(), form)
        if data is not None:
            try:
                branch = branch_services.create_branch(
                    data["code"], data["name"], actor=current_user, timezone=data["timezone"]
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("Branch %(code)s created.", code=branch.code), "success")
                return redirect(url_for("admin.branches"))
        status = 422
    return (
        render_template("admin/branches.html", rows=queries.branches_with_counts(), form=form),
        status,
    )
