"""The texts the system writes about surveys (aoapp.common.system_text): the note of the
follow-up a low score plans, rendered in its reader's language."""

from flask_babel import lazy_gettext as _l

from aoapp.common.system_text import register

LOW_SCORE = register(
    "survey.low_score",
    _l(
        "Satisfaction survey (%(reason)s): the customer scored %(score)s of 5. Call them, ask "
        "what went wrong and put it right."
    ),
    reason="label",
    score="number",
)
