"""The API's view of the current user, and the settings users change themselves."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import fields

from aoapp.auth import preferences
from aoapp.auth.models import User
from aoapp.auth.schemas import PreferencesSchema
from aoapp.common.schemas import BaseSchema
from aoapp.common.views import acting_user

users_blp = Blueprint("users_api", __name__, url_prefix="/users", description="Users")


class UserSchema(BaseSchema):
    """A user as the API shows it."""

    class Meta:
        model = User

    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    branch = fields.Function(lambda u: u.branch.code if u.branch else None)
    officer_code = fields.String(allow_none=True)
    supervises = fields.Function(lambda u: sorted(b.code for b in u.supervised))
    email = fields.String(allow_none=True)
    digest_time = fields.Function(
        lambda u: preferences.digest_time_of(u).strftime("%H:%M"),
        metadata={"description": "local time of the daily digest (the bank's when not chosen)"},
    )
    language = fields.Function(preferences.language_of)


@users_blp.route("/me")
class Me(MethodView):
    """The user the bearer token belongs to."""

    decorators = [login_required]

    @users_blp.response(200, UserSchema)
    def get(self):
        """The user the bearer token belongs to."""
        return current_user

    @users_blp.arguments(PreferencesSchema(partial=True), required=False)
    @users_blp.response(200, UserSchema)
    def patch(self, data):
        """Change one's own `email`, `digest_time` (`07:00` or `07.00`; null: the bank's) or
        `language` (`id`, `en`; null: the bank's); only the fields sent change."""
        return preferences.update_preferences(acting_user(), acting_user(), data or {})
