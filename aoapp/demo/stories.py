"""The demo's deliberate stories: what each officer finds on the agenda or the watchlist today.

The book (demo/book.py) gives every officer the same kinds of accounts; these are the ones the
demo points at, named so a presenter can tell them:

ao.budi (Budi Santoso, Jakarta Sudirman)
  1. Hendro Wibisono (KMK, second instalment unpaid) promised to pay this week: the promise is
     pending and the WhatsApp check of it is on the agenda in the next days.
  2. CV Sumber Rejeki slid from Kol 1 to Kol 2 on the last listing: early warning on the
     watchlist (DPD rose, Kol worsened).
  3. A walk-in prospect, Joko Susilo, to call today: on today's agenda.

ao.sari (Sari Lestari, Jakarta Sudirman)
  1. Darsono Prawiro (KUR) broke his promise to pay and is now Kol 3: on the watchlist (broken
     promise) and an overdue call on the agenda.
  2. CV Mekar Abadi's working capital line matures within 60 days: on the watchlist (maturity),
     time to talk renewal.
  3. The complaint of Ratna Sari Dewi about the working capital rate is past its due date:
     overdue on the agenda.

ao.dewi (Dewi Kartika, Bandung Dago)
  1. Entis Sutisna's KUR, disbursed two months ago, is already past due: early default on the
     watchlist.
  2. Iwan Setiadi (KMK, in arrears) promised to pay this week: pending, on the agenda.
  3. A walk-in prospect, Dadan Ramdani, to call today: on today's agenda.

Each officer also has a kept promise (the `kept` debtor of demo/book.py paid up after it).
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from aoapp.credit.models import Facility
from aoapp.demo import data
from aoapp.demo.book import STORY_DEBTORS
from aoapp.demo.credit import officer_book
from aoapp.extensions import db


@dataclass(frozen=True)
class Story:
    """One story: whose, about whom, and on which page (agenda or watchlist) it shows."""

    officer: str
    name: str
    page: str  # "agenda" or "watchlist"
    signal: str | None = None  # the watchlist signal it shows with, if any


def _debtor(username: str, role: str) -> str:
    return STORY_DEBTORS[data.OFFICERS[username][0]][role][0]


STORIES = (
    Story("ao.budi", _debtor("ao.budi", "pending"), "agenda"),
    Story("ao.budi", _debtor("ao.budi", "slide"), "watchlist", "downgrade"),
    Story("ao.budi", data.prospect_name(1, 1), "agenda"),
    Story("ao.sari", _debtor("ao.sari", "broken"), "watchlist", "broken_ptp"),
    Story("ao.sari", _debtor("ao.sari", "maturing"), "watchlist", "maturity_soon"),
    Story("ao.sari", data.customer_name(2, 2), "agenda"),
    Story("ao.dewi", _debtor("ao.dewi", "early_default"), "watchlist", "early_default"),
    Story("ao.dewi", _debtor("ao.dewi", "pending"), "agenda"),
    Story("ao.dewi", data.prospect_name(3, 1), "agenda"),
)


def story_facilities(username: str, today: date) -> dict[str, int]:
    """Facility id of each story role of an officer's book (roles present in the database)."""
    _debtors, loans, _dates = officer_book(username, today)
    accounts = {loan.account_no: loan.role for loan in loans if loan.role}
    rows = db.session.execute(
        sa.select(Facility.account_no, Facility.id).where(Facility.account_no.in_(list(accounts)))
    )
    return {accounts[account]: facility_id for account, facility_id in rows}
