"""The English labels of the campaign codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # CampaignChannel
    _l("Flyer"),
    _l("Social media"),
    _l("Event"),
    _l("Referral program"),
    _l("Other"),
    # a campaign's status on a day (schemas.STATUSES)
    _l("Upcoming"),
    _l("Running"),
    _l("Ended"),
)
