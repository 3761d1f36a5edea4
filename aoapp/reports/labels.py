"""Labels of the reports' codes (kinds, scopes), for extraction (`label` filter); the
workbooks' enumeration values, translated when a workbook is built (`commentary.label`); and how
reports name an officer."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

KINDS = (_l("Customer"), _l("Portfolio"))
SCOPES = (_l("Customer"), _l("Officer"), _l("Branch"), _l("Bank"))
# Kol movement of a customer's period (customer/data.py's kol_movement).
KOL_MOVEMENTS = (_l("Upgrade"), _l("Downgrade"), _l("Unchanged"))


def officer_text(name: str | None, code: str | None) -> str:
    """An officer as reports show them: `Budi Santoso (AO0012)` — name and AO code, never the
    login."""
    if name and code:
        return f"{name} ({code})"
    return name or code or ""


def officer_label(user) -> sa.ColumnElement:
    """`officer_text` in SQL, for the streamed sheets (NULL without an officer)."""
    name = sa.func.nullif(user.full_name, "")
    return sa.case(
        (name.is_(None), user.officer_code),
        (user.officer_code.is_(None), name),
        else_=name + " (" + user.officer_code + ")",
    )
