"""Labels of the account plan enumerations (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # GoalKind
    _l("Outstanding at least"),
    _l("Dpk at least"),
    _l("Holds product"),
    _l("Max dpd"),
    _l("Action"),
    # GoalState
    _l("On track"),
    _l("At risk"),
    _l("Met"),
    _l("Missed"),
    # NeedTag
    _l("Working capital"),
    _l("Investment"),
    _l("Payroll"),
    _l("Education"),
    _l("Housing"),
    _l("Vehicle"),
    _l("Savings"),
    _l("Cash management"),
    # Audited fields (the audit history's names of the plan's columns)
    _l("Year"),
    _l("Need tags"),
    _l("Review months"),
    _l("Next review date"),
    _l("Last reviewed on"),
    _l("Review follow up id"),
    _l("Updated by id"),
    _l("Plan id"),
    _l("Position"),
    _l("Text"),
    _l("Author id"),
)
