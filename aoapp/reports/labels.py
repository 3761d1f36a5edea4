"""Labels of the reports' codes (kinds, scopes), for extraction (`label` filter); and the
workbooks' enumeration values, translated when a workbook is built (`commentary.label`)."""

from flask_babel import lazy_gettext as _l

KINDS = (_l("Customer"), _l("Portfolio"))
SCOPES = (_l("Customer"), _l("Officer"), _l("Branch"), _l("Bank"))
# Kol movement of a customer's period (customer/data.py's kol_movement).
KOL_MOVEMENTS = (_l("Upgrade"), _l("Downgrade"), _l("Unchanged"))
