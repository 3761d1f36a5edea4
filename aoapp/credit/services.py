"""Credit data of a customer and of a facility (latest positions, debtor Kol, Kol/DPD history)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from aoapp.auth.scoping import get_visible
from aoapp.common import latest
from aoapp.common.i18n import locale_code
from aoapp.common.money import to_money
from aoapp.common.pagination import Page, paginate
from aoapp.credit.collectibility import KOLS, kol_name, load_bands
from aoapp.credit.holdings import Arrears, arrears_of
from aoapp.credit.models import Facility, FacilityStatus, KolRule, KolUpgrade, Position
from aoapp.credit.visits.services import can_record_visit, visits_of
from aoapp.customers.hooks import api_fields, customer_section, debtors_source
from aoapp.extensions import db

HISTORY_POSITIONS = 12  # the customer page's Kol and DPD history covers the last 12 positions

RULE_WORDS = {
    KolRule.DPD: _l("days past due"),
    KolRule.FILE: _l("the Kol the bank set in the core-banking file"),
    KolRule.RESTRUCTURE_HOLD: _l("restructuring hold (kept until an authorised upgrade)"),
    KolRule.ONE_OBLIGOR: _l("one-obligor rule (the worst Kol among the debtor's facilities)"),
}


def rule_words(rule: str | None) -> str:
    """The rule that decided a Kol, in plain words (in the current language)."""
    return str(RULE_WORDS.get(rule, rule or ""))


def kol_labels() -> dict[int, str]:
    """Each Kol's display name from the configured bands: {3: 'Substandard (Kurang Lancar)'} in
    English, {3: 'Kurang Lancar'} in Indonesian (the OJK name every banker knows)."""
    bands = load_bands()
    if locale_code() == "id":
        return {kol: kol_name(kol, bands, "id") for kol in KOLS}
    return {kol: f"{kol_name(kol, bands)} ({kol_name(kol, bands, 'id')})" for kol in KOLS}


@dataclass
class FacilityRow:
    """A facility with its latest position (None before its first import)."""

    facility: Facility
    position: Position | None

    @property
    def rule_text(self) -> str:
        return rule_words(self.position.kol_rule) if self.position else ""


@dataclass
class DebtorKol:
    """The debtor's Kol on its latest as-of date, and the facility and rule that decided it."""

    kol: int
    as_of: date
    rule: str
    facility: Facility
    dpd: int

    @property
    def rule_text(self) -> str:
        return rule_words(self.rule)


@dataclass
class HistoryPoint:
    """The debtor on one as-of date: its Kol, its worst DPD and its total outstanding."""

    as_of: date
    kol: int
    dpd: int
    outstanding: Decimal


@dataclass
class CustomerCredit:
    """Everything the customer page's credit section shows."""

    debtor: DebtorKol | None
    active: list[FacilityRow]
    closed: list[FacilityRow]
    history: list[HistoryPoint]
    chart: "Chart | None"
    kol_labels: dict[int, str]
    visits: list
    can_record_visit: bool
    arrears: Arrears | None = None

    @property
    def in_collection(self) -> bool:
        """An active facility is in arrears (the customer page opens with collection)."""
        return self.arrears is not None and self.arrears.in_arrears


def latest_positions(facility_ids: list[int]) -> dict[int, Position]:
    """The latest position of each facility, by facility id."""
    if not facility_ids:
        return {}
    latest = (
        sa.select(Position.facility_id, sa.func.max(Position.as_of).label("as_of"))
        .where(Position.facility_id.in_(facility_ids))
        .group_by(Position.facility_id)
        .subquery()
    )
    stmt = sa.select(Position).join(
        latest,
        sa.and_(Position.facility_id == latest.c.facility_id, Position.as_of == latest.c.as_of),
    )
    return {position.facility_id: position for position in db.session.scalars(stmt)}


def latest_position(facility_id: int) -> Position | None:
    """A facility's latest position."""
    stmt = sa.select(Position).where(Position.facility_id == facility_id)
    return db.session.scalar(stmt.order_by(Position.as_of.desc()).limit(1))


def facility_rows(customer_id: int) -> list[FacilityRow]:
    """The customer's facilities with their latest positions, active first, by account number."""
    stmt = (
        sa.select(Facility)
        .options(joinedload(Facility.product))
        .where(Facility.customer_id == customer_id)
        .order_by(Facility.status, Facility.account_no)
    )
    facilities = list(db.session.scalars(stmt))
    positions = latest_positions([f.id for f in facilities])
    return [FacilityRow(f, positions.get(f.id)) for f in facilities]


def _latest_positions_of(customer_id: int) -> list[Position]:
    """The customer's positions on its latest as-of date. Asked first on the bank's two newest
    listings, each by its date's value (one month partition to plan: common/latest.py), where
    any customer still booked is; then the customer's newest date, over every partition."""

    def on(day: date) -> list[Position]:
        stmt = (
            sa.select(Position)
            .options(joinedload(Position.facility))
            .where(Position.customer_id == customer_id, Position.as_of == day)
        )
        return list(db.session.scalars(stmt))

    for day in latest.listed(latest.LOANS).dates[-1:-3:-1]:
        if positions := on(day):
            return positions
    older = db.session.scalar(
        sa.select(sa.func.max(Position.as_of)).where(Position.customer_id == customer_id)
    )
    return [] if older is None else on(older)


def debtor_collectibility(customer_id: int) -> DebtorKol | None:
    """The debtor Kol on the customer's latest as-of date (None before any position)."""
    positions = _latest_positions_of(customer_id)
    if not positions:
        return None
    as_of = positions[0].as_of
    # The facility whose own Kol is the worst decided the debtor's Kol (one-obligor rule).
    worst = max(positions, key=lambda p: (p.facility_kol, p.dpd, -p.facility_id))
    return DebtorKol(
        kol=max(p.debtor_kol for p in positions),
        as_of=as_of,
        rule=worst.kol_rule,
        facility=worst.facility,
        dpd=worst.dpd,
    )


def kol_history(customer_id: int, limit: int = HISTORY_POSITIONS) -> list[HistoryPoint]:
    """The debtor's Kol, worst DPD and outstanding on its last `limit` as-of dates, oldest first."""
    stmt = (
        sa.select(
            Position.as_of,
            sa.func.max(Position.debtor_kol),
            sa.func.max(Position.dpd),
            sa.func.sum(Position.outstanding),
        )
        .where(Position.customer_id == customer_id)
        .group_by(Position.as_of)
        .order_by(Position.as_of.desc())
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    return [
        HistoryPoint(as_of, int(kol), int(dpd), to_money(str(outstanding)))
        for as_of, kol, dpd, outstanding in reversed(rows)
    ]


@customer_section("credit")
def customer_credit(actor, customer) -> CustomerCredit:
    """The credit section of a customer page the actor already may see."""
    rows = facility_rows(customer.id)
    history = kol_history(customer.id)
    active = [r for r in rows if r.facility.status == FacilityStatus.ACTIVE]
    return CustomerCredit(
        debtor=debtor_collectibility(customer.id),
        active=active,
        closed=[r for r in rows if r.facility.status != FacilityStatus.ACTIVE],
        history=history,
        chart=history_chart(history),
        kol_labels=kol_labels(),
        visits=visits_of(customer.id),
        can_record_visit=can_record_visit(actor, customer),
        arrears=arrears_of(active),
    )


@dataclass
class Chart:
    """Geometry of the Kol and DPD history chart, drawn as inline SVG by the template."""

    width: int
    height: int
    x_start: int
    x_end: int
    points: list[dict]
    kol_line: str
    kol_grid: list[tuple[int, float]]
    dpd_top: float
    dpd_base: float
    max_dpd: int
    bar_width: float


CHART_LEFT, CHART_RIGHT, CHART_WIDTH, CHART_HEIGHT = 44, 8, 480, 210
KOL_TOP, KOL_BOTTOM = 12, 92  # Kol panel: Kol 5 at the top, Kol 1 at the bottom
DPD_TOP, DPD_BASE = 112, 182  # DPD panel: bars grow upwards, scaled to the highest DPD shown


def history_chart(history: list[HistoryPoint]) -> Chart | None:
    """Coordinates of the history chart: a Kol line over DPD bars, one slot per as-of date."""
    if not history:
        return None
    slot = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / len(history)
    max_dpd = max(max(p.dpd for p in history), 1)

    def kol_y(kol: int) -> float:
        return KOL_BOTTOM - (kol - 1) * (KOL_BOTTOM - KOL_TOP) / (len(KOLS) - 1)

    points = []
    for index, point in enumerate(history):
        height = (DPD_BASE - DPD_TOP) * point.dpd / max_dpd
        points.append(
            {
                "x": round(CHART_LEFT + slot * (index + 0.5), 1),
                "y": round(kol_y(point.kol), 1),
                "bar_y": round(DPD_BASE - height, 1),
                "bar_h": round(height, 1),
                "point": point,
            }
        )
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        x_start=CHART_LEFT,
        x_end=CHART_WIDTH - CHART_RIGHT,
        points=points,
        kol_line=" ".join(f"{p['x']},{p['y']}" for p in points),
        kol_grid=[(kol, round(kol_y(kol), 1)) for kol in KOLS],
        dpd_top=DPD_TOP,
        dpd_base=DPD_BASE,
        max_dpd=max_dpd,
        bar_width=round(min(slot * 0.6, 28), 1),
    )


def get_facility(actor, facility_id) -> Facility:
    """A facility the user may see (through its customer), or NotFound."""
    return get_visible(actor, Facility, facility_id)


def facility_positions(facility: Facility, page: int, per_page: int) -> Page:
    """The facility's positions, newest first, one page at a time."""
    stmt = (
        sa.select(Position)
        .where(Position.facility_id == facility.id)
        .order_by(Position.as_of.desc(), Position.id.desc())
    )
    return paginate(stmt, page, per_page)


def facility_upgrades(facility: Facility) -> list[KolUpgrade]:
    """Authorised Kol upgrades of the facility, newest first."""
    stmt = (
        sa.select(KolUpgrade)
        .options(joinedload(KolUpgrade.upgraded_by))
        .where(KolUpgrade.facility_id == facility.id)
        .order_by(KolUpgrade.upgraded_at.desc(), KolUpgrade.id.desc())
    )
    return list(db.session.scalars(stmt))


@api_fields
def customer_credit_fields(customer) -> dict:
    """The API's customer detail: its debtor Kol on its latest as-of date, and its facilities."""
    debtor = debtor_collectibility(customer.id)
    return {
        "collectibility": debtor.kol if debtor else None,
        "facilities": facility_rows(customer.id),
    }


@debtors_source
def debtors_on(as_of: date, officer_id: int | None) -> sa.Select:
    """Ids of customers with a position on `as_of` (booked to `officer_id`, when given)."""
    stmt = sa.select(Position.customer_id).where(Position.as_of == as_of)
    if officer_id:
        stmt = stmt.where(Position.officer_id == officer_id)
    return stmt
