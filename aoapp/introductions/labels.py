"""The English labels of the introduction codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # IntroductionPlace
    _l("Client office"),
    _l("Branch"),
    _l("Phone"),
    _l("Online"),
    _l("Event"),
    # IntroductionOutcome
    _l("Interested"),
    _l("Not interested"),
    _l("Needs time"),
    _l("Applied"),
    _l("Already has"),
)
