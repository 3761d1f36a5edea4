"""Login, password and token forms (rendering and CSRF; rules live in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import AnyOf, DataRequired, EqualTo

from aoapp.common.i18n import LANGUAGE_NAMES, LOCALES


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("This field is required."))]
    )
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("This field is required."))]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("new_password", _l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class TokenForm(FlaskForm):
    """Create a personal API token."""

    name = StringField(_l("Label"), validators=[DataRequired(_l("Give the token a label."))])
    submit = SubmitField(_l("Create token"))


class ConfirmForm(FlaskForm):
    """An empty form carrying only the CSRF token, for POST buttons."""


class LanguageForm(FlaskForm):
    """The header's language switch (one button per language)."""

    locale = StringField(validators=[DataRequired(), AnyOf(LOCALES)])
    next = HiddenField()


class PreferencesForm(FlaskForm):
    """The user's e-mail address, digest time and language (rules: auth.schemas)."""

    email = EmailField(_l("E-mail address"))
    digest_time = StringField(_l("Daily digest at"), render_kw={"inputmode": "decimal"})
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,
    )
