"""The analytic commentary of a customer report: a few plain sentences generated from its figures.

Every sentence is derived from `CustomerReportData` alone (no database), e.g. "Kol worsened
from 1 to 2 (Special mention). 2 of 3 promises to pay kept, 1 broken. 1 complaint still open."
"""

from aoapp.common.money import format_idr
from aoapp.followups.promises import long_date


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 promise`, `2 promises` (`words`: an irregular plural)."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def words(code: str | None) -> str:
    """A stored code as words: `promised_to_pay` → `promised to pay`."""
    return (code or "").replace("_", " ")


def percent(value) -> str:
    """A ratio as a percentage for people: 0.6175 → `61.75 %`."""
    return f"{value * 100:.2f} %"


def _kol(data) -> str:
    kol, start = data.debtor.kol, data.kol_start
    if kol is None:
        return (
            "No position listed in this period."
            if data.facilities
            else "No credit facilities in this period."
        )
    name = data.kol_names.get(kol, "")
    if start is None:
        sentence = f"First listed at Kol {kol} ({name})."
    elif kol > start:
        sentence = f"Kol worsened from {start} to {kol} ({name})."
    elif kol < start:
        sentence = f"Kol improved from {start} to {kol} ({name})."
    else:
        sentence = f"Kol unchanged at {kol} ({name})."
    if data.npl:
        sentence += " The debtor is non-performing (NPL)."
    if data.debtor.max_dpd:
        sentence += f" {plural(data.debtor.max_dpd, 'day')} past due at the latest listing."
    return sentence


def _exposure(data) -> str:
    if not data.total_plafond:
        return ""
    return (
        f"Outstanding {format_idr(data.total_outstanding)} of "
        f"{format_idr(data.total_plafond)} plafond ({percent(data.utilisation)} used)."
    )


def _promises(data) -> str:
    counts = data.promise_counts
    total = sum(counts.values())
    if not total:
        return ""
    extra = [f"{counts[s]} {s}" for s in ("broken", "pending") if counts[s]]
    tail = (", " + ", ".join(extra)) if extra else ""
    return f"{counts['kept']} of {plural(total, 'promise')} to pay kept{tail}."


def _followups(data) -> str:
    counts = data.followup_counts
    if not any(counts.values()):
        return "No follow-ups in this period."
    sentence = f"{plural(counts['done'], 'follow-up')} done"
    if counts["missed"]:
        sentence += f", {counts['missed']} missed"
    if counts["planned"]:
        sentence += f", {counts['planned']} still planned"
    return sentence + "."


def _introductions(data) -> str:
    outcomes = data.introduction_outcomes
    total = sum(outcomes.values())
    if not total:
        return ""
    detail = ", ".join(f"{n} {words(outcome)}" for outcome, n in outcomes.items())
    return f"{plural(total, 'product introduction')} ({detail})."


def _complaints(data) -> str:
    still_open, resolved = data.complaints_open, data.complaints_resolved
    if still_open:
        return f"{plural(still_open, 'complaint')} still open."
    if resolved:
        return f"No complaint open ({resolved} resolved in the period)."
    return ""


def _visit(data) -> str:
    visit = data.latest_visit
    if visit is None:
        return "No monitoring visit on record."
    return f"Latest monitoring visit rated {visit.risk_rating} on {long_date(visit.visit_date)}."


def _watchlist(data) -> str:
    labels = list(dict.fromkeys(entry.label for entry in data.watchlist))
    if not labels:
        return ""
    return f"On the watchlist: {', '.join(labels)}."


def commentary(data) -> str:
    """A short analytic commentary on one customer's period, in plain sentences."""
    parts = (
        _kol(data),
        _exposure(data),
        _promises(data),
        _followups(data),
        _introductions(data),
        _complaints(data),
        _visit(data),
        _watchlist(data),
    )
    return " ".join(part for part in parts if part)
