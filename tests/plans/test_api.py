"""GET|PUT /api/v1/customers/{id}/plan: the plan with each goal's kind, target, current and state;
422 with field errors, 409 on an older version, 404 out of scope; money as strings."""

from datetime import date

import pytest

from aoapp.extensions import db
from aoapp.followups.models import FollowUp
from tests.plans.conftest import TODAY

pytestmark = pytest.mark.today(TODAY.isoformat())
APR30 = date(2026, 4, 30)
BODY = {
    "needs": "Modal kerja dan payroll karyawan",
    "need_tags": ["working_capital", "payroll"],
    "next_step": "Presentasi giro payroll",
    "goals": [
        {"kind": "outstanding_at_least", "target": "2000000000", "due_date": "2026-06-30"},
        {"kind": "dpk_at_least", "target": "500000000.00", "due_date": "2026-12-31"},
        {"kind": "holds_product", "target": "giro", "due_date": "2026-06-30"},
        {"kind": "max_dpd", "target": "30"},
        {"kind": "action", "text": "Kunjungi gudang", "due_date": "2026-05-29", "done": True},
    ],
    "products": ["GIRO"],
}


def _url(bank) -> str:
    return f"/api/v1/customers/{bank.customer.id}/plan"


def test_put_creates_and_get_reads_every_goal_with_its_progress(api, bank, world):
    bank.loan(APR30, 1500, dpd=3)
    bank.funds(APR30, (bank.tabungan, 600))
    client = api(world.officer)
    assert client.get(_url(bank)).status_code == 404  # no plan yet
    saved = client.put(_url(bank), json=BODY)
    assert saved.status_code == 200, saved.get_json()
    body = client.get(_url(bank)).get_json()
    assert body["year"] == 2026
    assert [(g["kind"], g["target"], g["current"], g["state"]) for g in body["goals"]] == [
        ("outstanding_at_least", "2000000000.00", "1500000000.00", "on_track"),
        ("dpk_at_least", "500000000.00", "600000000.00", "met"),
        ("holds_product", "giro", "not_held", "on_track"),
        ("max_dpd", "30", "3", "at_risk"),
        ("action", "done", "done", "met"),
    ]
    assert body["goals"][0]["as_of"] == "2026-04-30"
    assert body["products"] == [
        {"code": "GIRO", "name": "Product GIRO", "held": False, "introductions": []}
    ]
    review = db.session.get(FollowUp, body["review_follow_up_id"])
    assert (review.status, review.planned_date.isoformat()) == ("planned", body["next_review_date"])


def test_field_errors_answer_422(api, bank, world):
    body = {
        "review_months": 13,
        "goals": [
            {"kind": "outstanding_at_least", "target": "banyak"},
            {"kind": "max_dpd", "target": "-1"},
            {"kind": "action"},
            {"kind": "holds_product", "target": 12},
        ],
    }
    response = api(world.officer).put(_url(bank), json=body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"review_months", "goals"}
    assert set(errors["goals"]) == {"0", "1", "2", "3"}
    assert "text" in errors["goals"]["2"] and "target" in errors["goals"]["0"]


def test_floats_are_refused_for_money(api, bank, world):
    body = {"goals": [{"kind": "dpk_at_least", "target": 5.5}]}
    assert api(world.officer).put(_url(bank), json=body).status_code == 422


def test_an_older_version_is_a_conflict(api, bank, world):
    client = api(world.officer)
    version = client.put(_url(bank), json={}).get_json()["version"]
    assert client.put(_url(bank), json={"next_step": "Telepon"}).status_code == 200
    stale = client.put(_url(bank), json={"next_step": "Kunjungi", "version": version})
    assert stale.status_code == 409


@pytest.mark.parametrize("who", ["remote", "bdg_supervisor"])
def test_out_of_scope_is_404(api, bank, world, who):
    api(world.officer).put(_url(bank), json={})
    client = api(getattr(world, who))
    assert client.get(_url(bank)).status_code == 404
    assert client.put(_url(bank), json={}).status_code == 404


def test_supervisor_reads_but_does_not_write(api, bank, world):
    api(world.officer).put(_url(bank), json={})
    client = api(world.supervisor)
    assert client.get(_url(bank)).status_code == 200
    assert client.put(_url(bank), json={}).status_code == 403
