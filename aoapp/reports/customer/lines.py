"""The activity lines of a customer report (interactions, promises, complaints, visits, watchlist
entries) and their assembly from the batched query rows."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from aoapp.common.dates import to_local
from aoapp.common.system_text import render
from aoapp.credit.signals import SIGNALS
from aoapp.kpis.periods import Period
from aoapp.reports.labels import officer_text


@dataclass(frozen=True)
class Interaction:
    """One row of the Interactions sheet: an introduction, a follow-up or a complaint."""

    kind: str  # introduction | follow_up | complaint
    id: int
    day: date
    channel: str  # channel, or the place of an introduction
    subject: str  # product, purpose or complaint category
    account_no: str | None
    status: str  # an introduction's outcome; a follow-up's or complaint's status
    officer: str
    notes: str
    outcome: str | None = None  # a follow-up's outcome
    ptp_amount: Decimal | None = None
    ptp_date: date | None = None
    ptp_state: str | None = None


@dataclass(frozen=True)
class PromiseLine:
    """A promise to pay due in the period, with its state on the report's reference day."""

    id: int
    account_no: str
    amount: Decimal
    promised_date: date
    promised_on: date
    deadline: date
    state: str


@dataclass(frozen=True)
class ComplaintLine:
    """A complaint with the bank's local dates of receipt and resolution."""

    id: int
    received_on: date
    resolved_on: date | None
    status: str


@dataclass(frozen=True)
class VisitLine:
    """A monitoring visit."""

    id: int
    visit_date: date
    officer: str
    account_no: str | None
    risk_rating: str
    met_with: str
    business_condition: str
    collateral_condition: str
    collateral_value: Decimal | None
    findings: str
    recommendations: str
    next_visit_date: date | None


@dataclass(frozen=True)
class PlanLine:
    """One action of the follow-up plan (RTL) after the period: a planned follow-up, a promise
    to pay falling due, or the next monitoring visit; with its owner and due date."""

    kind: str  # follow_up | promise | visit
    due: date
    owner: str
    account_no: str | None = None
    channel: str | None = None
    purpose: str | None = None
    notes: str = ""
    amount: Decimal | None = None


@dataclass(frozen=True)
class ReviewLine:
    """The latest review of the customer's period: who, when, the note."""

    reviewer: str
    reviewed_at: datetime  # UTC
    note: str


@dataclass(frozen=True)
class WatchEntry:
    """A watchlist signal of one of the customer's facilities on the as-of date."""

    signal: str
    label: str
    account_no: str
    date: date
    reason: str


def local_date(value) -> date | None:
    """The bank's local date of a UTC timestamp."""
    return None if value is None else to_local(value).date()


def interactions(introductions, followups, complaints, period: Period) -> list[Interaction]:
    """Introductions, follow-ups and the complaints received in the period, newest first."""
    rows = [
        Interaction(
            kind="introduction",
            id=r.id,
            day=r.introduced_on,
            channel=r.place,
            subject=f"{r.product_code} – {r.product_name}",
            account_no=None,
            status=r.outcome,
            officer=officer_text(r.officer_name, r.officer_code),
            notes=r.explanation or "",
        )
        for r in introductions
    ]
    rows += [
        Interaction(
            kind="follow_up",
            id=r.id,
            day=r.planned_date,
            channel=r.channel,
            subject=r.purpose,
            account_no=r.account_no,
            status=r.status,
            outcome=r.outcome,
            officer=officer_text(r.officer_name, r.officer_code),
            notes="\n".join(t for t in (render(r.note_code, r.note_params), r.notes) if t),
            ptp_amount=r.promised_amount,
            ptp_date=r.promised_date,
            ptp_state=r.promise_state,
        )
        for r in followups
    ]
    for r in complaints:
        received = local_date(r.received_at)
        if not period.start <= received <= period.end:
            continue  # carried over from an earlier period: counted, not listed
        resolution = f"\nResolution: {r.resolution}" if r.resolution else ""
        rows.append(
            Interaction(
                kind="complaint",
                id=r.id,
                day=received,
                channel=r.channel,
                subject=r.category,
                account_no=r.account_no,
                status=r.status,
                officer=officer_text(r.officer_name, r.officer_code),
                notes=r.description + resolution,
            )
        )
    order = {"complaint": 0, "follow_up": 1, "introduction": 2}
    rows.sort(key=lambda i: (i.day, -order[i.kind], i.id), reverse=True)
    return rows


def visit(r) -> VisitLine:
    """A visit row as a line."""
    return VisitLine(
        id=r.id,
        visit_date=r.visit_date,
        officer=officer_text(r.officer_name, r.officer_code),
        account_no=r.account_no,
        risk_rating=r.risk_rating,
        met_with=r.met_with or "",
        business_condition=r.business_condition or "",
        collateral_condition=r.collateral_condition or "",
        collateral_value=r.collateral_value,
        findings=r.findings or "",
        recommendations=r.recommendations or "",
        next_visit_date=r.next_visit_date,
    )


def watch_entries(rows, bands) -> list[WatchEntry]:
    """Watchlist rows with their reasons in words (the signals' own wording)."""
    return [
        WatchEntry(
            code,
            SIGNALS[code].label,
            facility.account_no,
            signal_date,
            SIGNALS[code].reason(position, facility, detail, bands),
        )
        for code, signal_date, position, facility, detail in rows
    ]


def promise(r) -> PromiseLine:
    """A promise row as a line."""
    return PromiseLine(
        id=r.id,
        account_no=r.account_no,
        amount=r.promised_amount,
        promised_date=r.promised_date,
        promised_on=r.promised_on,
        deadline=r.deadline,
        state=r.state,
    )


def complaint(r) -> ComplaintLine:
    """A complaint row as a line, with local dates."""
    return ComplaintLine(r.id, local_date(r.received_at), local_date(r.resolved_at), r.status)


def products(holdings) -> list[tuple[str, str]]:
    """(code, name) of the products held (customers.holdings: the listings', then by hand)."""
    return sorted({(h.product.code, h.product.name) for h in holdings})


def plan(followups, promises, latest_visit: VisitLine | None, period: Period) -> list[PlanLine]:
    """The follow-up plan after the period, by due date: planned follow-ups, promises falling
    due, and the next visit the latest visit set."""
    actions = [
        PlanLine(
            kind="follow_up",
            due=r.planned_date,
            owner=officer_text(r.officer_name, r.officer_code),
            account_no=r.account_no,
            channel=r.channel,
            purpose=r.purpose,
            notes="\n".join(t for t in (render(r.note_code, r.note_params), r.notes) if t),
        )
        for r in followups
    ]
    actions += [
        PlanLine(
            kind="promise",
            due=r.promised_date,
            owner=officer_text(r.officer_name, r.officer_code),
            account_no=r.account_no,
            amount=r.promised_amount,
        )
        for r in promises
    ]
    next_visit = latest_visit.next_visit_date if latest_visit else None
    if next_visit is not None and next_visit > period.end:
        actions.append(
            PlanLine(
                kind="visit",
                due=next_visit,
                owner=latest_visit.officer,
                account_no=latest_visit.account_no,
                notes=latest_visit.recommendations,
            )
        )
    order = {"visit": 0, "follow_up": 1, "promise": 2}
    return sorted(actions, key=lambda a: (a.due, order[a.kind]))


def review(row) -> ReviewLine | None:
    """The review row as a line (None: not reviewed)."""
    if row is None:
        return None
    return ReviewLine(officer_text(row.reviewer_name, row.reviewer_code), row.reviewed_at, row.note)
