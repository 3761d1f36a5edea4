"""The demo loan book, planned month by month so its figures look like a real Indonesian branch.

Published figures (OJK banking statistics): gross NPL about 2–3 % of loans, Loan at Risk about
10 %, special mention (Kol 2) a few percent. The book is built so every listing of the demo, for
the bank, each branch and each officer, sits there and stays there:

- a performing book of individuals (KPR, KKB, Multiguna: segment consumer; KUR: micro; KMK:
  small) and companies (PT and CV: KMK and KI; segment small or medium), amortising month by
  month, a few new loans starting inside the year;
- late payers: single-loan debtors who slip one or two instalments (Kol 2) and pay up, in a
  rotation that keeps about the same number late every month;
- a default conveyor: each month one small loan per officer stops paying; its DPD grows by 30 a
  month through Kol 2, 3, 4 and 5, and after a year of arrears (DPD ~350) it is written off and
  leaves the listing, so no live loan sits at DPD 400+;
- one restructured loan per officer, current (restructured Kol 1 counts in LaR).

The plan is pure data (no database): `plan_book(officer_no, dates)` gives the debtors and the
loans of an officer with one row per listing date. `aoapp/demo/stories.py` names the loans the
demo's stories are about.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

JUTA = 1_000_000
WRITE_OFF_AFTER = 12  # months of arrears after which a loan leaves the listing (DPD ~350)
LATE_PAYERS = 8
SEGMENT = {"KUR": "micro", "KPR": "consumer", "KKB": "consumer", "MULTIGUNA": "consumer"}

# fmt: off
MEN = ("Slamet", "Bambang", "Hendra", "Rudi", "Agus", "Wahyu", "Teguh", "Yusuf", "Dedi", "Arif",
       "Fajar", "Rahmat", "Joko", "Hadi", "Eko", "Nanang", "Sutrisno", "Rizky", "Andi", "Iwan",
       "Darmawan", "Asep", "Ujang", "Dadang", "Cecep", "Herman", "Gilang", "Imam")
WOMEN = ("Sri", "Wati", "Yanti", "Indah", "Ayu", "Fitri", "Lestari", "Endang", "Ratna", "Dewi",
         "Nining", "Euis", "Rina", "Tuti", "Kurniasih", "Puspa", "Nurul", "Mega", "Siska", "Yuli",
         "Lilis", "Ani", "Ida", "Rosita", "Wulan", "Neneng", "Dian", "Maya")
SURNAMES = ("Wibowo", "Purnomo", "Suryadi", "Kurniawan", "Handayani", "Permana", "Utomo",
            "Firmansyah", "Nugroho", "Setiawan", "Susanto", "Hartono", "Saputra", "Pratama",
            "Siregar", "Nasution", "Harahap", "Lubis", "Sembiring", "Tanjung", "Hidayat",
            "Sulaeman", "Supriatna", "Ramdani", "Mulyana", "Hermawan", "Kusnadi", "Sopandi")
FIRMS = ("Sumber Rejeki", "Karya Mandiri", "Berkah Sentosa", "Cahaya Makmur", "Bintang Mulia",
         "Putra Sejahtera", "Nusantara Prima", "Agung Jaya", "Mitra Usaha", "Tunas Harapan",
         "Sinar Terang", "Anugerah Niaga", "Dwi Tunggal", "Surya Kencana", "Mekar Abadi",
         "Lestari Pangan", "Gemilang Teknik", "Rahayu Logistik")
# fmt: on

# The debtors of the demo's stories (aoapp/demo/stories.py), by officer number and role:
# (name, a woman). Roles: slide (Kol 1 → Kol 2 on the last listing), pending (in arrears, promise
# due this week), kept (paid up after a promise), broken (promise broken, now Kol 3), maturing
# (working capital line ending within 60 days), early_default (new KUR already late).
STORY_DEBTORS = {
    1: {
        "slide": ("CV Sumber Rejeki", False),
        "pending": ("Hendro Wibisono", False),
        "kept": ("Sutarmi Rahayu", True),
        "broken": ("Paimin Sukardi", False),
        "maturing": ("CV Sinar Terang", False),
        "early_default": ("Yayan Ruhiyat", False),
    },
    2: {
        "slide": ("CV Tunas Harapan", False),
        "pending": ("Bambang Sutejo", False),
        "kept": ("Wiwik Suryani", True),
        "broken": ("Darsono Prawiro", False),
        "maturing": ("CV Mekar Abadi", False),
        "early_default": ("Tukiman Harjo", False),
    },
    3: {
        "slide": ("CV Galih Pakuan", False),
        "pending": ("Iwan Setiadi", False),
        "kept": ("Cucu Suhaeti", True),
        "broken": ("Oman Rohman", False),
        "maturing": ("CV Saung Kriya", False),
        "early_default": ("Entis Sutisna", False),
    },
}


@dataclass(frozen=True)
class Debtor:
    """A customer the listings name, created by the demo before the first import."""

    cif: str
    name: str
    customer_type: str  # individual / company
    segment: str
    birth: tuple[int, int, int] | None  # NIK birth (day, +40 for women; month; year)
    serial: int


@dataclass
class Loan:
    """One facility and its row on every listing date (None: not on that listing)."""

    account_no: str
    cif: str
    product: str
    plafond: int
    rate: Decimal
    start: date
    maturity: date
    revolving: bool = False
    restructured: bool = False
    role: str = ""  # the story it carries (STORY_DEBTORS), if any
    paid_to: date | None = None  # the last instalment paid by a loan that stopped paying
    dpd: list[int | None] = field(default_factory=list)  # per listing date; None: absent

    def outstanding(self, t: int, dates: list[date]) -> int:
        """Balance on listing t: revolving lines drawn ~90 %; loans amortise until they stop
        paying (the balance then stays where it was)."""
        if self.revolving:
            return _round(self.plafond * (88 + (t * 7 + self.plafond // JUTA) % 7) / 100)
        paid_until = t
        while paid_until > 0 and (self.dpd[paid_until] or 0) > 0:
            paid_until -= 1
        paid = dates[paid_until]
        if self.paid_to is not None and (self.dpd[t] or 0) > 0:
            paid = min(paid, self.paid_to)
        tenor = _months(self.start, self.maturity)
        gone = min(_months(self.start, paid), tenor - 1)
        return _round(self.plafond * (tenor - gone) / tenor)

    def arrears(self, t: int, dates: list[date]) -> tuple[int, int]:
        """Arrears of principal and interest: one instalment per 30 days past due."""
        dpd = self.dpd[t] or 0
        if not dpd:
            return 0, 0
        months = -(-dpd // 30)
        balance = self.outstanding(t, dates)
        tenor = _months(self.start, self.maturity)
        principal = 0 if self.revolving else min(balance, _round(self.plafond / tenor) * months)
        interest = _round(Decimal(balance) * self.rate / 1200 * months)
        return principal, interest


def _round(value) -> int:
    """Rupiah rounded to thousands."""
    return int((Decimal(value) / 1000).to_integral_value(ROUND_HALF_UP)) * 1000


def _months(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, 28))


class _Planner:
    """Draws an officer's debtors and loans (deterministic per officer)."""

    def __init__(self, officer_no: int, dates: list[date]):
        self.no, self.dates = officer_no, dates
        self.rng = random.Random(2026 * 10 + officer_no)
        self.debtors: list[Debtor] = []
        self.loans: list[Loan] = []
        self.stories = STORY_DEBTORS.get(officer_no, {})
        self.names: set[str] = {name for name, _woman in self.stories.values()}

    def debtor(self, kind: str, segment: str, role: str = "") -> Debtor:
        """A new debtor: a person (kind individual) or a PT / CV (kind "PT" or "CV"); a story's
        debtor has the story's name."""
        n = len(self.debtors) + 1
        if role in self.stories:
            name, woman = self.stories[role]
            ctype = "company" if kind in ("PT", "CV") else "individual"
            day = 14 + (40 if woman else 0)
            birth = None if ctype == "company" else (day, 2 + n % 10, 70 + n % 25)
        elif kind in ("PT", "CV"):
            firms = [f for f in FIRMS if f"{kind} {f}" not in self.names]
            name, ctype, birth = f"{kind} {self.rng.choice(firms)}", "company", None
        else:
            woman = self.rng.random() < 0.45
            while True:
                first = self.rng.choice(WOMEN if woman else MEN)
                name = f"{first} {self.rng.choice(SURNAMES)}"
                if name not in self.names:
                    break
            day = self.rng.randint(1, 28) + (40 if woman else 0)
            birth = (day, self.rng.randint(1, 12), self.rng.randint(62, 99))
            ctype = "individual"
        self.names.add(name)
        debtor = Debtor(f"002{self.no:02d}{n:05d}", name, ctype, segment, birth, 3000 + n)
        self.debtors.append(debtor)
        return debtor

    def loan(self, cif, product, juta, start, months, *, revolving=False, **extra) -> Loan:
        """A loan of about `juta` million, from `start` for `months` months."""
        serial = len(self.loans) + 1
        plafond = round(juta * self.rng.uniform(0.9, 1.1)) * JUTA
        rate = {"KUR": "6.00", "KPR": "8.25", "KKB": "7.50", "MULTIGUNA": "11.50"}.get(
            product, "10.50"
        )
        loan = Loan(
            account_no=f"80{self.no}{serial:07d}",
            cif=cif,
            product=product,
            plafond=plafond,
            rate=Decimal(rate),
            start=start,
            maturity=_add_months(start, months),
            revolving=revolving,
            dpd=[0 if start < d else None for d in self.dates],
            **extra,
        )
        self.loans.append(loan)
        return loan

    def ago(self, months: int) -> date:
        """About `months` months before the first listing (a past start date)."""
        return _add_months(self.dates[0], -months) - timedelta(days=self.rng.randint(3, 20))


def plan_book(officer_no: int, dates: list[date], named: list[tuple]) -> tuple[list, list]:
    """Debtors and loans of one officer; `named` are (cif, product, juta, months) of the demo's
    hand-entered customers, whose credit comes from the listing too."""
    p = _Planner(officer_no, dates)
    for cif, product, juta, months in named:
        p.loan(cif, product, juta, p.ago(months // 3), months, revolving=product == "KMK")
    _performing(p)
    _late_payers(p)
    _conveyor(p)
    return p.debtors, p.loans


def _performing(p: _Planner) -> None:
    """Companies and people who pay on time; a few loans start within the year."""
    for _ in range(2):  # PT: working capital line and an investment loan
        pt = p.debtor("PT", "medium")
        p.loan(pt.cif, "KMK", 2500, p.ago(6), 24, revolving=True)
        p.loan(pt.cif, "KI", 2000, p.ago(20), 84)
    for _ in range(2):
        cv = p.debtor("CV", "small")
        p.loan(cv.cif, "KMK", 750, p.ago(4), 24, revolving=True)
    for product, juta, months, count in (
        ("KPR", 550, 180, 5),
        ("KKB", 180, 48, 3),
        ("MULTIGUNA", 90, 60, 4),
        ("KUR", 60, 36, 6),
    ):
        for _ in range(count):
            d = p.debtor("individual", SEGMENT[product])
            p.loan(d.cif, product, juta, p.ago(p.rng.randint(1, months // 3)), months)
    for n in range(4):  # new loans disbursed during the year
        d = p.debtor("individual", "micro" if n % 2 else "small")
        product, juta = ("KUR", 75) if n % 2 else ("KMK", 300)
        start = p.dates[2 + n * 2] - timedelta(days=12)
        p.loan(d.cif, product, juta, start, 36 if n % 2 else 24, revolving=product == "KMK")
    owner = p.debtor("individual", "small")  # restructured in the past, current since
    p.loan(owner.cif, "KI", 450, p.ago(30), 96, restructured=True)
    # The maturing story: a CV's working capital line ends some 40 days after the last listing.
    cv = p.debtor("CV", "small", "maturing")
    start = _add_months(p.dates[-1] + timedelta(days=40), -12)
    p.loan(cv.cif, "KMK", 900, start, 12, revolving=True, role="maturing")
    # The early-default story: a KUR disbursed two months before the last listing, unpaid.
    d = p.debtor("individual", "micro", "early_default")
    loan = p.loan(d.cif, "KUR", 50, p.dates[-3] - timedelta(days=10), 36, role="early_default")
    loan.dpd[-1] = 21 + p.no


def _late_payers(p: _Planner) -> None:
    """Debtors who slip and pay up: four miss two instalments in a row, four miss one, each in
    turn, so two or three are late on every listing. Number 1 slips on the last listing (the
    Kol 1 → Kol 2 story), number 2 is in its second month then (the pending promise), number 3
    paid up on it (a kept promise)."""
    kinds = [("CV", "KMK", 600), ("CV", "KMK", 650), ("individual", "KMK", 420)]
    kinds += [("individual", "KPR", 500), ("individual", "KMK", 380), ("individual", "KPR", 450)]
    kinds += [("CV", "KMK", 550), ("individual", "KKB", 280)]
    last = len(p.dates) - 1
    for j, (kind, product, juta) in enumerate(kinds[:LATE_PAYERS]):
        segment = SEGMENT.get(product, "small")
        role = {1: "slide", 2: "pending", 3: "kept"}.get(j, "")
        d = p.debtor(kind, segment, role)
        tenor = 60 if product != "KMK" else 48
        loan = p.loan(d.cif, product, juta, p.ago(8), tenor, role=role)
        length = 2 if j < 4 else 1
        for t in range(len(p.dates)):
            phase = (t - last + j - 1) % 4 if j < 4 else (t + j) % 4
            if loan.dpd[t] is None or phase >= length:
                continue
            first = 9 + (7 * t + 5 * j) % 17
            loan.dpd[t] = first if phase == 0 or not t else (loan.dpd[t - 1] or first) + 30


def _conveyor(p: _Planner) -> None:
    """One small loan a month stops paying for good: DPD 20, 50, 80 (Kol 2), 110 (Kol 3), 140,
    170 (Kol 4), 200 … 350 (Kol 5), then written off (off the listing)."""
    months = len(p.dates)
    products = (("KUR", 90, "micro"), ("MULTIGUNA", 80, "consumer"), ("KKB", 100, "consumer"))
    for s in range(-WRITE_OFF_AFTER + 1, months):
        product, juta, segment = products[(s + p.no) % 3]
        role = "broken" if s == months - 4 else ""
        d = p.debtor("individual", segment, role)
        start = _add_months(p.dates[0], s - 8 - (s * 5) % 9)
        loan = p.loan(d.cif, product, juta, start, 36 if product != "KUR" else 24, role=role)
        loan.paid_to = _add_months(p.dates[0], s - 1)
        for t in range(months):
            k = t - s
            if loan.dpd[t] is None or k < 0:
                continue
            loan.dpd[t] = 20 + 30 * k if k < WRITE_OFF_AFTER else None
