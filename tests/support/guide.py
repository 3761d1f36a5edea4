"""The user guide's pages and pictures for the tests: the guide files, what they link and show,
and the demo records the pictures' pages name (tests/support/screenshots.py GUIDE_SHOTS)."""

import posixpath
import re
from pathlib import Path

import sqlalchemy as sa

from aoapp.customers.models import Customer
from aoapp.demo.stories import STORIES
from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.help.topics import DOCS, FOLDERS, GUIDES
from tests.support.screenshots import GUIDE_DIR, GUIDE_SHOTS

OFFICER = "ao.sari"
# The debtor who broke his promise to pay and is now Kol 3: an overdue call on the agenda.
DEBTOR = next(s.name for s in STORIES if s.officer == OFFICER and s.signal == "broken_ptp")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def guide_files() -> list[Path]:
    """Every page of the guide, both languages."""
    return [DOCS / folder / f"{slug}.md" for folder in FOLDERS.values() for slug in GUIDES]


def targets(path: Path) -> list[str]:
    """The links and pictures of a Markdown page, as written."""
    return LINK.findall(path.read_text(encoding="utf-8"))


def pictures(path: Path) -> list[str]:
    """The GUIDE_SHOTS names a guide page shows (`![..](../img/guide/<name>)`)."""
    prefix = f"img/{GUIDE_DIR}/"
    found = []
    for target in targets(path):
        resolved = posixpath.normpath(posixpath.join(path.parent.name, target))
        if resolved.startswith(prefix):
            found.append(resolved.removeprefix(prefix))
    return found


def demo_records() -> dict[str, str]:
    """What GUIDE_SHOTS paths and headings name in the seeded demo bank: {debtor} (the debtor's
    id; his name in headings) and {call} (his planned collection call)."""
    debtor = db.session.scalars(sa.select(Customer).where(Customer.name == DEBTOR)).one()
    call = db.session.scalars(
        sa.select(FollowUp)
        .where(
            FollowUp.customer_id == debtor.id,
            FollowUp.purpose == "collection",
            FollowUp.status == "planned",
        )
        .order_by(FollowUp.planned_date, FollowUp.id)
    ).first()
    assert call is not None, f"{DEBTOR} has no planned collection call in the demo bank"
    return {"debtor": str(debtor.id), "call": str(call.id)}


def shot_path(name: str, records: dict[str, str]) -> str:
    """The URL path of picture `name`, its demo records filled in."""
    return GUIDE_SHOTS[name].path.format(**records)


def shot_heading(name: str) -> str:
    """The Indonesian <h1> the picture's page shows."""
    return GUIDE_SHOTS[name].heading.format(debtor=DEBTOR)
