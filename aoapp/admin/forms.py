"""Admin forms: rendering and CSRF only; field names equal the schema field names."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)

from aoapp.auth.models import Role

ROLE_CHOICES = [SelectChoice(role.value, _l(role.value.title())) for role in Role]


class UserCreateForm(FlaskForm):
    """Create a user."""

    username = StringField(_l("Username"))
    full_name = StringField(_l("Full name"))
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    branch = SelectField(_l("Branch"), choices=[], validate_choice=False)
    officer_code = StringField(_l("Officer (AO) code"))
    supervises = SelectMultipleField(_l("Supervised branches"), choices=[], validate_choice=False)
    email = EmailField(_l("E-mail address"))
    password = PasswordField(_l("Initial password"))


class UserEditForm(FlaskForm):
    """Change a user's name, e-mail address and supervised branches."""

    full_name = StringField(_l("Full name"))
    email = EmailField(_l("E-mail address"))
    supervises = SelectMultipleField(_l("Supervised branches"), choices=[], validate_choice=False)


class PasswordResetForm(FlaskForm):
    """Set a new password for a user."""

    password = PasswordField(_l("New password"))
    confirm = PasswordField(_l("Repeat new password"))


# Indonesia's three zones; the collection window of a branch's customers is its local time.
TIMEZONE_CHOICES = [
    SelectChoice("", _l("The bank's time zone")),
    SelectChoice("Asia/Jakarta", _l("WIB (Asia/Jakarta)")),
    SelectChoice("Asia/Makassar", _l("WITA (Asia/Makassar)")),
    SelectChoice("Asia/Jayapura", _l("WIT (Asia/Jayapura)")),
]


class BranchForm(FlaskForm):
    """Create a branch."""

    code = StringField(_l("Code"))
    name = StringField(_l("Name"))
    timezone = SelectField(_l("Time zone"), choices=TIMEZONE_CHOICES, validate_choice=False)


def set_branch_choices(form, branches) -> None:
    """Offer the branches in the branch selects of a form."""
    options = [SelectChoice(b.code, f"{b.code} · {b.name}") for b in branches]
    if hasattr(form, "branch"):
        form.branch.choices = [SelectChoice("", "—"), *options]
    if hasattr(form, "supervises"):
        form.supervises.choices = options
