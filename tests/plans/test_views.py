"""The plan pages: the form in Indonesian and English, amounts and dates as people write them,
errors by field and goal row, the plan on one screen, the customer page's card, the review and
comment actions, and the supervisor's coverage."""

import re
from datetime import date
from decimal import Decimal

import pytest

from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from aoapp.plans.services import current_plan
from tests.plans.conftest import TODAY
from tests.support.i18n import english_leftovers, speak_indonesian

pytestmark = pytest.mark.today(TODAY.isoformat())
APR30 = date(2026, 4, 30)


def _form(**extra) -> dict:
    data = {
        "needs": "Modal kerja stok Lebaran",
        "need_tags": ["working_capital", "payroll"],
        "next_step": "Kunjungi toko Senin depan",
        "review_months": "3",
        "goals-0-kind": "outstanding_at_least",
        "goals-0-target": "Rp 2 M",
        "goals-0-due_date": "30/06/2026",
        "goals-1-kind": "dpk_at_least",
        "goals-1-target": "500 jt",
        "goals-2-kind": "holds_product",
        "goals-2-target": "giro",
        "goals-2-due_date": "2026-06-30",
        "goals-3-kind": "action",
        "goals-3-text": "Presentasi payroll",
        "goals-3-due_date": "29-05-2026",
    }
    return data | extra


def _english(**extra) -> dict:
    return _form(**{"goals-0-target": "2,000,000,000", "goals-1-target": "500,000,000"} | extra)


def _edit(bank) -> str:
    return f"/customers/{bank.customer.id}/plan/edit"


class TestForm:
    def test_indonesian_amounts_and_dates_are_read(self, client, auth, bank):
        auth.login("ao.budi")
        speak_indonesian(auth)
        response = auth.post(_edit(bank), _form())
        assert response.status_code == 302, response.get_data(as_text=True)
        plan = current_plan(bank.customer.id, TODAY)
        assert [(g.kind, g.amount, g.due_date) for g in plan.goals] == [
            ("outstanding_at_least", Decimal("2000000000.00"), date(2026, 6, 30)),
            ("dpk_at_least", Decimal("500000000.00"), None),
            ("holds_product", None, date(2026, 6, 30)),
            ("action", None, date(2026, 5, 29)),
        ]
        assert plan.need_tags == ["working_capital", "payroll"]
        page = client.get(_edit(bank)).get_data(as_text=True)
        assert 'value="2.000.000.000"' in page  # shown back as people write it
        assert 'value="30/06/2026"' in page

    def test_english_amounts_are_read_in_english(self, client, auth, bank):
        auth.login("ao.budi")
        response = auth.post(_edit(bank), _english())
        assert response.status_code == 302
        assert current_plan(bank.customer.id, TODAY).goals[0].amount == Decimal("2000000000")

    def test_errors_show_on_their_goal_row_and_field(self, client, auth, bank):
        auth.login("ao.budi")
        data = _form(
            **{
                "goals-0-target": "dua miliar",
                "goals-3-text": "",
                "goals-4-target": "30",  # a target without a kind
                "next_review_date": "31/02/2026",
            }
        )
        response = auth.post(_edit(bank), data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "is-invalid" in page
        assert 'value="dua miliar"' in page  # what was typed is kept
        assert "Say what will be done." in page
        assert "Choose the kind of goal, or clear the row." in page
        assert "Not a valid date." in page
        assert current_plan(bank.customer.id, TODAY) is None

    def test_the_form_reads_in_indonesian(self, client, auth, bank):
        auth.login("ao.budi")
        speak_indonesian(auth)
        page = client.get(_edit(bank)).get_data(as_text=True)
        assert "Rencana Akun" in page
        assert english_leftovers(page) == []
        refused = auth.post(_edit(bank), _form(**{"goals-3-text": ""})).get_data(as_text=True)
        assert "Tuliskan apa yang akan dilakukan." in refused

    def test_only_the_assigned_officer_opens_the_form(self, client, auth, bank):
        auth.login("spv.jkt")
        assert client.get(_edit(bank)).status_code == 403
        auth.logout()
        auth.login("ao.dewi")
        assert client.get(_edit(bank)).status_code == 404


class TestPlanPage:
    def test_goals_with_their_state_fit_the_plan_page(self, client, auth, bank):
        bank.loan(APR30, 1500)
        auth.login("ao.budi")
        assert auth.post(_edit(bank), _english()).status_code == 302
        page = client.get(f"/customers/{bank.customer.id}/plan").get_data(as_text=True)
        assert re.findall(r'data-kind="(\w+)" data-state="(\w+)"', page) == [
            ("outstanding_at_least", "on_track"),
            ("dpk_at_least", "on_track"),
            ("holds_product", "on_track"),
            ("action", "on_track"),
        ]
        assert "Outstanding at least IDR 2,000,000,000 · now IDR 1,500,000,000" in page
        customer_page = client.get(f"/customers/{bank.customer.id}").get_data(as_text=True)
        assert 'id="account-plan"' in customer_page and "Open the plan" in customer_page

    def test_reviewed_action_and_supervisor_comment(self, client, auth, bank, world):
        auth.login("ao.budi")
        assert auth.post(_edit(bank), _english()).status_code == 302
        url = f"/customers/{bank.customer.id}/plan"
        assert auth.post(f"{url}/review").status_code == 302
        plan = current_plan(bank.customer.id, TODAY)
        assert plan.last_reviewed_on == TODAY
        assert db.session.get(FollowUp, plan.review_follow_up_id).status == "planned"
        assert auth.post(f"{url}/comments", {"text": "x"}).status_code == 403  # officers read
        auth.logout()
        auth.login("spv.jkt")
        assert auth.post(f"{url}/comments", {"text": "Tambahkan target giro"}).status_code == 302
        auth.logout()
        auth.login("ao.budi")
        assert "Tambahkan target giro" in client.get(url).get_data(as_text=True)


class TestCoverage:
    def test_top_customers_without_a_plan_first(self, client, auth, bank, world):
        from tests.support import credit_visits as credit
        from tests.support.factories import make_customer

        other = make_customer(world.colleague, name="Toko Besar")
        credit.position(credit.facility(other), APR30, outstanding="5000000000.00")
        remote = make_customer(world.remote, name="Toko Bandung")
        credit.position(credit.facility(remote), APR30, outstanding="9000000000.00")
        bank.loan(APR30, 1500)
        bank.save(next_review_date=date(2026, 5, 6))
        auth.login("spv.jkt")
        page = client.get("/plans/coverage?by=exposure&size=10").get_data(as_text=True)
        rows = re.findall(r'data-customer="(\d+)" data-flag="(\w+)"', page)
        assert rows == [(str(other.id), "no_plan"), (str(bank.customer.id), "ok")]
        assert "Toko Bandung" not in page
        client.get("/plans/coverage")  # defaults
        auth.logout()
        auth.login("ao.budi")  # officers see their own
        page = client.get("/plans/coverage").get_data(as_text=True)
        assert re.findall(r'data-customer="(\d+)"', page) == [str(bank.customer.id)]
