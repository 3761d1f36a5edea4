"""Follow-ups and promises-to-pay API."""

from flask_smorest import Blueprint

followups_blp = Blueprint(
    "followups_api", __name__, url_prefix="/followups", description="Follow-ups"
)
promises_blp = Blueprint(
    "promises_api", __name__, url_prefix="/promises", description="Promises to pay"
)
