"""The words for what a search result is and what it was found by."""

from flask_babel import lazy_gettext as _l

from aoapp.search.services import Kind, Matched

KIND_LABELS = {Kind.CUSTOMER: _l("Customer"), Kind.PROSPECT: _l("Prospect")}
MATCHED_LABELS = {
    Matched.CIF: _l("CIF"),
    Matched.ACCOUNT: _l("Account number"),
    Matched.NIK: _l("NIK"),
    Matched.PHONE: _l("Phone"),
    Matched.NAME: _l("Name"),
}
