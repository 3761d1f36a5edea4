"""Login, password and token forms (rendering and CSRF; rules live in the services)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, EqualTo

from aoapp.common.i18n import LOCALES


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired("Enter your username.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    submit = SubmitField("Log in")


class PasswordChangeForm(FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat new password", validators=[EqualTo("new_password", "The passwords differ.")]
    )
    submit = SubmitField("Change password")


class TokenForm(FlaskForm):
    """Create a personal API token."""

    name = StringField("Label", validators=[DataRequired("Give the token a label.")])
    submit = SubmitField("Create token")


class ConfirmForm(FlaskForm):
    """An empty form carrying only the CSRF token, for POST buttons."""


class LanguageForm(FlaskForm):
    """The header's language switch (one button per language)."""

    locale = StringField(validators=[DataRequired(), AnyOf(LOCALES)])
    next = HiddenField()
