"""The demo's deposits, planned month by month beside its loan book (demo/book.py), so the funding,
relationship and retention blocks have something true to show on first start.

- the hand-entered customers hold the deposit accounts recorded for them (demo/data.py), under
  the same account numbers;
- most borrowers hold a tabungan, opened a week before their first loan; companies a giro, and
  some an ARO deposito;
- three depositors per officer hold no loan: one has a large non-ARO deposito maturing within the
  week after the demo's today (a retention call), one an ARO deposito rolling over in the same
  days (no call: it renews itself), one a tabungan opened during the year;
- balances drift a few percent a month, never enough to look like a withdrawal, except one: the
  first PT of the first officer empties most of its giro on the last listing (a retention call);
- a written-off borrower's small tabungan goes dormant; another's is closed during the year.

Pure data, like demo/book.py: `plan_deposits` gives each officer's depositors to enter and the
accounts with one balance per listing date (None: not on that listing).
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from aoapp.demo.book import Debtor, Loan, _add_months

JUTA = 1_000_000
# The depositors who hold no loan, per officer: (name, a woman, their story).
DEPOSITORS = {
    1: (("Hj. Siti Maryam", True, "maturing"), ("Hendrawan Tanoto", False, "aro"),
        ("Lusiana Wijaya", True, "new")),
    2: (("H. Abdul Rachman", False, "maturing"), ("Irene Kusumawati", True, "aro"),
        ("Bonifasius Sitompul", False, "new")),
    3: (("Hj. Euis Rohaeti", True, "maturing"), ("Dadan Ramdhani", False, "aro"),
        ("Rika Puspitasari", True, "new")),
}  # fmt: skip
# The large non-ARO deposito of each officer's "maturing" depositor: juta, days after today.
MATURING = {1: (1500, 3), 2: (850, 5), 3: (2250, 6)}
RATES = {"TABUNGAN": "1.00", "GIRO": "0.75", "DEPOSITO": "4.50"}
KINDS = {"TABUNGAN": "tabungan", "GIRO": "giro", "DEPOSITO": "deposito"}


@dataclass(frozen=True)
class Depositor:
    """A customer the deposits listing names who holds no loan, entered before the first import."""

    cif: str
    name: str
    birth: tuple[int, int, int]  # NIK birth (day, +40 for women; month; year)
    serial: int


@dataclass
class Deposit:
    """One deposit account and its balance on every listing date (None: not on that listing)."""

    account_no: str
    cif: str
    product: str  # TABUNGAN, GIRO, DEPOSITO
    opened: date
    balances: list[int | None] = field(default_factory=list)
    tenor: int | None = None  # deposito: months of one term
    aro: bool | None = None
    matures: date | None = None  # a non-ARO deposito's one maturity
    status: list[str] = field(default_factory=list)

    def maturity(self, as_of: date) -> date | None:
        """The maturity the listing of `as_of` shows: the term running then (ARO: rolled)."""
        if self.product != "DEPOSITO":
            return None
        if not self.aro:
            return self.matures
        terms = 1
        while _add_months(self.opened, terms * self.tenor) <= as_of:
            terms += 1
        return _add_months(self.opened, terms * self.tenor)


class _Planner:
    """Draws an officer's deposits (deterministic per officer)."""

    def __init__(self, officer_no: int, dates: list[date], today: date):
        self.no, self.dates, self.today = officer_no, dates, today
        self.rng = random.Random(2027 * 10 + officer_no)
        self.deposits: list[Deposit] = []
        self.withdrawal = officer_no != 1  # the first officer's first PT makes the withdrawal

    def account(self, cif, product, juta, opened, account_no=None, **extra) -> Deposit:
        """An account of about `juta` million, on every listing from its opening on."""
        serial = len(self.deposits) + 1
        digit = {"TABUNGAN": 1, "GIRO": 2, "DEPOSITO": 3}[product]
        base = juta * self.rng.uniform(0.8, 1.25) * JUTA
        phase = self.rng.uniform(0, 2 * math.pi)
        steady = product == "DEPOSITO"
        deposit = Deposit(
            account_no or f"1{digit}{self.no}{serial:07d}", cif, product, opened, **extra
        )
        for t, as_of in enumerate(self.dates):
            drift = 1 if steady else (1 + 0.008 * t) * (1 + 0.02 * math.sin(t + phase))
            deposit.balances.append(_thousands(base * drift) if opened <= as_of else None)
            deposit.status.append("active")
        self.deposits.append(deposit)
        return deposit


def _thousands(value: float) -> int:
    """Rupiah rounded to thousands."""
    return int(round(value / 1000)) * 1000


def _next_day_of_month(day: date) -> date:
    """`day`, or the next day numbered 28 or less (an ARO term keeps its day of the month)."""
    while day.day > 28:
        day += timedelta(days=1)
    return day


def plan_deposits(
    officer_no: int,
    dates: list[date],
    today: date,
    debtors: list[Debtor],
    loans: list[Loan],
    hand: list[tuple[str, list[str], date]],
) -> tuple[list[Depositor], list[Deposit]]:
    """The depositors to enter and the deposit accounts of one officer. `hand` lists the
    hand-entered customers' (CIF, products held, customer since)."""
    p = _Planner(officer_no, dates, today)
    for cif, products, since in hand:
        for position, code in enumerate(products, start=1):
            if code in KINDS:
                juta = {"TABUNGAN": 40, "GIRO": 450, "DEPOSITO": 600}[code]
                extra = {"tenor": 6, "aro": True} if code == "DEPOSITO" else {}
                p.account(cif, code, juta, since, f"{cif}{position:02d}", **extra)
    _borrowers(p, debtors, loans)
    return _depositors(p), p.deposits


def _borrowers(p: _Planner, debtors: list[Debtor], loans: list[Loan]) -> None:
    """Six borrowers in seven hold a tabungan, companies a giro; some an ARO deposito."""
    first_loan: dict[str, Loan] = {}
    for loan in loans:
        if loan.cif not in first_loan or loan.start < first_loan[loan.cif].start:
            first_loan[loan.cif] = loan
    idle = []  # the tabungan of borrowers whose loan was written off
    for n, debtor in enumerate(debtors):
        loan = first_loan[debtor.cif]
        opened = loan.start - timedelta(days=7)
        if debtor.customer_type == "company":
            giro = p.account(debtor.cif, "GIRO", 900 if debtor.name[:2] == "PT" else 250, opened)
            if n % 2 == 0:
                p.account(debtor.cif, "DEPOSITO", 500, opened, tenor=3, aro=True)
            if debtor.name[:2] == "PT" and not p.withdrawal and giro.balances[-2]:
                giro.balances[-1] = _thousands(giro.balances[-2] * 0.15)  # the large withdrawal
                p.withdrawal = True
        elif n % 7 != 3:
            juta = 15 if debtor.segment in ("micro", "consumer") else 60
            tabungan = p.account(debtor.cif, "TABUNGAN", juta, opened)
            if loan.dpd[-1] is None:
                idle.append(tabungan)
            if n % 9 == 0:
                p.account(debtor.cif, "DEPOSITO", 150, opened, tenor=12, aro=True)
    idle[0].status[-4:] = ["dormant"] * 4
    closed = idle[1]  # emptied, then closed five listings ago (too small for a call)
    closed.balances[-6] = min(closed.balances[-6], 3 * JUTA)
    closed.balances[-5:] = [None] * 5


def _depositors(p: _Planner) -> list[Depositor]:
    """The officer's depositors who hold no loan, with their accounts."""
    people = []
    for n, (name, woman, story) in enumerate(DEPOSITORS[p.no], start=1):
        birth = (7 * n + (40 if woman else 0), 2 + 3 * n, 55 + 6 * n)
        person = Depositor(f"003{p.no:02d}{n:05d}", name, birth, 4000 + n)
        people.append(person)
        long_ago = p.dates[0] - timedelta(days=700 + 90 * n)
        if story == "new":
            p.account(person.cif, "TABUNGAN", 120, p.dates[4] - timedelta(days=10))
            continue
        p.account(person.cif, "TABUNGAN", 80, long_ago)
        if story == "maturing":
            juta, days = MATURING[p.no]
            matures = p.today + timedelta(days=days)
            opened = matures - timedelta(days=365)
            deposit = p.account(
                person.cif, "DEPOSITO", juta, opened, tenor=12, aro=False, matures=matures
            )
            deposit.balances = [juta * JUTA if b is not None else None for b in deposit.balances]
        else:  # an ARO deposito rolling over within the same week: no call needed
            rolls = _next_day_of_month(p.today + timedelta(days=2))
            p.account(person.cif, "DEPOSITO", 700, _add_months(rolls, -3 * 8), tenor=3, aro=True)
    return people
