"""The portfolio workbook (one officer, one branch or the bank): a pure builder of sheet specs.

`build_portfolio_workbook(data, bank_name)` turns a `PortfolioData` into a `sheets.Workbook`
without touching the database itself; the long tables are the data's streamed generators, which
the writer (`RustWriter`) consumes row by row. RustWriter writes facts only as text, so every
number lives in a table: the Summary is one table of side-by-side column groups (headline
figures, Kol distribution, aging, Kol migration) whose charts use whole columns.
"""

import re
from decimal import Decimal

from aoapp.credit.collectibility import NPL_KOLS
from aoapp.credit.figures import PortfolioScope
from aoapp.followups.promises import long_date
from aoapp.reports import portfolio_data
from aoapp.reports.periods import Period
from aoapp.reports.portfolio_columns import (
    DELINQUENT_COLUMNS,
    FACILITY_COLUMNS,
    OFFICER_COLUMNS,
    OFFICER_KPI_COLUMNS,
    SUMMARY_GROUPS,
    WATCHLIST_COLUMNS,
)
from aoapp.reports.portfolio_data import PortfolioData
from aoapp.reports.sheets import (
    INT,
    Chart,
    Column,
    Sheet,
    Workbook,
)
from aoapp.targets.achievement import METRICS, Achievement

SUMMARY_ROWS = 7  # the longest column group (aging buckets, headline figures)
ONE = Decimal("1.0000")


def _words(code: str) -> str:
    """A stored code in words: `social_media` → `Social media`."""
    return code.replace("_", " ").capitalize()


def _title(data: PortfolioData, bank_name: str, what: str, note: str = "") -> list[str]:
    lines = [
        f"{bank_name} · Portfolio report · {what}",
        f"{data.scope.label} · {data.period.label} · as of {long_date(data.as_of)}",
    ]
    return lines + ([note] if note else [])


def _padded(rows: list[tuple], width: int) -> list[tuple]:
    """`rows` filled with blank rows up to SUMMARY_ROWS, each row `width` cells."""
    return rows + [(None,) * width] * (SUMMARY_ROWS - len(rows))


def _headline(data: PortfolioData) -> list[tuple]:
    f = data.figures
    npl_count = sum(row.count for row in f.kol_distribution if row.kol in NPL_KOLS)
    rows = [
        (
            "Total portfolio",
            f.facility_count,
            f.total_outstanding,
            ONE if f.total_outstanding else None,
        ),
        ("NPL (Kol 3–5)", npl_count, f.npl_outstanding, f.npl_ratio),
        ("Loan at Risk", None, f.lar_outstanding, f.lar_ratio),
    ]
    rows += [(f"PAR {par.days}", None, par.outstanding, par.ratio) for par in f.par]
    rows.append(("Debtors", f.debtor_count, None, None))
    return rows


def _migration(data: PortfolioData) -> list[tuple]:
    m = data.migration
    rows = []
    for from_kol in m.from_kols:
        cells = [m.cell(from_kol, to_kol) for to_kol in m.to_kols]
        total = m.row_total(from_kol)
        label = "New" if from_kol is None else f"Kol {from_kol}"
        rows.append(
            (label, *(c.count for c in cells), total.count)
            + (*(c.outstanding for c in cells), total.outstanding)
        )
    width = len(rows[0])
    sums = [sum((row[i] for row in rows), 0) for i in range(1, width)]
    rows.append(("Total", *sums))
    return rows


def summary_sheet(data: PortfolioData, bank_name: str) -> Sheet:
    """Headline figures, Kol distribution, aging and Kol migration side by side, with charts."""
    f = data.figures
    groups = [
        _headline(data),
        [(k.kol, k.name, k.count, k.outstanding, k.share) for k in f.kol_distribution],
        [(b.label, b.count, b.outstanding, b.share) for b in f.aging],
        _migration(data),
    ]
    padded = [_padded(rows, len(cols)) for rows, cols in zip(groups, SUMMARY_GROUPS, strict=True)]
    rows = [sum(parts, ()) for parts in zip(*padded, strict=True)]
    if data.previous is None:
        since = "no listing in the month before: every facility counts as new"
    else:
        since = f"since the previous month-end listing, {long_date(data.previous)}"
    note = (
        "NPL, Loan at Risk, PAR and aging use the effective (debtor) Kol and DPD on the as-of "
        f"date; Kol migration (facilities and outstanding now) {since}."
    )
    return Sheet(
        name="Summary",
        title=_title(data, bank_name, "Summary", note),
        columns=[column for group in SUMMARY_GROUPS for column in group],
        rows=rows,
        charts=(
            Chart("column", "Outstanding by Kol", "kol_name", ["kol_outstanding"], "Rp"),
            Chart("column", "Outstanding by aging bucket", "bucket", ["bucket_outstanding"], "Rp"),
        ),
        # 27 columns wide and 7 rows deep: charts under the table are seen without scrolling.
        extra={"charts_below": True},
    )


def facilities_sheet(title: list[str], rows) -> Sheet:
    """Every facility of the scope with its position on the as-of date (rows streamed)."""
    return Sheet(
        name="Facilities",
        title=title,
        columns=FACILITY_COLUMNS,
        rows=rows,
        totals=("plafond", "outstanding"),
        empty_message="No facilities in this portfolio on the as-of date.",
        extra={"cells_typed": True},
    )


def _officer_row(row, achieved: Achievement | None) -> tuple:
    kpis = tuple(getattr(row, column.key) for column in OFFICER_KPI_COLUMNS[3:])
    if achieved is None:
        return (row.username, row.name, row.branch_code, *kpis) + (None,) * (1 + len(METRICS))
    metrics = tuple(m.achievement for m in achieved.metrics)
    return (row.username, row.name, row.branch_code, *kpis, achieved.overall, *metrics)


def officers_sheet(data: PortfolioData, title: list[str]) -> Sheet:
    """One row per officer: KPIs and target achievement, then a Total row.

    The Total row is written as values, not `=SUM()` formulas: the writer's totals row holds only
    column aggregates, while the team's achievement is a ratio of summed targets and actuals
    (targets/achievement.total_achievement) and its ratios (NPL, conversion) ratios of the sums.
    """
    rows = [_officer_row(row, data.achievements.get(row.officer_id)) for row in data.officers]
    if rows:
        totals = _officer_row(data.officer_totals, data.total_achievement)
        rows.append(("Total", None, None, *totals[3:]))
    return Sheet(
        name="Officers",
        title=title,
        columns=OFFICER_COLUMNS,
        rows=rows,
        empty_message="No account officer in this portfolio.",
    )


def pipeline_sheet(data: PortfolioData, bank_name: str) -> Sheet:
    """Prospects of the scope's officers by status (rows) and source (columns)."""
    p = data.pipeline
    columns = [Column("status", "Status")]
    columns += [Column(source, _words(source), INT) for source in p.sources]
    columns.append(Column("total", "Total", INT))
    rows = [
        (_words(status), *(p.count(status, source) for source in p.sources), p.count(status))
        for status in p.statuses
    ]
    note = f"Status on {long_date(p.on)} (the end of the period) from each prospect's history."
    return Sheet(
        name="Pipeline",
        title=_title(data, bank_name, "Prospect pipeline", note),
        columns=columns,
        rows=rows,
        totals=[c.key for c in columns[1:]],
        charts=(Chart("bar", "Prospects by status", "status", ["total"]),),
    )


def _notes(data: PortfolioData) -> dict[str, str]:
    """The one-line explanation under each table's title."""
    judged = long_date(data.judged_on)
    return {
        "facilities": "Positions on the as-of date; the debtor Kol (one obligor) is the "
        "effective Kol that NPL and the Summary use.",
        "watchlist": f"Early-warning signals of the as-of listing; promises and follow-ups "
        f"judged on {judged}.",
        "delinquent": "Next follow-up: the earliest still planned with the customer (about "
        f"this facility or in general). PTP: the facility's latest promise, judged on {judged}.",
        "officers": f"Portfolio on the as-of date; prospects, introductions, follow-ups done and "
        f"promises due in the period; overdue follow-ups at the end of the as-of date; "
        f"promises judged on {judged}. Target achievement (monthly reports, empty without a "
        "target): actual ÷ target, the NPL ratio a ceiling (100 % at or under it); overall = the "
        "mean over the metrics with a target, each at most 100 %; the Total row sums the targets "
        "and actuals of the officers with a target.",
    }


def build_portfolio_workbook(data: PortfolioData, bank_name: str) -> Workbook:
    """The workbook's sheets, in order: Summary, Facilities, Watchlist, Delinquent, Officers,
    Pipeline."""
    notes = _notes(data)
    sheets = [
        summary_sheet(data, bank_name),
        facilities_sheet(
            _title(data, bank_name, "Facilities", notes["facilities"]), data.facilities
        ),
        Sheet(
            name="Watchlist",
            title=_title(data, bank_name, "Watchlist", notes["watchlist"]),
            columns=WATCHLIST_COLUMNS,
            rows=data.watchlist,
            empty_message="No early-warning signal on the as-of date.",
        ),
        Sheet(
            name="Delinquent",
            title=_title(data, bank_name, "Delinquent facilities (DPD > 0)", notes["delinquent"]),
            columns=DELINQUENT_COLUMNS,
            rows=data.delinquent,
            totals=("outstanding", "arrears"),
            empty_message="No facility past due on the as-of date.",
        ),
        officers_sheet(data, _title(data, bank_name, "Account officers", notes["officers"])),
        pipeline_sheet(data, bank_name),
    ]
    title = f"Portfolio {data.scope.label} {data.period.label}"
    return Workbook(sheets=sheets, title=title)


def portfolio_workbook(scope: PortfolioScope, period: Period, as_of, bank_name: str) -> Workbook:
    """The portfolio workbook of a resolved scope for a period whose last listing is `as_of`."""
    return build_portfolio_workbook(portfolio_data.load_portfolio(scope, period, as_of), bank_name)


def portfolio_filename(scope_slug: str, period: Period) -> str:
    """`portfolio_{period}_{scope}.xlsx`, e.g. portfolio_2026-10_branch-jkt01.xlsx."""
    slug = re.sub(r"[^a-z0-9]+", "-", scope_slug.lower()).strip("-") or "bank"
    return f"portfolio_{period.code}_{slug}.xlsx"
