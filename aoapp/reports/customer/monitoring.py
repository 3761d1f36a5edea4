"""The debtor monitoring report (Laporan Pemantauan Debitur): a print-ready form sheet of the
customer workbook, built from `CustomerReportData` (pure: no database, no writer).

An AO files it per debtor and period: A. the debtor, B. the facilities (plafond, disbursement and
maturity dates, outstanding), C. the arrears (principal and interest, in months and rupiah),
D. the monitoring visits of the period, E. the follow-ups and promises to pay of the period,
F. the officer's assessment, G. the follow-up plan (Rencana Tindak Lanjut: what stood planned
after the period on its judging day — follow-ups, promises falling due, the next visit — with
owner and due date), then the signature blocks: made by the officer who owned the customer at
the period's end (name and AO code), acknowledged by the reviewer or the branch's supervisor of
the period's end (rtl.py, signers.py), and the latest review ("Reviewed by … on …").

The sheet is laid out as blocks (`MonitoringForm`) that `monitoring_xlsx` renders on A4 portrait;
its plain `Sheet` fields (facts, the plan as the table) are what a writer without forms shows.
"""

from decimal import Decimal

from flask_babel import gettext as _

from aoapp.kpis.periods import period_name
from aoapp.reports.commentary import commentary, day_text, tr, words
from aoapp.reports.customer.form_blocks import MonitoringForm, Pairs, Section, Table
from aoapp.reports.customer.rtl import plan_table, signatures
from aoapp.reports.labels import officer_text
from aoapp.reports.sheets import DATE, INT, MONEY, TEXT, Column, Fact, Sheet

MONITORING_REPORT = "monitoring_report"  # the sheet's stable key, whatever its title's language
DAYS_PER_INSTALMENT = 30  # arrears in months: one monthly instalment per 30 days past due
ZERO = Decimal("0.00")


def sheet_title() -> str:
    """The sheet's name in the workbook's language (at most 31 characters)."""
    return _("Monitoring report")[:31]


def arrears_months(dpd: int | None, amount: Decimal | None) -> int:
    """Months in arrears: the monthly instalments unpaid, from the days past due (0 when
    nothing of that part is owed)."""
    if not amount or not dpd:
        return 0
    return -(-dpd // DAYS_PER_INSTALMENT)


def _officer(data) -> str:
    """The officer who owned the customer at the period's end: the one who signs the form."""
    signers = data.signers
    if signers.officer_name is None and signers.officer_code is None:
        return _("Unassigned")
    return officer_text(signers.officer_name, signers.officer_code)


def _debtor(data) -> Pairs:
    return Pairs(
        [
            Fact(_("Debtor"), data.name),
            Fact(_("CIF"), data.cif),
            Fact(_("Customer type"), words(data.customer_type)),
            Fact(_("Segment"), words(data.segment)),
            Fact(_("Customer since"), data.since, DATE),
            Fact(_("Branch"), f"{data.branch_code} – {data.branch_name}"),
            Fact(_("Account officer"), _officer(data)),
            Fact(_("Debtor Kol"), data.kol_text(data.debtor.kol) or _("No position")),
            Fact(_("Position date"), data.debtor.as_of or data.as_of, DATE),
        ]
    )


def _facilities(data) -> Table:
    columns = [
        Column("account_no", _("Account no")),
        Column("product", _("Product")),
        Column("plafond", _("Plafond"), MONEY),
        Column("start_date", _("Disbursement date"), DATE),
        Column("maturity_date", _("Maturity date"), DATE),
        Column("outstanding", _("Outstanding"), MONEY),
        Column("status", _("Status")),
    ]
    rows = [
        (
            f.account_no,
            f"{f.product_code} – {f.product_name}",
            f.plafond,
            f.start_date,
            f.maturity_date,
            f.outstanding,
            words(f.status),
        )
        for f in data.facilities
    ]
    total = None
    if rows:
        total = (_("Total"), "", data.total_plafond, None, None, data.total_outstanding, "")
    return Table(columns, rows, _("No facilities in this period."), total)


def _arrears(data) -> Table:
    columns = [
        Column("account_no", _("Account no")),
        Column("dpd", _("DPD"), INT),
        Column("principal_months", _("Principal arrears (months)"), INT),
        Column("principal", _("Principal arrears"), MONEY),
        Column("interest_months", _("Interest arrears (months)"), INT),
        Column("interest", _("Interest arrears"), MONEY),
        Column("kol", _("Kol"), INT),
    ]
    rows = []
    for f in data.facilities:
        principal, interest = f.arrears_principal or ZERO, f.arrears_interest or ZERO
        rows.append(
            (
                f.account_no,
                f.dpd,
                arrears_months(f.dpd, principal),
                principal,
                arrears_months(f.dpd, interest),
                interest,
                f.facility_kol,
            )
        )
    total = None
    if rows:
        principal = sum((r[3] for r in rows), ZERO)
        interest = sum((r[5] for r in rows), ZERO)
        total = (_("Total"), None, None, principal, None, interest, None)
    return Table(columns, rows, _("No facilities in this period."), total)


def _visits(data) -> Table:
    columns = [
        Column("visit_date", _("Visit date"), DATE),
        Column("officer", _("Officer")),
        Column("facility", _("Facility")),
        Column("met_with", _("Met with")),
        Column("business_condition", _("Business condition")),
        Column("collateral_condition", _("Collateral condition")),
        Column("findings", _("Findings")),
        Column("risk_rating", _("Risk rating")),
    ]
    rows = [
        (
            v.visit_date,
            v.officer,
            v.account_no or "",
            v.met_with,
            v.business_condition,
            v.collateral_condition,
            v.findings,
            words(v.risk_rating),
        )
        for v in sorted(data.visits, key=lambda v: (v.visit_date, v.id))
    ]
    return Table(columns, rows, _("No monitoring visits in this period."))


def _activity(data) -> Table:
    columns = [
        Column("date", _("Date"), DATE),
        Column("type", _("Type")),
        Column("facility", _("Facility")),
        Column("channel", _("Channel / purpose")),
        Column("outcome", _("Outcome / status")),
        Column("amount", _("PTP amount"), MONEY),
        Column("notes", _("Notes")),
    ]
    rows = [
        (
            i.day,
            _("Follow-up"),
            i.account_no or "",
            f"{words(i.channel)} · {words(i.subject)}",
            f"{words(i.status)} – {words(i.outcome)}" if i.outcome else words(i.status),
            i.ptp_amount,
            i.notes,
        )
        for i in data.interactions
        if i.kind == "follow_up"
    ]
    rows += [
        (
            p.promised_date,
            _("Promise to pay due"),
            p.account_no,
            "",
            words(p.state),
            p.amount,
            _("Promised on %(day)s", day=day_text(p.promised_on)),
        )
        for p in data.promises
    ]
    rows.sort(key=lambda row: row[0])
    return Table(columns, rows, _("No follow-ups or promises to pay in this period."))


def _assessment(data) -> Pairs:
    visit = data.latest_visit
    rating = (
        _(
            "%(rating)s (visit of %(day)s)",
            rating=words(visit.risk_rating),
            day=day_text(visit.visit_date),
        )
        if visit
        else _("No monitoring visit yet")
    )
    watch = "; ".join(f"{tr(w.label)} ({w.account_no}): {tr(w.reason)}" for w in data.watchlist)
    return Pairs(
        [
            Fact(_("Latest risk rating"), rating),
            Fact(_("Findings"), visit.findings if visit else ""),
            Fact(_("Recommendations"), visit.recommendations if visit else ""),
            Fact(_("Watchlist"), watch or _("Not on the watchlist")),
            Fact(_("Assessment"), commentary(data)),
        ]
    )


def monitoring_form(data, bank_name: str) -> MonitoringForm:
    """The form's blocks in order, and its printed header and footer."""
    blocks = [
        Section(_("A. Debtor")),
        _debtor(data),
        Section(_("B. Credit facilities")),
        _facilities(data),
        Section(_("C. Arrears")),
        _arrears(data),
        Section(_("D. Monitoring visits in the period")),
        _visits(data),
        Section(_("E. Follow-ups and promises to pay in the period")),
        _activity(data),
        Section(_("F. Officer's assessment")),
        _assessment(data),
        Section(_("G. Follow-up plan (RTL)")),
        plan_table(data),
        signatures(data),
    ]
    header = (bank_name, f"{data.branch_code} {data.branch_name}", period_name(data.period))
    return MonitoringForm(blocks, header)


def monitoring_sheet(data, bank_name: str, render=None) -> Sheet:
    """The monitoring report as a sheet: the form (rendered by `render`, a writer's hook) and,
    for writers without forms, the debtor's facts and the follow-up plan as its table."""
    form = monitoring_form(data, bank_name)
    heading = _("Debtor monitoring report")
    plan = next(b for b in reversed(form.blocks) if isinstance(b, Table))
    signatures = form.blocks[-1]
    facts = [*form.blocks[1].items, *(Fact(_("Review"), line, TEXT) for line in signatures.review)]
    return Sheet(
        key=MONITORING_REPORT,
        name=sheet_title(),
        title=[
            f"{heading} — {data.name} ({data.cif})",
            _(
                "%(bank)s · %(branch)s · %(period)s (%(code)s) · as of %(day)s",
                bank=bank_name,
                branch=f"{data.branch_code} {data.branch_name}",
                period=period_name(data.period),
                code=data.period.code,
                day=day_text(data.as_of),
            ),
        ],
        facts=facts,
        columns=plan.columns,
        rows=plan.rows,
        empty_message=plan.empty,
        extra={"key": MONITORING_REPORT, "form": form, "render": render},
    )
