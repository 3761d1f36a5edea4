"""Labels of the handover codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # CoreStatus
    _l("Pending"),
    _l("Confirmed"),
    _l("Conflict"),
    _l("Reverted"),
    _l("Superseded"),
    # Decision
    _l("Keep"),
    _l("Accept"),
    # the audit trail: the records, their actions and fields
    _l("Handover"),
    _l("Handovercustomer"),
    _l("Accept listing"),
    _l("Keep decision"),
    _l("Accept decision"),
    _l("Listing"),
    _l("From officer id"),
    _l("To officer id"),
    _l("From branch id"),
    _l("To branch id"),
    _l("By id"),
    _l("Handed on"),
    _l("Customer count"),
    _l("Followup count"),
    _l("Complaint count"),
    _l("Plan count"),
    _l("Renewal count"),
    _l("Account count"),
    _l("Change file"),
    _l("Change file sha256"),
    _l("Handover id"),
    _l("Old officer id"),
    _l("New officer id"),
    _l("Core status"),
    _l("Status import id"),
    _l("Listing officer id"),
    _l("Decided by id"),
    _l("Decided at"),
)
