"""Hooks through which the features above campaigns give the campaign pages their figures.

A campaign's figures count prospects, introductions and facilities, which sit above campaigns
(they are tagged with one): kpis/campaigns.py computes them and registers here. So campaigns
imports none of them.
"""

from collections.abc import Callable

Stats = Callable[[object, object], object]
Counts = Callable[[object, list[int]], dict[int, int]]
_STATS: list[Stats] = []
_COUNTS: list[Counts] = []


def stats_source(source: Stats) -> Stats:
    """Register `source(actor, campaign)`: the campaign's figures in the actor's scope."""
    _STATS[:] = [source]
    return source


def tagged_counts_source(source: Counts) -> Counts:
    """Register `source(actor, campaign_ids)`: the prospects tagged with each campaign that the
    actor may see."""
    _COUNTS[:] = [source]
    return source


def campaign_stats(actor, campaign):
    """The campaign's figures over what the user may see (the page, the API, the chart)."""
    if not _STATS:
        raise RuntimeError("No source of campaign figures is registered (kpis.campaigns).")
    return _STATS[0](actor, campaign)


def tagged_prospect_counts(actor, campaign_ids: list[int]) -> dict[int, int]:
    """Prospects tagged with each campaign that the user may see (one query for a list page)."""
    if not _COUNTS:
        raise RuntimeError("No source of campaign figures is registered (kpis.campaigns).")
    return _COUNTS[0](actor, campaign_ids)
