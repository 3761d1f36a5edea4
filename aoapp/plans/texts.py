"""The texts account plans write on follow-ups (aoapp.common.system_text): codes and messages."""

from flask_babel import lazy_gettext as _l

from aoapp.common.system_text import register

# The note of a plan's review follow-up.
REVIEW = register(
    "plan.review",
    _l("Account plan review %(year)s: check the goals with the customer and agree the next step."),
)
# The reason when saving the plan moved its review.
REVIEW_MOVED = register("plan.review_moved", _l("The review date was changed on the account plan."))
