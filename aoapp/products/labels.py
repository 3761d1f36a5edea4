"""The English labels of the product codes (the `label` filter's message ids), for extraction."""

from flask_babel import lazy_gettext as _l

LABELS = (
    # ProductKind
    _l("Credit"),
    _l("Deposit"),
    _l("Service"),
    # CreditSubtype
    _l("Working capital"),
    _l("Investment"),
    _l("Kur"),
    _l("Mortgage"),
    _l("Vehicle"),
    _l("Personal"),
    # DepositType
    _l("Giro"),
    _l("Tabungan"),
    _l("Deposito"),
)
