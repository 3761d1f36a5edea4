"""The per-customer analytic workbook: `CustomerReportData` in, `sheets.Workbook` out (pure).

Sheets, in order: Summary (typed facts, funding and the commentary), Facilities (arrears and DPD,
totals as `=SUM()`), Deposits (the accounts held at the period's end: customer/deposits.py), History (12 month-ends, wide: one row per month, three columns per facility, two
line charts below), Interactions (introductions, follow-ups with their promise, complaints; newest
first), Monitoring (visits in the period), Account plan (the current plan as it stands:
customer/account_plan.py) and the monitoring report (Laporan Pemantauan Debitur, a
print-ready form: customer/monitoring.py). `SHEETS` are the sheets' stable keys; the reader sees
their names in the workbook's language (`sheet_names`). Storage and the writer are someone else's
business.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.common.i18n import locale_code
from aoapp.kpis.periods import period_name
from aoapp.reports.commentary import day_text, words
from aoapp.reports.customer import account_plan, deposits, monitoring_xlsx
from aoapp.reports.customer.columns import (
    DEPOSIT_COLUMNS,
    FACILITY_COLUMNS,
    INTERACTION_COLUMNS,
    VISIT_COLUMNS,
)
from aoapp.reports.customer.monitoring import MONITORING_REPORT, monitoring_sheet, sheet_title
from aoapp.reports.customer.summary import summary_facts
from aoapp.reports.sheets import DATE, INT, MONEY, Chart, Column, Sheet, Workbook
from aoapp.reports.storage import slug

# The sheets' stable keys, in order (the English names, and the monitoring report's key).
SHEETS = (
    "Summary",
    "Facilities",
    "Deposits",
    "History",
    "Interactions",
    "Monitoring",
    "Account plan",
    MONITORING_REPORT,
)
KIND_WORDS = {
    "introduction": _l("Introduction"),
    "follow_up": _l("Follow-up"),
    "complaint": _l("Complaint"),
}


def sheet_names() -> dict[str, str]:
    """The sheets' names in the workbook's language, by their stable key (SHEETS)."""
    return {
        "Summary": _("Summary"),
        "Facilities": _("Facilities"),
        "Deposits": _("Deposits"),
        "History": _("History"),
        "Interactions": _("Interactions"),
        "Monitoring": _("Monitoring"),
        "Account plan": _("Account plan"),
        MONITORING_REPORT: sheet_title(),
    }


def _sheet(key: str, **fields) -> Sheet:
    return Sheet(key=key, name=sheet_names()[key], **fields)


def customer_filename(data) -> str:
    """`{period}_{CIF}_{name-slug}.xlsx`: the name a customer's workbook is downloaded as."""
    return download_filename(data.period.code, data.cif, data.name)


def download_filename(period_code: str, cif: str, name: str) -> str:
    """`{period}_{CIF}_{name-slug}.xlsx`, safe on every file system (never a storage path: two
    customers may share it; storage.py keeps files apart by their ids)."""
    cif = re.sub(r"[^A-Za-z0-9-]+", "-", cif).strip("-") or "cif"
    return f"{period_code}_{cif}_{slug(name) or 'customer'}.xlsx"


def _subtitle(data, bank_name: str) -> str:
    return _(
        "%(bank)s · %(branch)s · %(period)s (%(code)s) · as of %(day)s",
        bank=bank_name,
        branch=f"{data.branch_code} {data.branch_name}",
        period=period_name(data.period),
        code=data.period.code,
        day=day_text(data.as_of),
    )


def _title(data, bank_name: str, what: str) -> list[str]:
    return [f"{what} — {data.name} ({data.cif})", _subtitle(data, bank_name)]


def _summary(data, bank_name: str) -> Sheet:
    return _sheet(
        "Summary",
        title=_title(data, bank_name, _("Customer report")),
        facts=summary_facts(data, bank_name),
    )


def _facilities(data, bank_name: str) -> Sheet:
    rows = [
        (
            f.account_no,
            f"{f.product_code} – {f.product_name}",
            f.plafond,
            f.outstanding,
            f.arrears_principal,
            f.arrears_interest,
            f.dpd,
            f.interest_rate,
            f.start_date,
            f.maturity_date,
            f.collectibility,
            f.restructured,
            _("closed %(day)s", day=day_text(f.closed_on))
            if f.closed and f.closed_on
            else words(f.status),
            f.position_date,
        )
        for f in data.facilities
    ]
    return _sheet(
        "Facilities",
        title=_title(data, bank_name, _("Facilities")),
        columns=FACILITY_COLUMNS,
        rows=rows,
        totals=("plafond", "outstanding", "arrears_principal", "arrears_interest"),
        empty_message=_("No facilities in this period."),
    )


def _deposits(data, bank_name: str) -> Sheet:
    return _sheet(
        "Deposits",
        title=_title(data, bank_name, deposits.deposits_title(data)),
        columns=DEPOSIT_COLUMNS,
        rows=deposits.deposit_rows(data),
        totals=("balance", "average_balance"),
        empty_message=deposits.empty_message(data),
    )


def _history(data, bank_name: str) -> Sheet:
    columns = [
        Column("month_end", _("Month end"), DATE),
        Column("total_outstanding", _("Total outstanding"), MONEY),
        Column("max_dpd", _("Max DPD"), INT),
        Column("debtor_kol", _("Debtor Kol"), INT),
    ]
    for index, (_facility_id, account_no) in enumerate(data.history_accounts):
        columns += [
            Column(f"outstanding_{index}", _("%(account)s outstanding", account=account_no), MONEY),
            Column(f"dpd_{index}", _("%(account)s DPD", account=account_no), INT),
            Column(f"kol_{index}", _("%(account)s Kol", account=account_no), INT),
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
            _("Outstanding"),
            "month_end",
            ["total_outstanding", *(f"outstanding_{i}" for i in range(count))],
            "Rp",
            MONEY,
            date_axis=True,
        ),
        Chart(
            "line",
            _("Days past due"),
            "month_end",
            ["max_dpd", *(f"dpd_{i}" for i in range(count))],
            _("Days"),
            date_axis=True,
        ),
    ]
    return _sheet(
        "History",
        title=_title(data, bank_name, _("Month-end history")),
        columns=columns,
        rows=rows,
        charts=charts,
        empty_message=_("No positions in the 12 months up to %(day)s.", day=day_text(data.as_of)),
    )


def _outcome(item) -> str:
    if item.outcome:
        return f"{words(item.status)} – {words(item.outcome)}"
    return words(item.status)


def _interactions(data, bank_name: str) -> Sheet:
    rows = [
        (
            i.day,
            str(KIND_WORDS[i.kind]),
            words(i.channel),
            words(i.subject) if i.kind != "introduction" else i.subject,
            i.account_no,
            _outcome(i),
            i.ptp_amount,
            i.ptp_date,
            words(i.ptp_state) if i.ptp_state else i.ptp_state,
            i.officer,
            i.notes,
        )
        for i in data.interactions
    ]
    return _sheet(
        "Interactions",
        title=_title(data, bank_name, _("Introductions, follow-ups and complaints")),
        columns=INTERACTION_COLUMNS,
        rows=rows,
        empty_message=_("No introductions, follow-ups or complaints in this period."),
    )


def _monitoring(data, bank_name: str) -> Sheet:
    rows = [
        (
            v.visit_date,
            v.officer,
            v.account_no,
            words(v.risk_rating) if v.risk_rating else v.risk_rating,
            v.met_with,
            v.business_condition,
            v.collateral_condition,
            v.collateral_value,
            v.findings,
            v.recommendations,
            v.next_visit_date,
        )
        for v in data.visits
    ]
    return _sheet(
        "Monitoring",
        title=_title(data, bank_name, _("Monitoring visits")),
        columns=VISIT_COLUMNS,
        rows=rows,
        empty_message=_("No monitoring visits in this period."),
    )


def _account_plan(data, bank_name: str) -> Sheet:
    return _sheet(
        "Account plan",
        title=_title(data, bank_name, _("Account plan")),
        facts=account_plan.plan_facts(data),
        columns=account_plan.PLAN_COLUMNS,
        rows=account_plan.plan_rows(data),
        empty_message=account_plan.empty_message(data),
    )


def customer_workbook(data, bank_name: str) -> Workbook:
    """The customer's analytic workbook for the period (no database, no file)."""
    return Workbook(
        sheets=[
            _summary(data, bank_name),
            _facilities(data, bank_name),
            _deposits(data, bank_name),
            _history(data, bank_name),
            _interactions(data, bank_name),
            _monitoring(data, bank_name),
            _account_plan(data, bank_name),
            monitoring_sheet(data, bank_name, render=monitoring_xlsx.write_form),
        ],
        title=f"{data.name} ({data.cif}) – {period_name(data.period)}",
        author=bank_name,
        lang=locale_code(),
        header=(
            bank_name,
            f"{data.branch_code} {data.branch_name}",
            f"{period_name(data.period)} · {data.name} ({data.cif})",
        ),
    )
