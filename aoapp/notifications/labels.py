"""Labels of the notification codes and of the columns the audit history may show (`label`)."""

from flask_babel import lazy_gettext as _l

KINDS = (_l("Digest"),)
STATUSES = (_l("Sending"), _l("Sent"), _l("In app"), _l("Skipped empty"), _l("Failed"))
FIELDS = (
    _l("Digest time"),
    _l("Title code"),
    _l("Title params"),
    _l("Body code"),
    _l("Body params"),
    _l("Endpoint"),
    _l("Bank day"),
    _l("Read at"),
    _l("Attempts"),
    _l("Last error"),
    _l("Claimed at"),
    _l("Sent at"),
    _l("Notification id"),
)
