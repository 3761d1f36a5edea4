"""Admin forms: rendering and CSRF only; field names equal the schema field names."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField

from aoapp.auth.models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.value.title()) for role in Role]


class UserCreateForm(FlaskForm):
    """Create a user."""

    username = StringField("Username")
    full_name = StringField("Full name")
    role = SelectField("Role", choices=ROLE_CHOICES)
    branch = SelectField("Branch", choices=[], validate_choice=False)
    officer_code = StringField("Officer (AO) code")
    supervises = SelectMultipleField("Supervised branches", choices=[], validate_choice=False)
    password = PasswordField("Initial password")


class UserEditForm(FlaskForm):
    """Change a user's name and supervised branches."""

    full_name = StringField("Full name")
    supervises = SelectMultipleField("Supervised branches", choices=[], validate_choice=False)


class PasswordResetForm(FlaskForm):
    """Set a new password for a user."""

    password = PasswordField("New password")
    confirm = PasswordField("Repeat new password")


class BranchForm(FlaskForm):
    """Create a branch."""

    code = StringField("Code")
    name = StringField("Name")


def set_branch_choices(form, branches) -> None:
    """Offer the branches in the branch selects of a form."""
    options = [SelectChoice(b.code, f"{b.code} · {b.name}") for b in branches]
    if hasattr(form, "branch"):
        form.branch.choices = [SelectChoice("", "—"), *options]
    if hasattr(form, "supervises"):
        form.supervises.choices = options
