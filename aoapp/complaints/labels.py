"""The English labels of the complaint codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # ReceivedChannel
    _l("Branch"),
    _l("Call"),
    _l("Sms"),
    _l("Whatsapp"),
    _l("Email"),
    _l("Letter"),
    _l("Visit"),
    _l("Social media"),
    # Category
    _l("Billing"),
    _l("Interest rate"),
    _l("Service"),
    _l("Collection conduct"),
    _l("Product"),
    _l("Data"),
    _l("Other"),
    # Priority
    _l("Low"),
    _l("Normal"),
    _l("High"),
    _l("Urgent"),
    # ComplaintStatus
    _l("Open"),
    _l("In progress"),
    _l("Escalated"),
    _l("Resolved"),
    _l("Closed"),
    # the timeline's steps (pages.timeline)
    _l("Received"),
    _l("Handed back"),
)
