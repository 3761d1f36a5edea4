"""Labels of the idempotency keys' columns (every model's columns have one: the audit history's
field names, tests/i18n), for extraction."""

from flask_babel import lazy_gettext as _l

FIELDS = (
    _l("Key"),
    _l("Body"),
    _l("Location"),
)
