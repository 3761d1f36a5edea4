"""Labels of the import codes (status, stage, timed step), for extraction (`label` filter)."""

from flask_babel import lazy_gettext as _l

STATUSES = (_l("Running"), _l("Succeeded"), _l("Rejected"), _l("Failed"))
STAGES = (
    _l("Queued"),
    _l("Reading"),
    _l("Validating"),
    _l("Loading"),
    _l("Staging"),
    _l("Customers"),
    _l("Facilities"),
    _l("Deposit accounts"),
    _l("Positions"),
    _l("One-obligor"),
    _l("Closing"),
    _l("Summary"),
    _l("Done"),
    _l("Interrupted"),
)
