"""Everything a per-customer workbook shows, loaded for a batch of customers at once.

`load_customer_reports(ids, period, as_of)` runs a fixed number of queries per batch of up to 500
customers (queries.py, activity.py), whatever the batch size, and assembles one
`CustomerReportData` per customer; the builder (workbook.py) turns it into sheets
without touching the database.

Definitions (a period runs from `period.start` to `period.end`; `as_of` is its last listing):
- facilities: those active in the period (history.facility_lines); products held, deposits:
  the holdings on the period's last day (customers.holdings, funding.holdings);
- debtor Kol, max DPD: the debtor's latest listing in the period; Kol at the start: its last
  listing before the period; introductions by date, follow-ups by planned date, promises by
  promised date, complaints by the bank's local day of receipt, visits by visit date;
- every state (promises kept/broken/pending, follow-ups done, complaints open, watchlist
  signals) is judged as of the period's judging day (`kpis/periods.judging_day`: its last day,
  or today while it runs), from what is dated up to that day: a closed period's report says the
  same whenever it is made;
- revisions: corrections recorded after the period closed to records dated inside it
  (reports/revisions.py), which the Summary names.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from aoapp.common.i18n import locale_code
from aoapp.common.read_memo import remembering
from aoapp.credit.collectibility import is_npl, kol_name, load_bands
from aoapp.credit.figures import ratio
from aoapp.customers.holdings import DEPOSIT_LISTING, holdings_of
from aoapp.errors import InvalidInput
from aoapp.followups.models import FollowUpStatus
from aoapp.funding.holdings import DepositLine
from aoapp.kpis.periods import Period, judging_day, month_ends
from aoapp.plans.shown import ReportPlan, plans_for_report
from aoapp.reports.customer import activity, lines, plan
from aoapp.reports.customer import queries as q
from aoapp.reports.customer.history import (
    ZERO,
    DebtorStatus,
    FacilityLine,
    HistoryMonth,
    debtor_status,
    facility_lines,
    history,
)
from aoapp.reports.customer.lines import (
    ComplaintLine,
    Interaction,
    PlanLine,
    PromiseLine,
    ReviewLine,
    VisitLine,
    WatchEntry,
)
from aoapp.reports.customer.signers import Signers, signers
from aoapp.reports.revisions import Revision, customer_revisions

BATCH_SIZE = 500  # ids per batch: IN lists stay well below every database's parameter limit
HISTORY_MONTHS = 12

__all__ = [
    "BATCH_SIZE",
    "ComplaintLine",
    "CustomerReportData",
    "FacilityLine",
    "HistoryMonth",
    "Interaction",
    "PlanLine",
    "PromiseLine",
    "ReviewLine",
    "VisitLine",
    "WatchEntry",
    "load_customer_reports",
]


@dataclass
class CustomerReportData:
    """One customer's report for one period: identity, credit, activity; figures derived."""

    customer_id: int
    cif: str
    name: str
    customer_type: str
    segment: str
    since: date
    branch_id: int
    branch_code: str
    branch_name: str
    officer_id: int | None
    officer_username: str | None
    officer_code: str | None
    officer_name: str | None
    period: Period
    as_of: date
    judged_on: date  # the period's judging day: every state is as of it
    kol_names: dict[int, str]
    facilities: list[FacilityLine] = field(default_factory=list)
    debtor: DebtorStatus = field(default_factory=DebtorStatus)
    kol_start: int | None = None
    kol_start_date: date | None = None
    history: list[HistoryMonth] = field(default_factory=list)
    history_accounts: list[tuple[int, str]] = field(default_factory=list)
    products_held: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    deposits: list[DepositLine] = field(default_factory=list)  # at the period's end
    deposits_as_of: date | None = None  # the deposits listing they are from
    interactions: list[Interaction] = field(default_factory=list)  # newest first
    promises: list[PromiseLine] = field(default_factory=list)
    complaints: list[ComplaintLine] = field(default_factory=list)
    visits: list[VisitLine] = field(default_factory=list)  # in the period, newest first
    latest_visit: VisitLine | None = None  # the latest up to the period's end
    watchlist: list[WatchEntry] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)  # corrections, newest first
    plan: list[PlanLine] = field(default_factory=list)  # the RTL after the period, by due date
    signers: Signers = field(default_factory=Signers)  # officer and supervisors at period end
    review: ReviewLine | None = None  # the latest review of the customer's period
    account_plan: ReportPlan | None = None  # the plan of the period's year, judged at its end

    @property
    def total_plafond(self) -> Decimal:
        return sum((f.plafond for f in self.facilities), ZERO)

    @property
    def total_outstanding(self) -> Decimal:
        return sum((f.outstanding or ZERO for f in self.facilities), ZERO)

    @property
    def utilisation(self) -> Decimal:
        """Outstanding / plafond, 4 places (0 without plafond)."""
        return ratio(self.total_outstanding, self.total_plafond)

    @property
    def npl(self) -> bool:
        return self.debtor.kol is not None and is_npl(self.debtor.kol)

    @property
    def kol_movement(self) -> str | None:
        """upgrade, downgrade or unchanged from the start to the end of the period (None: n/a)."""
        start, end = self.kol_start, self.debtor.kol
        if start is None or end is None:
            return None
        return "downgrade" if end > start else "upgrade" if end < start else "unchanged"

    def _kinds(self, kind: str) -> list[Interaction]:
        return [i for i in self.interactions if i.kind == kind]

    @property
    def introduction_outcomes(self) -> dict[str, int]:
        return dict(Counter(i.status for i in self._kinds("introduction")).most_common())

    @property
    def followup_counts(self) -> dict[str, int]:
        """Follow-ups planned in the period, by status (every status present, zeros included)."""
        counts = Counter(i.status for i in self._kinds("follow_up"))
        return {status.value: counts.get(status.value, 0) for status in FollowUpStatus}

    @property
    def promise_counts(self) -> dict[str, int]:
        counts = Counter(p.state for p in self.promises)
        return {state: counts.get(state, 0) for state in ("kept", "broken", "pending")}

    @property
    def complaints_received(self) -> int:
        start, end = self.period.start, self.period.end
        return sum(1 for c in self.complaints if start <= c.received_on <= end)

    @property
    def complaints_open(self) -> int:
        """Complaints not resolved by the end of the period."""
        end = self.period.end
        return sum(1 for c in self.complaints if c.resolved_on is None or c.resolved_on > end)

    @property
    def complaints_resolved(self) -> int:
        """Complaints resolved within the period."""
        start, end = self.period.start, self.period.end
        return sum(1 for c in self.complaints if c.resolved_on and start <= c.resolved_on <= end)

    def kol_text(self, kol: int | None) -> str:
        """`2 – Special mention`, or an empty string."""
        return "" if kol is None else f"{kol} – {self.kol_names.get(kol, '')}".rstrip(" –")


def _batch(ids: list[int], period: Period, as_of: date, context: dict) -> dict:
    """The reports of one batch (≤ BATCH_SIZE customers), in a fixed number of queries."""
    months = month_ends(as_of, HISTORY_MONTHS)
    first, last = period.start, period.end
    judged_on = context["judged_on"]
    customers = q.customers(ids)
    loaded = {
        "facilities": q.facilities(ids),
        "positions": q.positions(ids, min(months[0][0], first), as_of),
        "before": q.kol_before(ids, first),
        "introductions": activity.introductions(ids, first, last),
        "followups": activity.followups(ids, first, last, judged_on),
        "promises": activity.promises(ids, first, last, judged_on),
        "complaints": activity.complaints(ids, first, last),
        "visits": activity.visits(ids, first, last),
        "holdings": holdings_of(ids, last),  # what each holds at the period's end
        "signals": q.watchlist(ids, as_of, context["next_as_of"], judged_on),
        "revisions": customer_revisions(ids, period),
        "plan_followups": plan.planned_after(ids, last, judged_on),
        "plan_promises": plan.promises_after(ids, last, judged_on),
        "reviews": plan.latest_reviews(ids, period.code),
        "signers": signers(customers, judged_on),
        "account_plans": plans_for_report(ids, judged_on),
    }
    return {
        customer_id: _assemble(row, loaded, months, period, as_of, context)
        for customer_id, row in customers.items()
    }


def _assemble(c, loaded: dict, months, period: Period, as_of: date, context: dict):
    """One customer's report from the batch's query results."""
    positions = loaded["positions"]

    def own(name: str) -> list:
        return loaded[name].get(c.id, [])

    facilities = own("facilities")
    listed = facility_lines(facilities, positions, period, as_of)
    history_rows, accounts = history(facilities, positions, months, as_of)
    start = loaded["before"].get(c.id)
    visits = [lines.visit(r) for r in own("visits")]
    return CustomerReportData(
        customer_id=c.id,
        cif=c.cif,
        name=c.name,
        customer_type=c.customer_type,
        segment=c.segment,
        since=c.since,
        branch_id=c.branch_id,
        branch_code=c.branch_code,
        branch_name=c.branch_name,
        officer_id=c.officer_id,
        officer_username=c.officer_username,
        officer_code=c.officer_code,
        officer_name=c.officer_name,
        period=period,
        as_of=as_of,
        judged_on=context["judged_on"],
        kol_names=context["kol_names"],
        facilities=listed,
        debtor=debtor_status(facilities, positions, period),
        kol_start=start[1] if start else None,
        kol_start_date=start[0] if start else None,
        history=history_rows,
        history_accounts=accounts,
        products_held=lines.products(own("holdings")),
        deposits=[h.detail for h in own("holdings") if h.source == DEPOSIT_LISTING],
        deposits_as_of=context["deposits_as_of"],
        interactions=lines.interactions(
            own("introductions"), own("followups"), own("complaints"), period
        ),
        promises=[lines.promise(r) for r in own("promises")],
        complaints=[lines.complaint(r) for r in own("complaints")],
        visits=[v for v in visits if v.visit_date >= period.start],
        latest_visit=visits[0] if visits else None,
        watchlist=lines.watch_entries(own("signals"), context["bands"]),
        revisions=own("revisions"),
        plan=lines.plan(
            own("plan_followups"), own("plan_promises"), visits[0] if visits else None, period
        ),
        signers=loaded["signers"][c.id],
        review=lines.review(loaded["reviews"].get(c.id)),
        account_plan=loaded["account_plans"].get(c.id),
    )


def load_customer_reports(
    customer_ids: list[int], period: Period, as_of: date | None
) -> dict[int, CustomerReportData]:
    """The report data of each customer (unknown ids are left out), in batches of 500.

    `as_of` is the period's listing date (`periods.period_as_of`); a period without one is
    InvalidInput (nothing to report on, so no file should be written). Each batch runs the same
    queries whatever its size; the bands and the listing dates are read once.
    """
    if as_of is None:
        raise InvalidInput(
            _(
                "There are no positions in %(period)s: import its listing first.",
                period=period.local_label,
            ),
            {"period": [_("No positions in this period.")]},
        )
    ids = sorted(set(customer_ids))
    with remembering():  # a read: the listing dates are read once (common/latest.py)
        bands = load_bands()
        next_as_of, deposits_as_of = q.listing_dates(as_of, period.end)
        context = {
            "bands": bands,
            # Kol names in the workbook's language (generation forces the locale).
            "kol_names": {band.kol: kol_name(band.kol, bands, locale_code()) for band in bands},
            "next_as_of": next_as_of,
            "judged_on": judging_day(period),
            "deposits_as_of": deposits_as_of,
        }
        reports: dict[int, CustomerReportData] = {}
        for index in range(0, len(ids), BATCH_SIZE):
            reports.update(_batch(ids[index : index + BATCH_SIZE], period, as_of, context))
    return reports
