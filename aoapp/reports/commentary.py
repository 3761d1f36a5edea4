"""The analytic commentary of a customer report: a few plain sentences generated from its figures.

Every sentence is derived from `CustomerReportData` alone (no database), e.g. "Kol worsened
from 1 to 2 (Special mention). 2 of 3 promises to pay kept, 1 broken. 1 complaint still open."
Sentences are whole messages with placeholders, in the workbook's language (the current locale,
forced by generation); the English workbook keeps its historical formats (`31 Oct 2026`,
`Rp 1.234.567`, `61.75 %`), the Indonesian one Babel's (`31 Okt 2026`, `Rp 1.234.567`, `61,75%`).
"""

from flask_babel import gettext as _
from flask_babel import ngettext

from aoapp.common.i18n import format_date, format_money, format_ratio, locale_code
from aoapp.common.templating import humanise


def english() -> bool:
    """Whether the workbook being built is in English."""
    return locale_code() == "en"


def tr(text) -> str:
    """A text in the current language: a lazy message made a string, an English one translated
    (when the catalogue has it)."""
    if text is None:
        return ""
    if not isinstance(text, str):
        return str(text)
    return _(text) if text else ""


def label(code: str | None) -> str:
    """An enumeration code's label in the current language: `social_media` → `Social media`."""
    return tr(humanise(code)) if code else ""


def words(code: str | None) -> str:
    """A stored code as words in the current language: `promised_to_pay` → `promised to pay`."""
    text = label(code)
    if len(text) > 1 and text[1:2].islower() and not any(ch.isupper() for ch in text[1:]):
        return text[0].lower() + text[1:]
    return text


def day_text(day) -> str:
    """A date for people: `Oct 31, 2026` (en), `31 Okt 2026` (id)."""
    return format_date(day) if day is not None else ""


def money_text(value, with_cents: bool = False) -> str:
    """An amount for people: `IDR 1,234,567` (en), `Rp 1.234.567` (id)."""
    return format_money(value, with_cents=with_cents)


def percent(value) -> str:
    """A ratio as a percentage for people: 0.6175 → `61.75%` (en), `61,75%` (id)."""
    return format_ratio(value)


def _kol(data) -> str:
    kol, start = data.debtor.kol, data.kol_start
    if kol is None:
        return (
            _("No position listed in this period.")
            if data.facilities
            else _("No credit facilities in this period.")
        )
    name = data.kol_names.get(kol, "")
    if start is None:
        sentence = _("First listed at Kol %(kol)s (%(name)s).", kol=kol, name=name)
    elif kol > start:
        sentence = _(
            "Kol worsened from %(start)s to %(kol)s (%(name)s).", start=start, kol=kol, name=name
        )
    elif kol < start:
        sentence = _(
            "Kol improved from %(start)s to %(kol)s (%(name)s).", start=start, kol=kol, name=name
        )
    else:
        sentence = _("Kol unchanged at %(kol)s (%(name)s).", kol=kol, name=name)
    if data.npl:
        sentence += " " + _("The debtor is non-performing (NPL).")
    if data.debtor.max_dpd:
        sentence += " " + ngettext(
            "%(num)d day past due at the latest listing.",
            "%(num)d days past due at the latest listing.",
            data.debtor.max_dpd,
        )
    return sentence


def _exposure(data) -> str:
    if not data.total_plafond:
        return ""
    return _(
        "Outstanding %(outstanding)s of %(plafond)s plafond (%(used)s used).",
        outstanding=money_text(data.total_outstanding),
        plafond=money_text(data.total_plafond),
        used=percent(data.utilisation),
    )


def _promises(data) -> str:
    counts = data.promise_counts
    total = sum(counts.values())
    if not total:
        return ""
    parts = [
        ngettext(
            "%(kept)s of %(num)d promise to pay kept",
            "%(kept)s of %(num)d promises to pay kept",
            total,
            kept=counts["kept"],
        )
    ]
    if counts["broken"]:
        parts.append(_("%(num)s broken", num=counts["broken"]))
    if counts["pending"]:
        parts.append(_("%(num)s pending", num=counts["pending"]))
    return ", ".join(parts) + "."


def _followups(data) -> str:
    counts = data.followup_counts
    if not any(counts.values()):
        return _("No follow-ups in this period.")
    parts = [ngettext("%(num)d follow-up done", "%(num)d follow-ups done", counts["done"])]
    if counts["missed"]:
        parts.append(_("%(num)s missed", num=counts["missed"]))
    if counts["planned"]:
        parts.append(_("%(num)s still planned", num=counts["planned"]))
    return ", ".join(parts) + "."


def _introductions(data) -> str:
    outcomes = data.introduction_outcomes
    total = sum(outcomes.values())
    if not total:
        return ""
    detail = ", ".join(f"{n} {words(outcome)}" for outcome, n in outcomes.items())
    return ngettext(
        "%(num)d product introduction (%(detail)s).",
        "%(num)d product introductions (%(detail)s).",
        total,
        detail=detail,
    )


def _complaints(data) -> str:
    still_open, resolved = data.complaints_open, data.complaints_resolved
    if still_open:
        return ngettext(
            "%(num)d complaint still open.", "%(num)d complaints still open.", still_open
        )
    if resolved:
        return _("No complaint open (%(num)s resolved in the period).", num=resolved)
    return ""


def _visit(data) -> str:
    visit = data.latest_visit
    if visit is None:
        return _("No monitoring visit on record.")
    return _(
        "Latest monitoring visit rated %(rating)s on %(day)s.",
        rating=words(visit.risk_rating),
        day=day_text(visit.visit_date),
    )


def _watchlist(data) -> str:
    labels = list(dict.fromkeys(tr(entry.label) for entry in data.watchlist))
    if not labels:
        return ""
    return _("On the watchlist: %(signals)s.", signals=", ".join(labels))


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
