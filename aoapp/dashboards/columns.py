"""The team table's figure columns and the groups a supervisor switches between.

The KPI columns come from kpis/figures.py (`TABLE_FIGURES`), then the live complaints and the
month's target achievement. Each column belongs to exactly one group; the officer's and the
branch's columns are not figures and always show. A new table figure needs its group here
(`GROUP_OF`): the page fails to build without one (tests/dashboards/test_views.py).
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from aoapp.kpis.figures import COUNT, RATIO, TABLE_FIGURES

PORTFOLIO = "portfolio"
ACTIVITY = "activity"
COLLECTION = "collection"
FUNDING = "funding"
TARGETS = "targets"
ALL = "all"  # not a group: every column at once

GROUPS = (
    (PORTFOLIO, _l("Portfolio")),
    (ACTIVITY, _l("Activity")),
    (COLLECTION, _l("Collection")),
    (FUNDING, _l("Funding")),
    (TARGETS, _l("Targets")),
)
DEFAULT_GROUP = PORTFOLIO

GROUP_OF = {
    "debtors": PORTFOLIO,
    "facilities": PORTFOLIO,
    "outstanding": PORTFOLIO,
    "npl_outstanding": PORTFOLIO,
    "npl_ratio": PORTFOLIO,
    "par30_ratio": COLLECTION,
    "downgrades": COLLECTION,
    "ptp_kept": COLLECTION,
    "ptp_broken": COLLECTION,
    "ptp_kept_rate": COLLECTION,
    "followups_overdue": COLLECTION,
    "prospects_collected": ACTIVITY,
    "prospects_converted": ACTIVITY,
    "conversion_rate": ACTIVITY,
    "introductions": ACTIVITY,
    "followups_done": ACTIVITY,
    "complaints_open": ACTIVITY,
    "complaints_overdue": ACTIVITY,
    "dpk": FUNDING,
    "casa_ratio": FUNDING,
    "cross_sell_ratio": FUNDING,
    "target_achievement": TARGETS,
}


@dataclass(frozen=True)
class TeamColumn:
    """One figure column of the team table: key (a TeamRow attribute), label (in the reader's
    language), kind, group."""

    key: str
    label: str
    kind: str
    group: str


def team_columns() -> list[TeamColumn]:
    """The team table's figure columns, in order, labelled in the current language: each label
    is written in every cell (the cards of a phone's table), 1,100 cells for a branch, and a lazy
    text is translated again at each."""
    extra = (
        ("complaints_open", _l("Complaints open"), COUNT),
        ("complaints_overdue", _l("Complaints overdue"), COUNT),
        ("target_achievement", _l("Target achievement"), RATIO),
    )
    figures = [(f.key, f.label, f.kind) for f in TABLE_FIGURES] + list(extra)
    return [TeamColumn(key, str(label), kind, GROUP_OF[key]) for key, label, kind in figures]


def chosen_group(value: str | None) -> str | None:
    """The group a `?cols=` argument names (or ALL); None for anything else."""
    return value if value in dict(GROUPS) or value == ALL else None
