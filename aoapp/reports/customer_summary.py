"""The Summary sheet of the customer workbook: its typed facts (identity, credit, activity, the
watchlist and the commentary), and the same facts as text for writers that take text only."""

from dataclasses import replace

from aoapp.common.money import format_idr
from aoapp.credit.services import rule_words
from aoapp.followups.promises import long_date
from aoapp.reports.commentary import commentary, percent, words
from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, RATE, RATIO, TEXT, Fact, Workbook


def _officer(data) -> str:
    if data.officer_id is None:
        return "Unassigned"
    return f"{data.officer_name or data.officer_username} ({data.officer_username})"


def _kol_on(data, kol: int | None, day) -> str:
    if kol is None:
        return "No listing"
    return f"{data.kol_text(kol)} (listing of {long_date(day)})"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{words(key)}: {n}" for key, n in counts.items()) or "None"


def summary_facts(data, bank_name: str) -> list[Fact]:
    """The Summary sheet's facts, typed (money, ratios, dates are real numbers and dates)."""
    debtor, followups, promises = data.debtor, data.followup_counts, data.promise_counts
    rule = rule_words(debtor.rule) or "Not applicable"
    if debtor.rule_account:
        rule += f" (facility {debtor.rule_account})"
    visit = data.latest_visit
    movement = data.kol_movement
    return [
        Fact("Bank", bank_name),
        Fact("Branch", f"{data.branch_code} – {data.branch_name}"),
        Fact("Account officer", _officer(data)),
        Fact("CIF", data.cif),
        Fact("Customer", data.name),
        Fact("Customer type", words(data.customer_type)),
        Fact("Segment", words(data.segment)),
        Fact("Customer since", data.since, DATE),
        Fact("Period", data.period.label),
        Fact("Period code", data.period.code),
        Fact("As of", data.as_of, DATE),
        Fact("Facilities in the period", len(data.facilities), INT),
        Fact("Total plafond", data.total_plafond, MONEY),
        Fact("Total outstanding", data.total_outstanding, MONEY),
        Fact("Utilisation", data.utilisation, RATIO),
        Fact("Debtor Kol", data.kol_text(debtor.kol) or "No position in this period"),
        Fact("Kol decided by", rule),
        Fact("Max DPD", debtor.max_dpd, INT),
        Fact("NPL", data.npl, BOOL),
        Fact("Kol at the start of the period", _kol_on(data, data.kol_start, data.kol_start_date)),
        Fact("Kol at the end of the period", _kol_on(data, debtor.kol, debtor.as_of)),
        Fact("Kol movement", movement.capitalize() if movement else "Not applicable"),
        Fact("Products held", "; ".join(f"{c} – {n}" for c, n in data.products_held) or "None"),
        Fact("Introductions", sum(data.introduction_outcomes.values()), INT),
        Fact("Introduction outcomes", _counts(data.introduction_outcomes)),
        Fact("Follow-ups done", followups["done"], INT),
        Fact("Follow-ups planned", followups["planned"], INT),
        Fact("Follow-ups missed", followups["missed"], INT),
        Fact("Follow-ups cancelled", followups["cancelled"], INT),
        Fact("Promises to pay kept", promises["kept"], INT),
        Fact("Promises to pay broken", promises["broken"], INT),
        Fact("Promises to pay pending", promises["pending"], INT),
        Fact("Promise states judged on", data.judged_on, DATE),
        Fact("Complaints received", data.complaints_received, INT),
        Fact("Complaints open at the end of the period", data.complaints_open, INT),
        Fact("Complaints resolved in the period", data.complaints_resolved, INT),
        Fact("Latest monitoring visit rating", visit.risk_rating if visit else "None"),
        Fact("Latest monitoring visit date", visit.visit_date if visit else None, DATE),
        Fact(
            "Watchlist",
            "; ".join(f"{w.label} ({w.account_no}): {w.reason}" for w in data.watchlist)
            or "Not on the watchlist",
        ),
        Fact("Commentary", commentary(data)),
    ]


def fact_text(fact: Fact) -> str:
    """A fact's value as text for people (`Rp 1.234.567,00`, `61.75 %`, `31 Oct 2026`)."""
    value = fact.value
    if value is None:
        return ""
    if fact.kind == MONEY:
        return format_idr(value, with_cents=True)
    if fact.kind == RATIO:
        return percent(value)
    if fact.kind == RATE:
        return f"{value:.2f} %"
    if fact.kind == DATE:
        return long_date(value)
    if fact.kind == BOOL:
        return "Yes" if value else "No"
    return str(value)


def with_text_facts(workbook: Workbook) -> Workbook:
    """The same workbook with every fact as text, for writers that take text facts only."""
    sheets = [
        replace(sheet, facts=[Fact(f.label, fact_text(f), TEXT) for f in sheet.facts])
        for sheet in workbook.sheets
    ]
    return replace(workbook, sheets=sheets)
