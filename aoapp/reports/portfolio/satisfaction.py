"""The portfolio workbook's `Kepuasan` / `Satisfaction` sheet: the scope's satisfaction surveys
of the period from the one source (surveys/figures.py), as the dashboards and
`/api/v1/surveys` read them: the totals, each officer's figures, the 12 months' trend up to the
period's last, and every comment of the period, newest first."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aoapp.common.dates import to_local
from aoapp.credit.figures import PortfolioScope
from aoapp.kpis.periods import Period
from aoapp.reports.commentary import day_text, label
from aoapp.reports.labels import officer_text
from aoapp.reports.sheets import DATE, INT, NUMBER, RATIO, Block, Column, Sheet
from aoapp.surveys.figures import Satisfaction, SatisfactionReport, satisfaction_report


def load_satisfaction(scope: PortfolioScope, period: Period) -> SatisfactionReport:
    """The sheet's data: the period's satisfaction in the scope, every comment."""
    return satisfaction_report(scope, period.start, period.end)


FIGURE_COLUMNS = (
    Column("sent", _l("Surveys sent"), INT),
    Column("responded", _l("Answered of those sent"), INT),
    Column("response_rate", _l("Response rate"), RATIO),
    Column("answers", _l("Answers"), INT),
    Column("csat", _l("CSAT (4–5 of 5)"), RATIO),
    Column("nps", _l("NPS"), NUMBER),
    Column("average_score", _l("Average score"), NUMBER),
)
OFFICER_COLUMNS = (Column("officer", _l("Officer")),) + FIGURE_COLUMNS
TREND_COLUMNS = (Column("month", _l("Month"), DATE),) + FIGURE_COLUMNS[3:]
COMMENT_COLUMNS = (
    Column("answered", _l("Answered"), DATE),
    Column("cif", _l("CIF")),
    Column("customer", _l("Customer")),
    Column("officer", _l("Officer")),
    Column("reason", _l("About")),
    Column("score", _l("Score"), INT),
    Column("recommend", _l("Recommend (0–10)"), INT),
    Column("comment", _l("Comment"), width=60),
)


def _figures(f: Satisfaction) -> tuple:
    return (
        f.sent,
        f.responded,
        f.response_rate,
        f.answers,
        f.csat,
        f.nps,
        f.average_score,
    )


def satisfaction_sheet(report: SatisfactionReport, title: list[str]) -> Sheet:
    """The Satisfaction sheet: small tables stacked, each under its heading."""
    officers = [(officer_text(o.name, o.code), *_figures(o.figures)) for o in report.officers]
    trend = [(p.month, *_figures(p.figures)[3:]) for p in report.trend]
    comments = [
        (
            to_local(c.answered_at).date(),
            c.cif,
            c.customer,
            officer_text(c.officer_name, c.officer_code),
            label(c.reason),
            c.score,
            c.recommend,
            c.comment,
        )
        for c in report.comments
    ]
    blocks = [
        Block(_("Satisfaction in the period"), FIGURE_COLUMNS, [_figures(report.totals)]),
        Block(_("Per officer"), OFFICER_COLUMNS, officers),
        Block(_("Trend (answers per month)"), TREND_COLUMNS, trend),
        Block(_("Comments, newest first"), COMMENT_COLUMNS, comments),
    ]
    none = _("None.")
    blocks = [b if b.rows else Block(b.heading, b.columns, [], note=none) for b in blocks]
    return Sheet(key="Satisfaction", name=_("Satisfaction"), title=title, blocks=blocks)


def satisfaction_note(report: SatisfactionReport) -> str:
    """The line under the sheet's title: what its figures count."""
    return _(
        "Answers given from %(first)s to %(last)s; CSAT = share of scores 4–5; NPS = %% of "
        "promoters (9–10) − %% of detractors (0–6) among answers that gave one; response rate = "
        "share of the surveys sent in the period answered by its end.",
        first=day_text(report.first),
        last=day_text(report.last),
    )
