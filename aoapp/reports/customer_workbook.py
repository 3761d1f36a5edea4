"""The per-customer analytic workbook: `CustomerReportData` in, `sheets.Workbook` out (pure).

Sheets, in order: Summary (typed facts and the commentary), Facilities (totals as `=SUM()`),
History (12 month-ends, wide: one row per month, three columns per facility, two line charts),
Interactions (introductions, follow-ups with their promise, complaints; newest first) and
Monitoring (visits in the period). Storage and the writer are someone else's business.
"""

import re
import unicodedata

from aoapp.followups.promises import long_date
from aoapp.reports.commentary import words
from aoapp.reports.customer_summary import summary_facts
from aoapp.reports.sheets import (
    BOOL,
    DATE,
    INT,
    MONEY,
    RATE,
    Chart,
    Column,
    Sheet,
    Workbook,
)

SHEETS = ("Summary", "Facilities", "History", "Interactions", "Monitoring")
SLUG_LENGTH = 40
KIND_WORDS = {"introduction": "Introduction", "follow_up": "Follow-up", "complaint": "Complaint"}

FACILITY_COLUMNS = (
    Column("account_no", "Account no"),
    Column("product", "Product"),
    Column("plafond", "Plafond", MONEY),
    Column("outstanding", "Outstanding", MONEY),
    Column("interest_rate", "Interest rate", RATE),
    Column("start_date", "Start date", DATE),
    Column("maturity_date", "Maturity date", DATE),
    Column("dpd", "DPD", INT),
    Column("collectibility", "Collectibility (Kol)", INT),
    Column("restructured", "Restructured", BOOL),
    Column("status", "Status"),
    Column("position_date", "Position date", DATE),
)
INTERACTION_COLUMNS = (
    Column("date", "Date", DATE),
    Column("type", "Type"),
    Column("channel", "Channel / place"),
    Column("subject", "Product / purpose"),
    Column("facility", "Facility"),
    Column("outcome", "Outcome / status"),
    Column("ptp_amount", "PTP amount", MONEY),
    Column("ptp_date", "PTP date", DATE),
    Column("ptp_state", "PTP state"),
    Column("officer", "Officer"),
    Column("notes", "Notes", width=60),
)
VISIT_COLUMNS = (
    Column("visit_date", "Visit date", DATE),
    Column("officer", "Officer"),
    Column("facility", "Facility"),
    Column("risk_rating", "Risk rating"),
    Column("business_condition", "Business condition", width=40),
    Column("collateral_condition", "Collateral condition", width=40),
    Column("collateral_value", "Collateral value", MONEY),
    Column("findings", "Findings", width=50),
    Column("recommendations", "Recommendations", width=50),
    Column("next_visit_date", "Next visit", DATE),
)


def slug(text: str, length: int = SLUG_LENGTH) -> str:
    """Lowercase ASCII words joined by `-` (accents transliterated), at most `length` chars."""
    # Accents come apart (é → e + ◌́) and the marks are dropped; any other character that is
    # not an ASCII letter or digit (dashes, punctuation, other scripts) separates words.
    letters = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")[:length].strip("-")


def customer_filename(data) -> str:
    """`{period}_{CIF}_{name-slug}.xlsx`, safe on every file system."""
    cif = re.sub(r"[^A-Za-z0-9-]+", "-", data.cif).strip("-") or "cif"
    return f"{data.period.code}_{cif}_{slug(data.name) or 'customer'}.xlsx"


def _subtitle(data, bank_name: str) -> str:
    return (
        f"{bank_name} · {data.branch_code} {data.branch_name} · {data.period.label} "
        f"({data.period.code}) · as of {long_date(data.as_of)}"
    )


def _title(data, bank_name: str, what: str) -> list[str]:
    return [f"{what} — {data.name} ({data.cif})", _subtitle(data, bank_name)]


def _summary(data, bank_name: str) -> Sheet:
    return Sheet(
        name="Summary",
        title=_title(data, bank_name, "Customer report"),
        facts=summary_facts(data, bank_name),
    )


def _facilities(data, bank_name: str) -> Sheet:
    rows = [
        (
            f.account_no,
            f"{f.product_code} – {f.product_name}",
            f.plafond,
            f.outstanding,
            f.interest_rate,
            f.start_date,
            f.maturity_date,
            f.dpd,
            f.collectibility,
            f.restructured,
            f"closed {long_date(f.closed_on)}" if f.closed and f.closed_on else f.status,
            f.position_date,
        )
        for f in data.facilities
    ]
    return Sheet(
        name="Facilities",
        title=_title(data, bank_name, "Facilities"),
        columns=FACILITY_COLUMNS,
        rows=rows,
        totals=("plafond", "outstanding"),
        empty_message="No facilities in this period.",
    )


def _history(data, bank_name: str) -> Sheet:
    columns = [
        Column("month_end", "Month end", DATE),
        Column("total_outstanding", "Total outstanding", MONEY),
        Column("max_dpd", "Max DPD", INT),
        Column("debtor_kol", "Debtor Kol", INT),
    ]
    for index, (_facility_id, account_no) in enumerate(data.history_accounts):
        columns += [
            Column(f"outstanding_{index}", f"{account_no} outstanding", MONEY),
            Column(f"dpd_{index}", f"{account_no} DPD", INT),
            Column(f"kol_{index}", f"{account_no} Kol", INT),
        ]
    rows = []
    for month in data.history if data.history_accounts else ():
        row = [month.month_end, month.total_outstanding, month.max_dpd, month.debtor_kol]
        for facility_id, _account_no in data.history_accounts:
            point = month.points.get(facility_id)
            row += [point.outstanding, point.dpd, point.kol] if point else [None, None, None]
        rows.append(tuple(row))
    count = len(data.history_accounts)
    charts = [
        Chart(
            "line",
            "Outstanding",
            "month_end",
            ["total_outstanding", *(f"outstanding_{i}" for i in range(count))],
            "Rp",
        ),
        Chart(
            "line",
            "Days past due",
            "month_end",
            ["max_dpd", *(f"dpd_{i}" for i in range(count))],
            "Days",
        ),
    ]
    return Sheet(
        name="History",
        title=_title(data, bank_name, "Month-end history"),
        columns=columns,
        rows=rows,
        charts=charts,
        empty_message=f"No positions in the 12 months up to {long_date(data.as_of)}.",
    )


def _outcome(item) -> str:
    if item.outcome:
        return f"{words(item.status)} – {words(item.outcome)}"
    return words(item.status)


def _interactions(data, bank_name: str) -> Sheet:
    rows = [
        (
            i.day,
            KIND_WORDS[i.kind],
            words(i.channel),
            words(i.subject) if i.kind != "introduction" else i.subject,
            i.account_no,
            _outcome(i),
            i.ptp_amount,
            i.ptp_date,
            i.ptp_state,
            i.officer,
            i.notes,
        )
        for i in data.interactions
    ]
    return Sheet(
        name="Interactions",
        title=_title(data, bank_name, "Introductions, follow-ups and complaints"),
        columns=INTERACTION_COLUMNS,
        rows=rows,
        empty_message="No introductions, follow-ups or complaints in this period.",
    )


def _monitoring(data, bank_name: str) -> Sheet:
    rows = [
        (
            v.visit_date,
            v.officer,
            v.account_no,
            v.risk_rating,
            v.business_condition,
            v.collateral_condition,
            v.collateral_value,
            v.findings,
            v.recommendations,
            v.next_visit_date,
        )
        for v in data.visits
    ]
    return Sheet(
        name="Monitoring",
        title=_title(data, bank_name, "Monitoring visits"),
        columns=VISIT_COLUMNS,
        rows=rows,
        empty_message="No monitoring visits in this period.",
    )


def customer_workbook(data, bank_name: str) -> Workbook:
    """The customer's analytic workbook for the period (no database, no file)."""
    return Workbook(
        sheets=[
            _summary(data, bank_name),
            _facilities(data, bank_name),
            _history(data, bank_name),
            _interactions(data, bank_name),
            _monitoring(data, bank_name),
        ],
        title=f"{data.name} ({data.cif}) – {data.period.label}",
        author=bank_name,
    )
