"""Labels of the renewal codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # Kind
    _l("Loan"),
    _l("Deposit"),
    # Basis
    _l("Maturity"),
    _l("Anniversary"),
    # Stage
    _l("To contact"),
    _l("In discussion"),
    _l("Proposed"),
    _l("Closed"),
    # RenewalOutcome
    _l("Renewed"),
    _l("Topped up"),
    _l("Paid off retained"),
    _l("Paid off lost"),
    _l("Rolled over"),
    _l("Withdrawn"),
    # LostReason (and a lost customer whose reason is not recorded)
    _l("Competitor"),
    _l("Pricing"),
    _l("No need"),
    _l("Service"),
    _l("Business closed"),
    _l("Relocated"),
    _l("Other"),
    _l("Not recorded"),
    # SettledBy
    _l("Listing"),
    _l("Officer"),
    # the audit trail: the record and its actions
    _l("Renewalopportunity"),
    _l("Stage"),
    _l("Outcome"),
    _l("Topup allowed"),
    _l("Settle"),
    # the audit history's field names
    _l("Basis"),
    _l("Proposed outcome"),
    _l("Settled by"),
    _l("New facility id"),
    _l("Topup amount"),
)
