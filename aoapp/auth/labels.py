"""Labels of the user codes, for extraction (shown through the `label` filter)."""

from flask_babel import lazy_gettext as _l

ROLES = (_l("Officer"), _l("Supervisor"), _l("Admin"))
