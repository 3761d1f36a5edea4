"""The renewal pages: the pipeline (scoped, filtered), one opportunity and its forms (CSRF, 422 and
409 shown on the page), the agenda's maturing loans leading to where the outcome is recorded, and
the page in Indonesian."""

import re
import threading

import pytest
import sqlalchemy as sa

from aoapp.extensions import db
from aoapp.renewals.models import RenewalOpportunity
from aoapp.renewals.pipeline import refresh
from tests.support import renewals as R
from tests.support.i18n import speak_indonesian

pytestmark = pytest.mark.today(R.TODAY)


@pytest.fixture
def fresh(world, loader):
    loader.loan_listing(R.first_loans(world.officer.officer_code), R.OCT31)
    return R.opportunities()


class TestPipelinePage:
    def test_the_officer_sees_own_rows_by_maturity(self, client, auth, fresh):
        auth.login("ao.budi")
        html = client.get("/renewals/").get_data(as_text=True)
        rows = re.findall(r'data-renewal="(\d+)"', html)
        assert [int(r) for r in rows] == [
            o.id for o in sorted(fresh.values(), key=lambda o: o.maturity_date)
        ]
        assert "Top-up candidates" in html

    @pytest.mark.parametrize(
        ("username", "rows"), [("ao.sari", 0), ("spv.jkt", 6), ("spv.bdg", 0), ("admin", 6)]
    )
    def test_scoped(self, client, auth, fresh, username, rows):
        auth.login(username)
        html = client.get("/renewals/").get_data(as_text=True)
        assert len(re.findall(r'data-renewal="', html)) == rows
        status = client.get(f"/renewals/{fresh['L1'].id}").status_code
        assert status == (200 if rows else 404)

    def test_filters_by_window(self, client, auth, fresh):
        auth.login("ao.budi")
        html = client.get("/renewals/?window=30&stage=open").get_data(as_text=True)
        assert len(re.findall(r'data-renewal="', html)) == 4


class TestSteps:
    def test_move_the_stage_from_the_list(self, client, auth, fresh):
        auth.login("ao.budi")
        l2 = fresh["L2"]
        response = auth.post(
            f"/renewals/{l2.id}/stage", {"stage": "proposed", "version": "1", "next": "list"}
        )
        assert response.status_code == 302 and response.headers["Location"].endswith("/renewals/")
        assert R.opportunities()["L2"].stage == "proposed"

    def test_a_stale_form_is_409_and_a_wrong_one_422(self, client, auth, fresh):
        auth.login("ao.budi")
        l1 = fresh["L1"]
        auth.post(f"/renewals/{l1.id}/stage", {"stage": "in_discussion", "version": "1"})
        stale = auth.post(f"/renewals/{l1.id}/stage", {"stage": "proposed", "version": "1"})
        assert stale.status_code == 409
        assert "changed by someone else" in stale.get_data(as_text=True)
        wrong = auth.post(
            f"/renewals/{l1.id}/outcome", {"outcome": "topped_up", "new_plafond": "abc"}
        )
        assert wrong.status_code == 422
        lost = auth.post(f"/renewals/{l1.id}/outcome", {"outcome": "paid_off_lost"})
        assert lost.status_code == 422 and "Say why the customer left." in lost.get_data(
            as_text=True
        )
        assert (
            client.post(f"/renewals/{l1.id}/stage", data={"stage": "proposed"}).status_code == 400
        )

    def test_the_supervisor_allows_a_top_up(self, client, auth, fresh):
        auth.login("spv.jkt")
        l1 = fresh["L1"]
        page = client.get(f"/renewals/{l1.id}").get_data(as_text=True)
        assert 'id="form-topup"' in page
        response = auth.post(f"/renewals/{l1.id}/topup", {"topup_allowed": "true", "version": "1"})
        assert response.status_code == 302
        assert R.opportunities()["L1"].topup_allowed is True


class TestFromTheAgenda:
    def test_a_maturing_loan_leads_to_its_recorded_top_up(self, client, auth, fresh):
        auth.login("ao.budi")
        agenda = client.get("/agenda/").get_data(as_text=True)
        section = agenda[agenda.index('id="renewals"') :]
        ids = re.findall(r'data-kind="renewal" data-id="(\d+)"', section)
        l1 = fresh["L1"]
        assert str(l1.id) in ids and str(fresh["L2"].id) not in ids  # L2: beyond 30 days
        link = re.search(rf'href="(/renewals/{l1.id})"', section).group(1)
        page = client.get(link).get_data(as_text=True)
        assert 'id="outcome"' in page
        done = auth.post(
            f"{link}/outcome",
            {"outcome": "topped_up", "new_plafond": "750,000,000", "version": "1"},
        )
        assert done.status_code == 302
        assert R.opportunities()["L1"].topup_amount == 250_000_000
        agenda = client.get("/agenda/").get_data(as_text=True)
        assert f'data-kind="renewal" data-id="{l1.id}"' not in agenda


class TestIndonesian:
    def test_the_pages_speak_indonesian(self, client, auth, fresh):
        auth.login("ao.budi")
        speak_indonesian(auth)
        html = client.get("/renewals/").get_data(as_text=True)
        assert "Pembaruan" in html and "Perlu dihubungi" in html and "Calon suplesi" in html
        detail = client.get(f"/renewals/{fresh['L1'].id}").get_data(as_text=True)
        assert "Catat hasil" in detail and "Pindahkan ke tahap lain" in detail


def test_two_runs_at_once_create_one(app, world, loader):
    """Two refreshes in two threads (their own sessions) at the same moment: one row per maturity,
    and neither fails."""
    loader.loan_listing(
        [
            R.loan(
                "L1", "CIF1", world.officer.officer_code, R.NOV30.replace(day=29), product_code="KI"
            )
        ],
        R.OCT31,
    )
    db.session.execute(sa.delete(RenewalOpportunity))
    db.session.commit()
    start, errors = threading.Barrier(2), []

    def run():
        with app.app_context():
            try:
                start.wait()
                refresh(loans=True, deposits=False)
            except Exception as error:  # noqa: BLE001  (the test reports it)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert R.count() == 1
