"""Where each dashboard figure leads: the filtered list that shows the rows the figure counts.

The filters are the KPI definitions' (kpis/officers.py) written as list arguments: debtors are the
customers with credit booked to the officer on A (`debtor_on`), NPL the facilities of Kol 3–5 on A
(`kol_min=3`), PAR 30 those more than 30 days past due (`dpd_min=31`), downgrades the watchlist's
downgrade signal on A, follow-ups done in P (`done_from`/`done_to`) and overdue at the end of A
(`overdue_on`), promises recorded by the officer with a deadline in P, and so on.
"""

from datetime import date, timedelta

from flask import url_for
from werkzeug.routing import BuildError

PORTFOLIO_KEYS = {
    "facilities": {},
    "outstanding": {},
    "npl_outstanding": {"kol_min": 3},
    "npl_ratio": {"kol_min": 3},
    "par30_outstanding": {"dpd_min": 31},
    "par30_ratio": {"dpd_min": 31},
}


def _url(endpoint: str, **args) -> str | None:
    """The URL of a list (None values dropped), or None while that page does not exist."""
    try:
        return url_for(endpoint, **{k: v for k, v in args.items() if v is not None})
    except BuildError:
        return None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def portfolio_links(officer_id, branch_id, as_of: date | None) -> dict[str, str | None]:
    """Facilities, outstanding, NPL and PAR 30 → the portfolio listing on A; downgrades and the
    watchlist count → the watchlist on A."""
    if as_of is None:
        return {}
    scope = {"officer": officer_id, "branch": branch_id, "as_of": _iso(as_of)}
    links = {
        key: _url("credit.portfolio", **scope, **extra) for key, extra in PORTFOLIO_KEYS.items()
    }
    links["watchlist"] = _url("credit.watchlist", **scope)
    links["downgrades"] = _url("credit.watchlist", **scope, signal="downgrade")
    return links


def activity_links(officer_id, period, as_of: date | None) -> dict[str, str | None]:
    """The period's activity KPIs of one officer (or, without one, of everyone the user sees)."""
    first, last = _iso(period.start), _iso(period.end)
    prospects = {"owner": officer_id, "created_from": first, "created_to": last}
    promises = {"recorded_by": officer_id, "deadline_from": first, "deadline_to": last}
    return {
        "debtors": _url("customers.index", officer=officer_id, debtor_on=_iso(as_of))
        if as_of
        else None,
        "prospects_collected": _url("prospects.index", **prospects),
        "prospects_converted": _url("prospects.index", **prospects, status="won"),
        "conversion_rate": _url("prospects.index", **prospects),
        "introductions": _url(
            "introductions.index", officer=officer_id, **{"from": first, "to": last}
        ),
        "followups_done": _url(
            "followups.index", owner=officer_id, status="done", done_from=first, done_to=last
        ),
        # kpis/officers.py: overdue at the end of A (the period's last day without a listing).
        "followups_overdue": _url(
            "followups.index", owner=officer_id, overdue_on=_iso(as_of or period.end)
        ),
        "ptp_kept": _url("followups.promises", **promises, state="kept"),
        "ptp_broken": _url("followups.promises", **promises, state="broken"),
        "ptp_kept_rate": _url("followups.promises", **promises),
        "complaints_open": _url("complaints.index", officer=officer_id, status="active"),
        "complaints_overdue": _url(
            "complaints.index", officer=officer_id, status="active", overdue="true"
        ),
    }


def live_links(officer_id: int, own: bool, today: date) -> dict[str, str | None]:
    """Today's and overdue follow-ups: the officer's own agenda, or the filtered list."""
    if own:
        return {
            "followups_today": _url("agenda.home", _anchor="today"),
            "followups_late": _url("agenda.home", _anchor="overdue"),
        }
    planned = {"owner": officer_id, "status": "planned"}
    yesterday = _iso(today - timedelta(days=1))
    return {
        "followups_today": _url(
            "followups.index", **planned, planned_from=_iso(today), planned_to=_iso(today)
        ),
        "followups_late": _url("followups.index", **planned, planned_to=yesterday),
    }


def targets_link(period, branch_id=None) -> str | None:
    """The supervisor's target editor for the month."""
    return _url("targets.index", month=period.code, branch=branch_id)


def team_row_links(officer_id, dashboard) -> dict[str, str | None]:
    """Every cell of one team-table row; `officer_id` None: the totals row of the scope."""
    scope = dashboard.scope
    links = portfolio_links(officer_id, scope.branch_id, dashboard.as_of)
    if officer_id is not None or scope.branch_id is None:
        # The other lists have no branch filter: a totals row links them only when the scope is
        # everything the user sees (their branches, or the bank).
        links |= activity_links(officer_id, dashboard.period, dashboard.as_of)
    links["target_achievement"] = targets_link(dashboard.period, scope.branch_id)
    if officer_id is not None:
        links["officer"] = _url(
            "dashboards.officer", officer=officer_id, period=dashboard.period.code
        )
    return links
