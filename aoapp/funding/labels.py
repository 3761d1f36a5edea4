"""The English labels of the funding codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # DepositStatus
    _l("Active"),
    _l("Dormant"),
    _l("Blocked"),
    _l("Closed"),
)
