"""The columns of the portfolio workbook's tables (headers are unique within a sheet: the
writer keys cells and chart series by header)."""

from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, RATE, RATIO, Column
from aoapp.targets.achievement import METRICS

FACILITY_COLUMNS = (
    Column("account_no", "Account no"),
    Column("cif", "CIF"),
    Column("customer", "Customer"),
    Column("branch", "Branch"),
    Column("officer", "Officer"),
    Column("product", "Product"),
    Column("plafond", "Plafond", MONEY),
    Column("outstanding", "Outstanding", MONEY),
    Column("interest_rate", "Interest rate", RATE),
    Column("start_date", "Start date", DATE),
    Column("maturity_date", "Maturity date", DATE),
    Column("dpd", "DPD", INT),
    Column("facility_kol", "Facility Kol", INT),
    Column("debtor_kol", "Debtor Kol", INT),
    Column("kol_rule", "Kol rule"),
    Column("restructured", "Restructured", BOOL),
)
WATCHLIST_COLUMNS = (
    Column("signal", "Signal"),
    Column("reason", "Reason", width=70),
    Column("signal_date", "Signal date", DATE),
    Column("account_no", "Account no"),
    Column("cif", "CIF"),
    Column("customer", "Customer"),
    Column("officer", "Officer"),
    Column("dpd", "DPD", INT),
    Column("debtor_kol", "Debtor Kol", INT),
    Column("outstanding", "Outstanding", MONEY),
)
DELINQUENT_COLUMNS = (
    Column("account_no", "Account no"),
    Column("cif", "CIF"),
    Column("customer", "Customer"),
    Column("officer", "Officer"),
    Column("product", "Product"),
    Column("outstanding", "Outstanding", MONEY),
    Column("arrears", "Arrears", MONEY),
    Column("dpd", "DPD", INT),
    Column("debtor_kol", "Debtor Kol", INT),
    Column("next_followup", "Next follow-up", DATE),
    Column("followup_channel", "Follow-up channel"),
    Column("followup_purpose", "Follow-up purpose"),
    Column("ptp_made_on", "PTP made on", DATE),
    Column("ptp_date", "PTP date", DATE),
    Column("ptp_amount", "PTP amount", MONEY),
    Column("ptp_state", "PTP state"),
)
OFFICER_KPI_COLUMNS = (
    Column("officer", "Officer"),
    Column("name", "Name"),
    Column("branch", "Branch"),
    Column("debtors", "Debtors", INT),
    Column("facilities", "Facilities", INT),
    Column("outstanding", "Outstanding", MONEY),
    Column("npl_outstanding", "NPL outstanding", MONEY),
    Column("npl_ratio", "NPL ratio", RATIO),
    Column("par30_ratio", "PAR 30", RATIO),
    Column("downgrades", "Downgrades", INT),
    Column("prospects_collected", "Prospects collected", INT),
    Column("prospects_converted", "Prospects converted", INT),
    Column("conversion_rate", "Conversion rate", RATIO),
    Column("introductions", "Introductions", INT),
    Column("followups_done", "Follow-ups done", INT),
    Column("followups_overdue", "Follow-ups overdue", INT),
    Column("ptp_kept", "PTPs kept", INT),
    Column("ptp_broken", "PTPs broken", INT),
    Column("ptp_kept_rate", "PTP kept rate", RATIO),
)
# Target achievement (targets/achievement.py): overall, then one column per metric.
OFFICER_ACHIEVEMENT_COLUMNS = (
    Column("target_achievement", "Target achievement", RATIO),
    *(Column(f"achievement_{m.key}", f"{m.label} achievement", RATIO) for m in METRICS),
)
OFFICER_COLUMNS = OFFICER_KPI_COLUMNS + OFFICER_ACHIEVEMENT_COLUMNS
OFFICER_TOTALS = tuple(
    c.key for c in OFFICER_COLUMNS if c.kind in (INT, MONEY) and c.key != "officer"
)


SUMMARY_GROUPS = (
    (
        Column("figure", "Figure"),
        Column("number", "Number", INT),
        Column("outstanding", "Outstanding", MONEY),
        Column("ratio", "Ratio", RATIO),
    ),
    (
        Column("kol", "Kol", INT),
        Column("kol_name", "Kol name"),
        Column("kol_count", "Kol facilities", INT),
        Column("kol_outstanding", "Kol outstanding", MONEY),
        Column("kol_share", "Kol share", RATIO),
    ),
    (
        Column("bucket", "Aging bucket"),
        Column("bucket_count", "Aging facilities", INT),
        Column("bucket_outstanding", "Aging outstanding", MONEY),
        Column("bucket_share", "Aging share", RATIO),
    ),
    (
        Column("from_kol", "From Kol"),
        *(Column(f"to_kol{k}", f"to Kol {k}", INT) for k in range(1, 6)),
        Column("from_count", "Facilities from", INT),
        *(Column(f"to_kol{k}_outstanding", f"to Kol {k} outstanding", MONEY) for k in range(1, 6)),
        Column("from_outstanding", "Outstanding from", MONEY),
    ),
)
