"""Labels of the follow-up enumerations (the `label` filter's message ids), for extraction.

The `label` filter shows a code as `gettext(humanised code)`; listing the labels here puts them
in the catalogue (tests/i18n/test_enums.py checks every code has one).
"""

from flask_babel import lazy_gettext as _l

LABELS = (
    # Channel
    _l("Call"),
    _l("Sms"),
    _l("Whatsapp"),
    _l("Visit"),
    _l("Email"),
    _l("Meeting"),
    # Purpose
    _l("Relationship"),
    _l("Collection"),
    _l("Product offer"),
    _l("Complaint"),
    _l("Monitoring"),
    _l("Document request"),
    _l("Retention"),
    # FollowUpStatus
    _l("Planned"),
    _l("Done"),
    _l("Cancelled"),
    _l("Missed"),
    # Outcome
    _l("Reached"),
    _l("Not reached"),
    _l("Promised to pay"),
    _l("Paid"),
    _l("Refused"),
    _l("Rescheduled"),
    _l("Interested"),
    _l("Not interested"),
    # SuggestionRule
    _l("Dpd 1 30"),
    _l("Dpd 31 90"),
    _l("Dpd over 90"),
    _l("Broken ptp"),
    _l("Deposit maturing"),
    _l("Large withdrawal"),
    # PromiseState
    _l("Pending"),
    _l("Kept"),
    _l("Broken"),
)
