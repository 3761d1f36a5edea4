"""The API's view of the current user."""

from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import fields

from aoapp.auth.models import User
from aoapp.common.schemas import BaseSchema

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


@users_blp.route("/me")
@users_blp.response(200, UserSchema)
@login_required
def me():
    """The user the bearer token belongs to."""
    return current_user
