"""The Summary sheet of the customer workbook: its typed facts (identity, credit, funding,
activity, the watchlist and the commentary), and the same facts as text for writers that take text only."""

from dataclasses import replace

from flask_babel import gettext as _

from aoapp.credit.services import rule_words
from aoapp.kpis.periods import period_name
from aoapp.reports.commentary import (
    commentary,
    day_text,
    label,
    money_text,
    percent,
    tr,
    words,
)
from aoapp.reports.customer.deposits import funding_facts
from aoapp.reports.labels import officer_text
from aoapp.reports.revisions import revision_text
from aoapp.reports.sheets import BOOL, DATE, INT, MONEY, RATE, RATIO, TEXT, Fact, Workbook


def _officer(data) -> str:
    if data.officer_id is None:
        return _("Unassigned")
    return officer_text(data.officer_name, data.officer_code)


def _kol_on(data, kol: int | None, day) -> str:
    if kol is None:
        return _("No listing")
    return _("%(kol)s (listing of %(day)s)", kol=data.kol_text(kol), day=day_text(day))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{words(key)}: {n}" for key, n in counts.items()) or _("None")


def summary_facts(data, bank_name: str) -> list[Fact]:
    """The Summary sheet's facts, typed (money, ratios, dates are real numbers and dates)."""
    debtor, followups, promises = data.debtor, data.followup_counts, data.promise_counts
    rule = tr(rule_words(debtor.rule)) or _("Not applicable")
    if debtor.rule_account:
        rule = _("%(rule)s (facility %(account)s)", rule=rule, account=debtor.rule_account)
    visit = data.latest_visit
    movement = data.kol_movement
    return [
        Fact(_("Bank"), bank_name),
        Fact(_("Branch"), f"{data.branch_code} – {data.branch_name}"),
        Fact(_("Account officer"), _officer(data)),
        Fact(_("CIF"), data.cif),
        Fact(_("Customer"), data.name),
        Fact(_("Customer type"), words(data.customer_type)),
        Fact(_("Segment"), words(data.segment)),
        Fact(_("Customer since"), data.since, DATE),
        Fact(_("Period"), period_name(data.period)),
        Fact(_("Period code"), data.period.code),
        Fact(_("As of"), data.as_of, DATE),
        Fact(_("Revised"), revision_text(data.revisions, day_text) or _("No")),
        Fact(_("Facilities in the period"), len(data.facilities), INT),
        Fact(_("Total plafond"), data.total_plafond, MONEY),
        Fact(_("Total outstanding"), data.total_outstanding, MONEY),
        Fact(_("Utilisation"), data.utilisation, RATIO),
        Fact(_("Debtor Kol"), data.kol_text(debtor.kol) or _("No position in this period")),
        Fact(_("Kol decided by"), rule),
        Fact(_("Max DPD"), debtor.max_dpd, INT),
        Fact(_("NPL"), data.npl, BOOL),
        Fact(
            _("Kol at the start of the period"),
            _kol_on(data, data.kol_start, data.kol_start_date),
        ),
        Fact(_("Kol at the end of the period"), _kol_on(data, debtor.kol, debtor.as_of)),
        Fact(_("Kol movement"), label(movement) if movement else _("Not applicable")),
        *funding_facts(data),
        Fact(
            _("Products held"),
            "; ".join(f"{c} – {n}" for c, n in data.products_held) or _("None"),
        ),
        Fact(_("Introductions"), sum(data.introduction_outcomes.values()), INT),
        Fact(_("Introduction outcomes"), _counts(data.introduction_outcomes)),
        Fact(_("Follow-ups done"), followups["done"], INT),
        Fact(_("Follow-ups planned"), followups["planned"], INT),
        Fact(_("Follow-ups missed"), followups["missed"], INT),
        Fact(_("Follow-ups cancelled"), followups["cancelled"], INT),
        Fact(_("Promises to pay kept"), promises["kept"], INT),
        Fact(_("Promises to pay broken"), promises["broken"], INT),
        Fact(_("Promises to pay pending"), promises["pending"], INT),
        Fact(_("Promise states judged on"), data.judged_on, DATE),
        Fact(_("Complaints received"), data.complaints_received, INT),
        Fact(_("Complaints open at the end of the period"), data.complaints_open, INT),
        Fact(_("Complaints resolved in the period"), data.complaints_resolved, INT),
        Fact(
            _("Latest monitoring visit rating"),
            words(visit.risk_rating) if visit else _("None"),
        ),
        Fact(_("Latest monitoring visit date"), visit.visit_date if visit else None, DATE),
        Fact(
            _("Watchlist"),
            "; ".join(f"{tr(w.label)} ({w.account_no}): {tr(w.reason)}" for w in data.watchlist)
            or _("Not on the watchlist"),
        ),
        Fact(_("Commentary"), commentary(data)),
    ]


def fact_text(fact: Fact) -> str:
    """A fact's value as text for people (`Rp 1.234.567,00`, `61.75 %`, `31 Oct 2026`)."""
    value = fact.value
    if value is None:
        return ""
    if fact.kind == MONEY:
        return money_text(value, with_cents=True)
    if fact.kind == RATIO:
        return percent(value)
    if fact.kind == RATE:
        return f"{value:.2f} %"
    if fact.kind == DATE:
        return day_text(value)
    if fact.kind == BOOL:
        return _("Yes") if value else _("No")
    return str(value)


def with_text_facts(workbook: Workbook) -> Workbook:
    """The same workbook with every fact as text, for writers that take text facts only."""
    sheets = [
        replace(sheet, facts=[Fact(f.label, fact_text(f), TEXT) for f in sheet.facts])
        for sheet in workbook.sheets
    ]
    return replace(workbook, sheets=sheets)
