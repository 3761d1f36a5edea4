"""The columns of the customer workbook's tables: Facilities, Deposits, Interactions, Monitoring
(their headers in the workbook's language, their kinds of cell)."""

from flask_babel import lazy_gettext as _l

from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, RATE, Column

FACILITY_COLUMNS = (
    Column("account_no", _l("Account no")),
    Column("product", _l("Product")),
    Column("plafond", _l("Plafond"), MONEY),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("arrears_principal", _l("Arrears principal"), MONEY),
    Column("arrears_interest", _l("Arrears interest"), MONEY),
    Column("dpd", _l("DPD"), INT),
    Column("interest_rate", _l("Interest rate"), RATE),
    Column("start_date", _l("Start date"), DATE),
    Column("maturity_date", _l("Maturity date"), DATE),
    Column("collectibility", _l("Collectibility (Kol)"), INT),
    Column("restructured", _l("Restructured"), BOOL),
    Column("status", _l("Status")),
    Column("position_date", _l("Position date"), DATE),
)
INTERACTION_COLUMNS = (
    Column("date", _l("Date"), DATE),
    Column("type", _l("Type")),
    Column("channel", _l("Channel / place")),
    Column("subject", _l("Product / purpose")),
    Column("facility", _l("Facility")),
    Column("outcome", _l("Outcome / status")),
    Column("ptp_amount", _l("PTP amount"), MONEY),
    Column("ptp_date", _l("PTP date"), DATE),
    Column("ptp_state", _l("PTP state")),
    Column("officer", _l("Officer"), width=24),
    Column("notes", _l("Notes"), width=50),
)
VISIT_COLUMNS = (
    Column("visit_date", _l("Visit date"), DATE),
    Column("officer", _l("Officer"), width=24),
    Column("facility", _l("Facility")),
    Column("risk_rating", _l("Risk rating")),
    Column("met_with", _l("Met with"), width=24),
    Column("business_condition", _l("Business condition"), width=30),
    Column("collateral_condition", _l("Collateral condition"), width=30),
    Column("collateral_value", _l("Collateral value"), MONEY),
    Column("findings", _l("Findings"), width=36),
    Column("recommendations", _l("Recommendations"), width=36),
    Column("next_visit_date", _l("Next visit"), DATE),
)
DEPOSIT_COLUMNS = (
    Column("account_no", _l("Account no")),
    Column("product", _l("Product")),
    Column("deposit_type", _l("Type")),
    Column("balance", _l("Balance"), MONEY),
    Column("average_balance", _l("Average balance"), MONEY),
    Column("interest_rate", _l("Interest rate"), RATE),
    Column("open_date", _l("Open date"), DATE),
    Column("maturity_date", _l("Maturity date"), DATE),
    Column("tenor_months", _l("Tenor months"), INT),
    Column("aro", _l("ARO"), BOOL),
    Column("status", _l("Status")),
)
