"""The columns of the portfolio workbook's tables (headers are unique within a sheet: the
writer keys cells and chart series by header)."""

from flask_babel import lazy_gettext as _l

from aoapp.kpis import figures
from aoapp.kpis.figures import TABLE_FIGURES
from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, NUMBER, RATE, RATIO, Column
from aoapp.targets.achievement import METRICS

# How an officer figure's cell is typed (and so formatted, per language: sheets.FORMATS).
FIGURE_KINDS = {
    figures.COUNT: INT,
    figures.AMOUNT: MONEY,
    figures.RATIO: RATIO,
    figures.AVERAGE: NUMBER,
}

FACILITY_COLUMNS = (
    Column("account_no", _l("Account no")),
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("branch", _l("Branch")),
    Column("officer", _l("Officer")),
    Column("product", _l("Product")),
    Column("plafond", _l("Plafond"), MONEY),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("interest_rate", _l("Interest rate"), RATE),
    Column("start_date", _l("Start date"), DATE),
    Column("maturity_date", _l("Maturity date"), DATE),
    Column("dpd", _l("DPD"), INT),
    Column("facility_kol", _l("Facility Kol"), INT),
    Column("debtor_kol", _l("Debtor Kol"), INT),
    Column("kol_rule", _l("Kol rule")),
    Column("restructured", _l("Restructured"), BOOL),
)
# One row per account, by severity (debtor Kol) then exposure (outstanding), as the page.
WATCHLIST_COLUMNS = (
    Column("account_no", _l("Account no")),
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("officer", _l("Officer")),
    Column("debtor_kol", _l("Debtor Kol"), INT),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("dpd", _l("DPD"), INT),
    Column("signals", _l("Signals"), width=30),
    Column("reasons", _l("Reasons"), width=90),
    Column("signal_date", _l("Latest signal"), DATE),
)
DELINQUENT_COLUMNS = (
    Column("account_no", _l("Account no")),
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("officer", _l("Officer")),
    Column("product", _l("Product")),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("arrears", _l("Arrears"), MONEY),
    Column("dpd", _l("DPD"), INT),
    Column("debtor_kol", _l("Debtor Kol"), INT),
    Column("next_followup", _l("Next follow-up"), DATE),
    Column("followup_channel", _l("Follow-up channel")),
    Column("followup_purpose", _l("Follow-up purpose")),
    Column("ptp_made_on", _l("PTP made on"), DATE),
    Column("ptp_date", _l("PTP date"), DATE),
    Column("ptp_amount", _l("PTP amount"), MONEY),
    Column("ptp_state", _l("PTP state")),
)
# Who the officer is, then one column per KPI of kpis/figures.py (its label, its cell kind).
OFFICER_KPI_COLUMNS = (
    Column("officer", _l("AO code")),
    Column("name", _l("Name")),
    Column("branch", _l("Branch")),
    *(Column(f.key, f.label, FIGURE_KINDS[f.kind]) for f in TABLE_FIGURES),
)
# Target achievement (targets/achievement.py): overall, then one column per metric.
OFFICER_ACHIEVEMENT_COLUMNS = (
    Column("target_achievement", _l("Target achievement"), RATIO),
    *(
        Column(f"achievement_{m.key}", _l("%(metric)s achievement", metric=m.label), RATIO)
        for m in METRICS
    ),
)
OFFICER_COLUMNS = OFFICER_KPI_COLUMNS + OFFICER_ACHIEVEMENT_COLUMNS
OFFICER_TOTALS = tuple(
    c.key for c in OFFICER_COLUMNS if c.kind in (INT, MONEY) and c.key != "officer"
)


# The Summary's stacked tables (each under its own heading): headline figures, Kol distribution,
# aging, and the Kol migration twice (facilities, then outstanding) as from × to matrices.
HEADLINE_COLUMNS = (
    Column("figure", _l("Figure")),
    Column("number", _l("Number"), INT),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("ratio", _l("Ratio"), RATIO),
)
KOL_COLUMNS = (
    Column("kol", _l("Kol"), INT),
    Column("kol_name", _l("Kol name")),
    Column("count", _l("Facilities"), INT),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("share", _l("Share"), RATIO),
)
AGING_COLUMNS = (
    Column("bucket", _l("Aging bucket")),
    Column("count", _l("Facilities"), INT),
    Column("outstanding", _l("Outstanding"), MONEY),
    Column("share", _l("Share"), RATIO),
)


def migration_columns(kind: str) -> tuple[Column, ...]:
    """From Kol, to Kol 1 … 5 and the row's total, cells of `kind` (facilities or money)."""
    return (
        Column("from_kol", _l("From Kol")),
        *(Column(f"to_kol{k}", _l("to Kol %(kol)s", kol=k), kind) for k in range(1, 6)),
        Column("total", _l("Total"), kind),
    )
