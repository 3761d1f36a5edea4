"""Targets API: the list envelope and its scope, setting and removing one officer's month,
422 field errors, closed months, and who may change what."""

from datetime import date
from decimal import Decimal as D

import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.extensions import db
from aoapp.targets import services
from aoapp.targets.models import Target
from tests.support.factories import make_target


def code(month: date) -> str:
    return f"{month:%Y-%m}"


def now() -> date:
    return services.current_month()


def stored(officer) -> Target | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Target).where(Target.officer_id == officer.id, Target.month == now())
    )


class TestList:
    def test_envelope_and_values_as_strings(self, api, world):
        make_target(
            world.officer,
            now(),
            set_by=world.supervisor,
            new_customers=3,
            new_disbursement=D("1500000000.00"),
            outstanding_growth=D("-20000000.00"),
            max_npl_ratio=D("0.0300"),
            dpk_growth=D("-5000000.00"),
            casa_ratio=D("0.6000"),
            cross_sell_ratio=D("2.5000"),
        )
        response = api(world.supervisor).get(f"/api/v1/targets?month={code(now())}")
        assert response.status_code == 200
        body = response.get_json()
        assert (body["total"], body["page"], body["pages"], body["per_page"]) == (1, 1, 1, 50)
        item = body["items"][0]
        assert item | {"id": None, "updated_at": None} == {
            "id": None,
            "officer_id": world.officer.id,
            "officer_username": "ao.budi",
            "officer_name": "Ao.Budi",
            "branch_code": "JKT01",
            "month": code(now()),
            "new_customers": 3,
            "new_disbursement": "1500000000.00",
            "outstanding_growth": "-20000000.00",
            "max_npl_ratio": "0.0300",
            "followups_done": None,
            "introductions": None,
            "dpk_growth": "-5000000.00",
            "casa_ratio": "0.6000",
            "cross_sell_ratio": "2.5000",
            "retention_rate": None,
            "set_by": "spv.jkt",
            "updated_at": None,
        }

    def test_each_role_lists_its_scope(self, api, world):
        for officer in (world.officer, world.colleague, world.remote):
            make_target(officer, now(), new_customers=1)

        def usernames(user, query=""):
            response = api(user).get(f"/api/v1/targets{query}")
            assert response.status_code == 200
            return sorted(i["officer_username"] for i in response.get_json()["items"])

        assert usernames(world.officer) == ["ao.budi"]
        assert usernames(world.supervisor) == ["ao.budi", "ao.sari"]
        assert usernames(world.admin) == ["ao.budi", "ao.dewi", "ao.sari"]
        assert usernames(world.admin, f"?branch_id={world.bdg.id}") == ["ao.dewi"]
        assert usernames(world.supervisor, f"?officer_id={world.colleague.id}") == ["ao.sari"]
        other_branch = f"/api/v1/targets?branch_id={world.bdg.id}"
        assert api(world.supervisor).get(other_branch).status_code == 404
        colleague = f"/api/v1/targets?officer_id={world.colleague.id}"
        assert api(world.officer).get(colleague).status_code == 404

    def test_bad_filters_are_422(self, api, world):
        response = api(world.admin).get("/api/v1/targets?month=2026-13&colour=red")
        assert response.status_code == 422
        assert set(response.get_json()["errors"]) == {"month", "colour"}


class TestOneMonth:
    def url(self, officer, month=None) -> str:
        return f"/api/v1/targets/{officer.id}/{code(month or now())}"

    def test_a_supervisor_sets_reads_and_removes(self, api, world):
        client = api(world.supervisor)
        response = client.put(
            self.url(world.officer),
            json={"new_customers": 4, "new_disbursement": "750000000", "max_npl_ratio": "0.045"},
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert (body["new_customers"], body["new_disbursement"], body["max_npl_ratio"]) == (
            4,
            "750000000.00",
            "0.0450",
        )
        assert stored(world.officer).set_by_id == world.supervisor.id
        assert client.get(self.url(world.officer)).get_json()["new_customers"] == 4
        # PUT replaces the whole month: what is left out has no target
        client.put(self.url(world.officer), json={"followups_done": 90})
        assert (stored(world.officer).new_customers, stored(world.officer).followups_done) == (
            None,
            90,
        )
        assert client.delete(self.url(world.officer)).status_code == 204
        assert stored(world.officer) is None
        assert client.get(self.url(world.officer)).status_code == 404
        assert client.delete(self.url(world.officer)).status_code == 404
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.entity_type == "target")
        ).all()
        assert sorted(actions) == ["create", "delete", "update"]

    def test_field_errors_are_422(self, api, world):
        response = api(world.supervisor).put(
            self.url(world.officer),
            json={"new_customers": -1, "max_npl_ratio": "3", "new_disbursement": 1.5},
        )
        assert response.status_code == 422
        assert response.get_json()["errors"] == {
            "new_customers": ["Must be zero or more."],
            "max_npl_ratio": ["Must be at most 1."],
            "new_disbursement": ["Send numbers as strings or integers, not floats."],
        }
        empty = api(world.supervisor).put(self.url(world.officer), json={})
        assert empty.status_code == 422 and "at least one target" in empty.get_json()["message"]
        assert stored(world.officer) is None

    def test_months(self, api, world):
        client = api(world.supervisor)
        bad = client.put(f"/api/v1/targets/{world.officer.id}/2026-13", json={"new_customers": 1})
        assert bad.status_code == 422 and bad.get_json()["errors"] == {
            "month": ["Use a month like 2026-10."]
        }
        typed = services.add_months(now(), -1)
        # In the path a month is the documented code; in a query or a form, as people write it.
        named = client.put(
            f"/api/v1/targets/{world.officer.id}/{typed:%B}%20{typed:%Y}", json={"new_customers": 2}
        )
        assert named.status_code == 422
        coded = client.put(self.url(world.officer, typed), json={"new_customers": 2})
        assert coded.status_code == 200 and coded.get_json()["month"] == f"{typed:%Y-%m}"
        listed = client.get("/api/v1/targets", query_string={"month": f"{typed:%b %Y}"})
        assert [t["month"] for t in listed.get_json()["items"]] == [f"{typed:%Y-%m}"]
        closed = services.add_months(now(), -2)
        response = client.put(self.url(world.officer, closed), json={"new_customers": 1})
        assert response.status_code == 422
        assert "can no longer be changed" in response.get_json()["errors"]["month"][0]
        previous = self.url(world.officer, services.add_months(now(), -1))
        assert client.put(previous, json={"new_customers": 1}).status_code == 200

    def test_scope(self, api, world):
        make_target(world.remote, now(), new_customers=2)
        spv = api(world.supervisor)
        assert spv.get(self.url(world.remote)).status_code == 404
        assert spv.put(self.url(world.remote), json={"new_customers": 5}).status_code == 404
        assert spv.delete(self.url(world.remote)).status_code == 404
        own_branch = api(world.bdg_supervisor).put(
            self.url(world.remote), json={"new_customers": 5}
        )
        assert own_branch.status_code == 200
        admin = api(world.admin).put(self.url(world.officer), json={"introductions": 9})
        assert admin.status_code == 200

    def test_an_officer_reads_but_does_not_set_their_own(self, api, world):
        make_target(world.officer, now(), new_customers=2)
        own = api(world.officer)
        assert own.get(self.url(world.officer)).get_json()["new_customers"] == 2
        assert own.put(self.url(world.officer), json={"new_customers": 9}).status_code == 403
        assert own.delete(self.url(world.officer)).status_code == 403
        assert own.get(self.url(world.colleague)).status_code == 404
        assert stored(world.officer).new_customers == 2

    def test_the_session_cookie_cannot_change_targets(self, client, auth, world):
        auth.login("spv.jkt")
        response = client.put(
            self.url(world.officer),
            json={"new_customers": 1},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )
        assert response.status_code == 401
        assert stored(world.officer) is None
