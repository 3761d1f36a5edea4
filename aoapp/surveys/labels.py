"""Labels of the survey codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # Reason
    _l("Complaint resolved"),
    _l("Visit"),
    _l("Renewal"),
    # Survey.state
    _l("Answered"),
    _l("Expired"),
    _l("Waiting"),
    # Survey columns and answer keys, as the audit history shows them
    _l("Answered at"),
    _l("Complaint id"),
    _l("Expires at"),
    _l("Low score follow up id"),
    _l("Renewal id"),
    _l("Commented"),
)
