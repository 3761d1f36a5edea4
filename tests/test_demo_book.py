"""The demo bank a banker believes: published-like figures every month, debtors whose legal form
and products fit, complaints of their own, the stories on their pages, and Indonesian texts.

Figures are read with the portfolio's own query (`credit.figures.scope_figures`) on the seeded
demo (`demo_bank`, seeded once per run), for the bank, each branch and each officer.
"""

from collections import defaultdict
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.auth.models import Branch, User
from aoapp.complaints.models import Complaint
from aoapp.credit.figures import as_of_dates, resolve_scope, scope_figures
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.demo.stories import STORIES
from aoapp.extensions import db
from aoapp.products.models import Product
from tests.support.demo import DEMO_PASSWORD
from tests.support.words import ENGLISH_RE

OFFICERS = ("ao.budi", "ao.sari", "ao.dewi")
CONSUMER_PRODUCTS = {"KPR", "KKB", "MULTIGUNA"}
# Text columns the demo writes; an import's message is the import's (not typed in the demo).
NOT_DEMO_TEXT = {"position_imports.message"}


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def scopes() -> list[tuple[str, object]]:
    """The bank, each branch and each officer, as the admin resolves them."""
    admin = user("admin")
    found = [("bank", resolve_scope(admin))]
    for branch in db.session.scalars(sa.select(Branch).order_by(Branch.code)):
        found.append((branch.code, resolve_scope(admin, branch_id=branch.id)))
    for username in OFFICERS:
        found.append((username, resolve_scope(admin, officer_id=user(username).id)))
    return found


class TestDemoFigures:
    def test_npl_kol2_and_lar_sit_in_published_bands_every_month(self, demo_bank):
        """NPL gross 2–3 %, Kol 2 5–8 %, LaR about 10 %, for the bank, each branch and each
        officer, on each of the twelve listings; NPL never moves a point from one to the next."""
        for name, scope in scopes():
            dates = sorted(as_of_dates(scope))
            assert len(dates) == 12, name
            npl = []
            for as_of in dates:
                figures = scope_figures(scope, as_of)
                kol2 = next(row.share for row in figures.kol_distribution if row.kol == 2)
                seen = (name, as_of, figures.npl_ratio, kol2, figures.lar_ratio)
                assert Decimal("0.020") <= figures.npl_ratio <= Decimal("0.030"), seen
                assert Decimal("0.050") <= kol2 <= Decimal("0.080"), seen
                assert Decimal("0.085") <= figures.lar_ratio <= Decimal("0.120"), seen
                npl.append(figures.npl_ratio)
            steps = [abs(b - a) for a, b in zip(npl, npl[1:], strict=False)]
            assert max(steps) < Decimal("0.01"), (name, npl)

    def test_loans_in_arrears_move_a_month_at_a_time_and_leave_when_written_off(self, demo_bank):
        rows = db.session.execute(
            sa.select(Position.facility_id, Position.as_of, Position.dpd).order_by(
                Position.facility_id, Position.as_of
            )
        ).all()
        dates = sorted({as_of for _f, as_of, _d in rows})
        assert max(dpd for *_rest, dpd in rows) <= 360  # written off before a year and a half
        assert any(dpd > 180 for *_rest, dpd in rows)  # but Kol 5 exists
        history = defaultdict(list)
        for facility_id, as_of, dpd in rows:
            history[facility_id].append((as_of, dpd))
        cured = written_off = 0
        for positions in history.values():
            for (day, before), (next_day, after) in zip(positions, positions[1:], strict=False):
                assert dates.index(next_day) == dates.index(day) + 1  # no gaps
                if before and after:
                    assert 25 <= after - before <= 35, positions  # ~30 days a month unpaid
                cured += bool(before and not after)
            last_day, last_dpd = positions[-1]
            written_off += last_day != dates[-1] and last_dpd > 180
        assert cured >= 10 and written_off >= 10

    def test_legal_form_segment_and_identity_follow_the_name(self, demo_bank):
        for customer in db.session.scalars(sa.select(Customer)):
            company = customer.name.startswith(("PT ", "CV "))
            about = (customer.name, customer.customer_type, customer.segment)
            assert (customer.customer_type == "company") == company, about
            if company:
                assert customer.npwp and not customer.nik, about
                assert customer.segment in ("small", "medium", "corporate"), about
            else:
                assert customer.nik, about

    def test_products_fit_the_debtor(self, demo_bank):
        """Konsumer debtors hold consumer credit only (no KUR); KUR goes to micro and small
        businesses; companies hold no consumer credit."""
        rows = db.session.execute(
            sa.select(Customer.name, Customer.customer_type, Customer.segment, Product.code)
            .join(Facility, Facility.customer_id == Customer.id)
            .join(Product, Product.id == Facility.product_id)
        ).all()
        assert len(rows) > 150
        for name, kind, segment, code in rows:
            if segment == "consumer":
                assert code in CONSUMER_PRODUCTS, (name, code)
            if code == "KUR":
                assert segment in ("micro", "small"), (name, segment)
            if kind == "company":
                assert code not in CONSUMER_PRODUCTS, (name, code)

    def test_every_complaint_is_its_own(self, demo_bank):
        complaints = db.session.scalars(sa.select(Complaint)).all()
        assert len(complaints) == 15
        assert len({c.description for c in complaints}) == len(complaints)
        by_officer = defaultdict(set)
        for complaint in complaints:
            by_officer[complaint.officer_id].add(complaint.customer_id)
        assert [len(customers) for customers in by_officer.values()] == [5, 5, 5]


class TestDemoStories:
    @pytest.mark.parametrize("username", OFFICERS)
    def test_every_story_shows_on_its_page_today(self, demo_bank, client, auth, username):
        stories = [s for s in STORIES if s.officer == username]
        assert len(stories) >= 2
        auth.login(username, DEMO_PASSWORD)
        for story in stories:
            if story.page == "agenda":
                url = "/agenda/"
            else:
                url = f"/portfolio/watchlist?signal={story.signal}"
            response = client.get(url)
            assert response.status_code == 200, url
            assert story.name in response.get_data(as_text=True), (story, url)


class TestDemoLanguage:
    def test_texts_typed_in_the_demo_are_indonesian(self, demo_bank):
        """No common English word in any free text the demo wrote (notes, descriptions,
        complaints, reasons, campaign texts); system texts are codes, shown in the reader's
        language."""
        offenders, checked = [], 0
        for table in db.metadata.sorted_tables:
            if table.name.startswith("audit"):
                continue
            for column in table.columns:
                name = f"{table.name}.{column.name}"
                if not isinstance(column.type, sa.Text) or name in NOT_DEMO_TEXT:
                    continue
                for value in db.session.scalars(sa.select(column).where(column.is_not(None))):
                    checked += bool(value)
                    if ENGLISH_RE.search(value.replace("No. ", "")):  # nomor
                        offenders.append((name, value))
        assert checked > 300 and offenders == []
