"""The portfolio workbook (one officer, one branch or the bank): a pure builder of sheet specs.

`build_portfolio_workbook(data, bank_name)` turns a `PortfolioData` into a `sheets.Workbook`
without touching the database itself; the long tables are the data's streamed generators, which
the writer (`HybridWriter`: RustWriter for them) consumes row by row. The Summary is small
tables stacked one under another, each under its own heading (headline figures, Kol
distribution, aging, Kol migration of facilities and of outstanding), with charts below.
"""

import re
from decimal import Decimal

from flask_babel import gettext as _

from aoapp.common.i18n import locale_code
from aoapp.credit.collectibility import NPL_KOLS
from aoapp.credit.figures import PortfolioScope
from aoapp.kpis.periods import Period, period_name
from aoapp.reports.commentary import day_text, label, tr
from aoapp.reports.portfolio import data as portfolio_data
from aoapp.reports.portfolio.columns import (
    AGING_COLUMNS,
    DELINQUENT_COLUMNS,
    FACILITY_COLUMNS,
    HEADLINE_COLUMNS,
    KOL_COLUMNS,
    OFFICER_COLUMNS,
    OFFICER_KPI_COLUMNS,
    WATCHLIST_COLUMNS,
    migration_columns,
)
from aoapp.reports.portfolio.data import PortfolioData
from aoapp.reports.portfolio.funding import funding_note, funding_sheet
from aoapp.reports.portfolio.renewals import renewals_note, renewals_sheet
from aoapp.reports.portfolio.satisfaction import satisfaction_note, satisfaction_sheet
from aoapp.reports.revisions import revision_text
from aoapp.reports.sheets import (
    INT,
    MONEY,
    Block,
    Chart,
    Column,
    Later,
    Sheet,
    Workbook,
)
from aoapp.targets.achievement import METRICS, Achievement

ONE = Decimal("1.0000")


def sheet_names() -> dict[str, str]:
    """The sheets' names in the workbook's language, by their stable (English) key."""
    return {
        "Summary": _("Summary"),
        "Facilities": _("Facilities"),
        "Watchlist": _("Watchlist"),
        "Delinquent": _("Delinquent"),
        "Officers": _("Officers"),
        "Funding": _("Funding"),
        "Renewals": _("Renewals"),
        "Satisfaction": _("Satisfaction"),
        "Pipeline": _("Pipeline"),
    }


def _words(code: str) -> str:
    """A stored code in words, in the workbook's language: `social_media` → `Social media`."""
    return label(code)


def _title(data: PortfolioData, bank_name: str, what: str, note: str = "") -> list[str]:
    lines = [
        _("%(bank)s · Portfolio report · %(what)s", bank=bank_name, what=what),
        _(
            "%(scope)s · %(period)s · as of %(day)s",
            scope=tr(data.scope.label),
            period=period_name(data.period),
            day=day_text(data.as_of),
        ),
    ]
    return lines + ([note] if note else [])


def _headline(data: PortfolioData) -> list[tuple]:
    f = data.figures
    npl_count = sum(row.count for row in f.kol_distribution if row.kol in NPL_KOLS)
    rows = [
        (
            _("Total portfolio"),
            f.facility_count,
            f.total_outstanding,
            ONE if f.total_outstanding else None,
        ),
        (_("NPL (Kol 3–5)"), npl_count, f.npl_outstanding, f.npl_ratio),
        (_("Loan at Risk"), None, f.lar_outstanding, f.lar_ratio),
    ]
    rows += [(f"PAR {par.days}", None, par.outstanding, par.ratio) for par in f.par]
    rows.append((_("Debtors"), f.debtor_count, None, None))
    return rows


def _migration(data: PortfolioData, field: str) -> list[tuple]:
    """The from × to matrix of `field` (count or outstanding), with row totals and a Total row."""
    m = data.migration
    rows = []
    for from_kol in m.from_kols:
        cells = [getattr(m.cell(from_kol, to_kol), field) for to_kol in m.to_kols]
        name = _("New") if from_kol is None else f"Kol {from_kol}"
        rows.append((name, *cells, getattr(m.row_total(from_kol), field)))
    sums = [sum((row[i] or 0 for row in rows), 0) for i in range(1, len(rows[0]))]
    return [*rows, (_("Total"), *sums)]


def _summary_note(data: PortfolioData) -> str:
    if data.previous is None:
        return _(
            "NPL, Loan at Risk, PAR and aging use the effective (debtor) Kol and DPD on the as-of "
            "date; Kol migration (facilities and outstanding now) no listing in the month before: "
            "every facility counts as new."
        )
    return _(
        "NPL, Loan at Risk, PAR and aging use the effective (debtor) Kol and DPD on the as-of "
        "date; Kol migration (facilities and outstanding now) since the previous month-end "
        "listing, %(day)s.",
        day=day_text(data.previous),
    )


def summary_sheet(data: PortfolioData, bank_name: str) -> Sheet:
    """Headline figures, Kol distribution, aging and Kol migration, one table under another."""
    f = data.figures
    title = _title(data, bank_name, _("Summary"), _summary_note(data))
    revised = revision_text(data.revisions, day_text)
    money_chart = {"y_title": "Rp", "y_kind": MONEY}
    blocks = [
        Block(_("Headline figures"), HEADLINE_COLUMNS, _headline(data)),
        Block(
            _("Kol distribution"),
            KOL_COLUMNS,
            [(k.kol, tr(k.name), k.count, k.outstanding, k.share) for k in f.kol_distribution],
            chart=Chart(
                "column", _("Outstanding by Kol"), "kol_name", ["outstanding"], **money_chart
            ),
        ),
        Block(
            _("Aging"),
            AGING_COLUMNS,
            [(tr(b.label), b.count, b.outstanding, b.share) for b in f.aging],
            chart=Chart(
                "column",
                _("Outstanding by aging bucket"),
                "bucket",
                ["outstanding"],
                **money_chart,
            ),
        ),
        Block(_("Kol migration: facilities"), migration_columns(INT), _migration(data, "count")),
        Block(
            _("Kol migration: outstanding"),
            migration_columns(MONEY),
            _migration(data, "outstanding"),
        ),
    ]
    return Sheet(
        key="Summary",
        name=sheet_names()["Summary"],
        title=title + ([revised] if revised else []),
        blocks=blocks,
    )


def facilities_sheet(title: list[str], rows) -> Sheet:
    """Every facility of the scope with its position on the as-of date (rows streamed)."""
    return Sheet(
        key="Facilities",
        name=sheet_names()["Facilities"],
        title=title,
        columns=FACILITY_COLUMNS,
        rows=rows,
        totals=("plafond", "outstanding"),
        empty_message=_("No facilities in this portfolio on the as-of date."),
        extra={"cells_typed": True},
    )


def _officer_row(row, achieved: Achievement | None, code: str | None) -> tuple:
    kpis = tuple(getattr(row, column.key) for column in OFFICER_KPI_COLUMNS[3:])
    if achieved is None:
        return (code, row.name, row.branch_code, *kpis) + (None,) * (1 + len(METRICS))
    metrics = tuple(m.achievement for m in achieved.metrics)
    return (code, row.name, row.branch_code, *kpis, achieved.overall, *metrics)


def officers_sheet(data: PortfolioData, title: list[str]) -> Sheet:
    """One row per officer: KPIs and target achievement, then a Total row.

    The Total row is written as values, not `=SUM()` formulas: the writer's totals row holds only
    column aggregates, while the team's achievement is a ratio of summed targets and actuals
    (targets/achievement.total_achievement) and its ratios (NPL, conversion) ratios of the sums.
    """
    codes = data.officer_codes
    rows = [
        _officer_row(row, data.achievements.get(row.officer_id), codes.get(row.officer_id))
        for row in data.officers
    ]
    if rows:
        totals = _officer_row(data.officer_totals, data.total_achievement, None)
        rows.append((_("Total"), None, None, *totals[3:]))
    return Sheet(
        key="Officers",
        name=sheet_names()["Officers"],
        title=title,
        columns=OFFICER_COLUMNS,
        rows=rows,
        empty_message=_("No account officer in this portfolio."),
    )


def pipeline_sheet(data: PortfolioData, bank_name: str) -> Sheet:
    """Prospects of the scope's officers by status (rows) and source (columns)."""
    p = data.pipeline
    columns = [Column("status", _("Status"))]
    columns += [Column(source, _words(source), INT) for source in p.sources]
    columns.append(Column("total", _("Total"), INT))
    rows = [
        (_words(status), *(p.count(status, source) for source in p.sources), p.count(status))
        for status in p.statuses
    ]
    note = _(
        "Status on %(day)s (the end of the period) from each prospect's history.",
        day=day_text(p.on),
    )
    return Sheet(
        key="Pipeline",
        name=sheet_names()["Pipeline"],
        title=_title(data, bank_name, _("Prospect pipeline"), note),
        columns=columns,
        rows=rows,
        totals=[c.key for c in columns[1:]],
        charts=(Chart("bar", _("Prospects by status"), "status", ["total"]),),
    )


def _notes(data: PortfolioData) -> dict[str, str]:
    """The one-line explanation under each table's title."""
    judged = day_text(data.judged_on)
    return {
        "facilities": _(
            "Positions on the as-of date; the debtor Kol (one obligor) is the "
            "effective Kol that NPL and the Summary use."
        ),
        "watchlist": _(
            "Accounts with early-warning signals on the as-of listing, one row per account with "
            "all its reasons, by severity (debtor Kol, 5 first) then outstanding, largest "
            "first; promises and follow-ups judged on %(day)s.",
            day=judged,
        ),
        "delinquent": _(
            "Next follow-up: the earliest still planned with the customer (about this facility "
            "or in general). PTP: the facility's latest promise, judged on %(day)s.",
            day=judged,
        ),
        "officers": _(
            "Portfolio on the as-of date; prospects, introductions, follow-ups done and "
            "promises due in the period; overdue follow-ups at the end of the as-of date; "
            "promises judged on %(day)s. Target achievement (monthly reports, empty without a "
            "target): actual ÷ target, the NPL ratio a ceiling (100 %% at or under it); overall = "
            "the mean over the metrics with a target, each at most 100 %%; the Total row sums the "
            "targets and actuals of the officers with a target.",
            day=judged,
        ),
    }


def build_portfolio_workbook(data: PortfolioData, bank_name: str) -> Workbook:
    """The workbook's sheets, in order: Summary, Facilities, Watchlist, Delinquent, Officers,
    Funding, Renewals, Satisfaction, Pipeline."""
    notes = _notes(data)
    # The small sheets are built after the streamed ones are written: their figures are
    # gathered meanwhile (reports/portfolio/data.py).
    sheets = [
        Later("Summary", lambda: summary_sheet(data, bank_name)),
        facilities_sheet(
            _title(data, bank_name, _("Facilities"), notes["facilities"]), data.facilities
        ),
        Sheet(
            key="Watchlist",
            name=sheet_names()["Watchlist"],
            title=_title(data, bank_name, _("Watchlist"), notes["watchlist"]),
            columns=WATCHLIST_COLUMNS,
            rows=data.watchlist,
            empty_message=_("No early-warning signal on the as-of date."),
            extra={"cells_typed": True},
        ),
        Sheet(
            key="Delinquent",
            name=sheet_names()["Delinquent"],
            title=_title(
                data, bank_name, _("Delinquent facilities (DPD > 0)"), notes["delinquent"]
            ),
            columns=DELINQUENT_COLUMNS,
            rows=data.delinquent,
            totals=("outstanding", "arrears"),
            empty_message=_("No facility past due on the as-of date."),
            extra={"cells_typed": True},
        ),
        Later(
            "Officers",
            lambda: officers_sheet(
                data, _title(data, bank_name, _("Account officers"), notes["officers"])
            ),
        ),
        Later(
            "Funding",
            lambda: funding_sheet(
                data.funding,
                _title(data, bank_name, _("Funding and relationship"), funding_note(data.funding)),
            ),
        ),
        Later(
            "Renewals",
            lambda: renewals_sheet(
                data.renewals, _title(data, bank_name, _("Renewals"), renewals_note())
            ),
        ),
        Later("Satisfaction", lambda: _satisfaction(data, bank_name)),
        Later("Pipeline", lambda: pipeline_sheet(data, bank_name)),
    ]
    title = _(
        "Portfolio %(scope)s %(period)s",
        scope=tr(data.scope.label),
        period=period_name(data.period),
    )
    header = (bank_name, tr(data.scope.label), period_name(data.period))
    return Workbook(sheets=sheets, title=title, lang=locale_code(), header=header)


def _satisfaction(data: PortfolioData, bank_name: str) -> Sheet:
    """The Satisfaction sheet: scores of the surveys answered in the period."""
    report = data.satisfaction
    title = _title(data, bank_name, _("Customer satisfaction"), satisfaction_note(report))
    return satisfaction_sheet(report, title)


def portfolio_workbook(scope: PortfolioScope, period: Period, as_of, bank_name: str) -> Workbook:
    """The portfolio workbook of a resolved scope for a period whose last listing is `as_of`."""
    return build_portfolio_workbook(portfolio_data.load_portfolio(scope, period, as_of), bank_name)


def portfolio_filename(scope_slug: str, period: Period) -> str:
    """`portfolio_{period}_{scope}.xlsx`, e.g. portfolio_2026-10_branch-jkt01.xlsx."""
    slug = re.sub(r"[^a-z0-9]+", "-", scope_slug.lower()).strip("-") or "bank"
    return f"portfolio_{period.code}_{slug}.xlsx"
