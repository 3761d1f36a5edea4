"""The English labels of the prospect codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # ProspectSource
    _l("Flyer"),
    _l("Social media"),
    _l("Referral"),
    _l("Walk in"),
    _l("Event"),
    _l("Existing customer"),
    _l("Other"),
    # ProspectStatus
    _l("New"),
    _l("Contacted"),
    _l("Interested"),
    _l("Applied"),
    _l("Won"),
    _l("Rejected"),
    _l("Lost"),
    # LostReason
    _l("Not interested"),
    _l("Rate too high"),
    _l("No collateral"),
    _l("Not eligible"),
    _l("Chose competitor"),
    _l("Unreachable"),
    _l("Rude refusal"),
    # follow-up due filter (FOLLOW_UP_DUE)
    _l("Overdue"),
    _l("Today"),
    _l("This week"),
)
