"""The English labels of the customer codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # CustomerType
    _l("Individual"),
    _l("Company"),
    # Segment
    _l("Micro"),
    _l("Small"),
    _l("Medium"),
    _l("Corporate"),
    _l("Consumer"),
)
