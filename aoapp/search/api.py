"""Search API: the customers and prospects the caller may see for a typed text (the header's
list reads it with the session cookie, as the pages' scripts do)."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.search import services
from aoapp.search.schemas import SearchAnswerSchema, SearchArgsSchema

search_blp = Blueprint("search_api", __name__, url_prefix="/search", description="Search")


@search_blp.route("")
class Search(MethodView):
    """Customers and prospects by name, CIF, account number, NIK or phone."""

    decorators = [login_required]

    @search_blp.arguments(SearchArgsSchema, location="query", unknown=RAISE)
    @search_blp.response(200, SearchAnswerSchema)
    def get(self, args):
        """Search: exact numbers first, then numbers starting with the text, then names."""
        items = services.search(current_user, args["q"], limit=args["limit"])
        return {"q": args["q"], "items": items}
