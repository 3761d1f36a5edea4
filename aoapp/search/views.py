"""The search results page: what the header's box finds, without the script, up to 50."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from aoapp.common.forms import load_filters
from aoapp.search import services
from aoapp.search.labels import KIND_LABELS, MATCHED_LABELS
from aoapp.search.matching import MIN_LENGTH
from aoapp.search.schemas import SearchArgsSchema

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("")
@login_required
def results():
    """The customers and prospects the user may see for `q`, best first."""
    args = load_filters(SearchArgsSchema(only=("q",)))
    text = args.get("q", "")
    items = services.search(current_user, text, limit=services.PAGE_LIMIT)
    return render_template(
        "search/results.html",
        q=text,
        items=items,
        too_short=len(text) < MIN_LENGTH,
        kind_labels=KIND_LABELS,
        matched_labels=MATCHED_LABELS,
    )
