"""Labels of the credit enumerations (the `label` filter's message ids), for extraction.

The `label` filter shows a code as `gettext(humanised code)`; listing the labels here puts them
in the catalogue (tests/i18n/test_enums.py checks every code has one).
"""

from flask_babel import lazy_gettext as _l

LABELS = (
    # FacilityStatus
    _l("Active"),
    _l("Closed"),
    # KolRule
    _l("Dpd"),
    _l("File"),
    _l("Restructure hold"),
    _l("One obligor"),
    # RiskRating
    _l("Strong"),
    _l("Adequate"),
    _l("Weak"),
    _l("Critical"),
)
