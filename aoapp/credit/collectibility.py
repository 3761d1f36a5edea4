"""OJK collectibility (Kol) rules: DPD bands, file Kol, restructure hold, one-obligor, aging.

The DPD thresholds live in the `collectibility_bands` table (OJK defaults seeded by migration);
nothing else in the code holds them.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from aoapp.credit.models import CollectibilityBand, KolRule
from aoapp.extensions import db

NPL_KOLS = (3, 4, 5)
KOLS = (1, 2, 3, 4, 5)

# Aging buckets of DOMAIN.md: (code, label, lowest DPD, highest DPD or None); the label of
# "current" is translated (str() it in the language wanted).
AGING_BUCKETS = (
    ("current", _l("Current (0)"), 0, 0),
    ("1_30", "1–30", 1, 30),
    ("31_60", "31–60", 31, 60),
    ("61_90", "61–90", 61, 90),
    ("91_120", "91–120", 91, 120),
    ("121_180", "121–180", 121, 180),
    ("over_180", "> 180", 181, None),
)
PAR_DAYS = (30, 60, 90)


@dataclass(frozen=True)
class Band:
    """One collectibility class and its DPD range."""

    kol: int
    name_id: str
    name_en: str
    min_dpd: int
    max_dpd: int | None

    def contains(self, dpd: int) -> bool:
        return dpd >= self.min_dpd and (self.max_dpd is None or dpd <= self.max_dpd)


class BandsInvalid(ValueError):
    """The configured bands do not cover every DPD exactly once."""


def check_bands(bands: list[Band]) -> list[Band]:
    """Bands must be Kol 1–5 in order, start at DPD 0, be contiguous and end unbounded."""
    ordered = sorted(bands, key=lambda b: b.kol)
    if [b.kol for b in ordered] != list(KOLS):
        raise BandsInvalid("collectibility bands must define Kol 1 to 5")
    expected = 0
    for band in ordered:
        if band.min_dpd != expected:
            raise BandsInvalid(f"Kol {band.kol} should start at DPD {expected}")
        if band.max_dpd is None:
            if band.kol != 5:
                raise BandsInvalid("only Kol 5 may be unbounded")
            break
        if band.max_dpd < band.min_dpd:
            raise BandsInvalid(f"Kol {band.kol} ends before it starts")
        expected = band.max_dpd + 1
    if ordered[-1].max_dpd is not None:
        raise BandsInvalid("Kol 5 must have no upper DPD bound")
    return ordered


def load_bands() -> list[Band]:
    """The configured bands, checked."""
    rows = db.session.scalars(sa.select(CollectibilityBand).order_by(CollectibilityBand.kol))
    return check_bands([Band(r.kol, r.name_id, r.name_en, r.min_dpd, r.max_dpd) for r in rows])


def kol_from_dpd(dpd: int, bands: list[Band]) -> int:
    """The Kol whose DPD band holds `dpd`."""
    if dpd < 0:
        raise ValueError("DPD cannot be negative")
    for band in bands:
        if band.contains(dpd):
            return band.kol
    raise BandsInvalid(f"no band holds DPD {dpd}")


def facility_kol(
    dpd: int,
    file_kol: int | None,
    restructured: bool,
    held_kol: int | None,
    bands: list[Band],
) -> tuple[int, str]:
    """A facility's own Kol and the rule that decided it.

    The worse of the DPD Kol and the bank's file Kol; a restructured facility never improves
    automatically below `held_kol` (its Kol on the previous position).
    """
    kol, rule = kol_from_dpd(dpd, bands), KolRule.DPD
    if file_kol is not None and file_kol > kol:
        kol, rule = file_kol, KolRule.FILE
    if restructured and held_kol is not None and held_kol > kol:
        kol, rule = held_kol, KolRule.RESTRUCTURE_HOLD
    return kol, rule


def debtor_kol(facility_kols: list[int]) -> int:
    """One-obligor rule: every facility of a debtor carries the worst Kol among them."""
    return max(facility_kols)


def effective_kol(own_kol: int, own_rule: str, debtor: int) -> tuple[int, str]:
    """The Kol used for NPL, LaR and reports (the debtor's), and the rule behind it."""
    if debtor > own_kol:
        return debtor, KolRule.ONE_OBLIGOR
    return own_kol, own_rule


def is_npl(kol: int) -> bool:
    """Non-performing: effective Kol 3, 4 or 5."""
    return kol in NPL_KOLS


def aging_bucket(dpd: int) -> str:
    """The aging bucket code of a DPD."""
    for code, _label, low, high in AGING_BUCKETS:
        if dpd >= low and (high is None or dpd <= high):
            return code
    raise ValueError("DPD cannot be negative")


def dpd_kol_sql(column: str, bands: list[Band]) -> str:
    """SQL CASE giving the Kol of a DPD column, built from the configured bands."""
    whens = " ".join(
        f"WHEN {column} <= {int(b.max_dpd)} THEN {int(b.kol)}"
        for b in bands
        if b.max_dpd is not None
    )
    return f"(CASE {whens} ELSE {int(bands[-1].kol)} END)"


def kol_name(kol: int, bands: list[Band], lang: str = "en") -> str:
    """Name of a Kol in Indonesian or English."""
    band = next(b for b in bands if b.kol == kol)
    return band.name_id if lang == "id" else band.name_en
