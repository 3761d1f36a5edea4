"""CSV export of a prospect list, safe to open in Excel."""

import csv
import io
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from aoapp.common.i18n import format_datetime
from aoapp.common.identity import display_phone
from aoapp.prospects.models import Prospect

# The column titles, in the language of the user who exports (lazy: translated when written).
HEADER = [
    _l("ID"),
    _l("Name"),
    _l("Phone"),
    _l("Email"),
    _l("NIK"),
    _l("Address"),
    _l("Area"),
    _l("Business type"),
    _l("Estimated credit need"),
    _l("Product interest"),
    _l("Source"),
    _l("Referrer"),
    _l("Campaign"),
    _l("Officer"),
    _l("Branch"),
    _l("Status"),
    _l("Lost reason"),
    _l("Lost note"),
    _l("Next follow-up"),
    _l("Customer CIF"),
    _l("Collected at"),
    _l("Notes"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell as text; one a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(p: Prospect) -> list:
    referrer = p.referrer_customer.name if p.referrer_customer else p.referrer_name
    return [
        p.id,
        p.name,
        display_phone(p.phone),
        p.email,
        p.nik,
        p.address,
        p.area,
        p.business_type,
        p.estimated_credit_need,
        p.product_interest.code if p.product_interest else None,
        p.source,
        referrer,
        p.campaign.name if p.campaign else None,
        p.owner.username,
        p.owner.branch.code if p.owner.branch else None,
        p.status,
        p.lost_reason,
        p.lost_note,
        p.next_follow_up_date.isoformat() if p.next_follow_up_date else None,
        p.customer.cif if p.customer else None,
        format_datetime(p.created_at),
        p.notes,
    ]


def prospects_csv(prospects: Iterable[Prospect]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads names with accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(title) for title in HEADER])
    for prospect in prospects:
        writer.writerow([safe_cell(value) for value in _row(prospect)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
