"""The renewals API: the scoped pipeline with its filters, and PATCH of a stage or an outcome
(409 on a stale version or a confirmed outcome, 422 on a wrong one, 404 out of scope)."""

from datetime import date

import pytest

from tests.support import renewals as R

pytestmark = pytest.mark.today(R.TODAY)


@pytest.fixture
def settled(world, loader):
    """October's and November's loan listings: five settled, one extension still open."""
    code = world.officer.officer_code
    loader.loan_listing(R.first_loans(code), R.OCT31)
    loader.loan_listing(R.second_loans(code), R.NOV30)
    return R.opportunities()


@pytest.fixture
def fresh(world, loader):
    """October's listing only: every opportunity open."""
    loader.loan_listing(R.first_loans(world.officer.officer_code), R.OCT31)
    return R.opportunities()


class TestList:
    def test_items_carry_the_facility_customer_and_stage(self, api, world, fresh):
        body = api(world.officer).get("/api/v1/renewals").json
        assert body["total"] == 6
        first = body["items"][0]
        assert first["facility"]["account_no"] == "L1" and first["account"] is None
        assert first["customer"]["cif"] == "CIF1"
        assert (first["maturity_date"], first["stage"], first["outcome"]) == (
            "2026-11-20",
            "to_contact",
            None,
        )
        assert first["outstanding"] == "200000000.00" and first["dpd"] == 0
        assert first["as_of"] == R.OCT31.isoformat()  # the listing read, as an ISO date
        dates = [item["maturity_date"] for item in body["items"]]
        assert dates == sorted(dates)

    def test_filters(self, api, world, fresh):
        client = api(world.officer)
        within = client.get("/api/v1/renewals", query_string={"window": 30}).json["items"]
        assert {i["facility"]["account_no"] for i in within} == {"L1", "L5", "L6", "L7"}
        deposits = client.get("/api/v1/renewals", query_string={"kind": "deposit"}).json
        assert deposits["total"] == 0
        bad = client.get("/api/v1/renewals", query_string={"window": 45})
        assert bad.status_code == 422

    def test_scoped_to_the_customer_s_officer_and_supervisors(self, api, world, fresh):
        assert api(world.colleague).get("/api/v1/renewals").json["total"] == 0
        assert api(world.remote).get("/api/v1/renewals").json["total"] == 0
        assert api(world.supervisor).get("/api/v1/renewals").json["total"] == 6
        assert api(world.bdg_supervisor).get("/api/v1/renewals").json["total"] == 0
        assert api(world.admin).get("/api/v1/renewals").json["total"] == 6
        l1 = fresh["L1"].id
        assert api(world.remote).get(f"/api/v1/renewals/{l1}").status_code == 404
        patch = api(world.remote).patch(f"/api/v1/renewals/{l1}", json={"stage": "proposed"})
        assert patch.status_code == 404


class TestPatch:
    def test_move_the_stage_then_record_a_top_up(self, api, world, fresh):
        client = api(world.officer)
        l2 = fresh["L2"]
        moved = client.patch(
            f"/api/v1/renewals/{l2.id}", json={"stage": "in_discussion", "version": 1}
        )
        assert moved.status_code == 200 and moved.json["stage"] == "in_discussion"
        stale = client.patch(f"/api/v1/renewals/{l2.id}", json={"stage": "proposed", "version": 1})
        assert stale.status_code == 409
        body = {"outcome": "topped_up", "new_plafond": "750000000", "version": 2}
        done = client.patch(f"/api/v1/renewals/{l2.id}", json=body)
        assert done.status_code == 200, done.json
        assert (done.json["stage"], done.json["outcome"], done.json["topup_amount"]) == (
            "closed",
            "topped_up",
            "250000000.00",
        )
        assert done.json["settled_by"] == "officer" and done.json["confirmed"] is True
        again = client.patch(f"/api/v1/renewals/{l2.id}", json={"outcome": "renewed"})
        assert again.status_code == 409  # a confirmed outcome is final

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"outcome": "topped_up"}, "new_plafond"),
            ({"outcome": "topped_up", "new_plafond": "400000000"}, "new_plafond"),
            ({"outcome": "paid_off_lost"}, "lost_reason"),
            ({"outcome": "rolled_over"}, "outcome"),
            ({"outcome": "renewed", "outcome_date": "2027-01-01"}, "outcome_date"),
            ({"stage": "closed"}, "stage"),
            ({"stage": "proposed", "outcome": "renewed"}, "_schema"),
            ({}, "_schema"),
        ],
    )
    def test_wrong_changes_are_422(self, api, world, fresh, body, field):
        response = api(world.officer).patch(f"/api/v1/renewals/{fresh['L1'].id}", json=body)
        assert response.status_code == 422, response.json
        errors = response.json["errors"]
        assert field in errors.get("json", errors)

    def test_confirm_or_correct_what_the_listing_proposed(self, api, world, settled):
        client = api(world.officer)
        l1, l6 = settled["L1"], settled["L6"]
        confirmed = client.patch(f"/api/v1/renewals/{l1.id}", json={"outcome": "renewed"})
        assert (confirmed.json["confirmed"], confirmed.json["settled_by"]) == (True, "listing")
        body = {"outcome": "paid_off_lost", "lost_reason": "competitor", "lost_note": "Bank lain"}
        lost = client.patch(f"/api/v1/renewals/{l6.id}", json=body)
        assert lost.json["lost_reason"] == "competitor" and lost.json["confirmed"] is True
        corrected = client.patch(
            f"/api/v1/renewals/{settled['L5'].id}",
            json={"outcome": "paid_off_lost", "lost_reason": "pricing"},
        )
        assert (corrected.json["settled_by"], corrected.json["proposed_outcome"]) == (
            "officer",
            "paid_off_retained",
        )

    def test_an_officer_cannot_allow_a_top_up_and_an_admin_cannot_work(self, api, world, fresh):
        l1 = fresh["L1"].id
        officer = api(world.officer).patch(f"/api/v1/renewals/{l1}", json={"topup_allowed": True})
        assert officer.status_code == 403
        admin = api(world.admin).patch(f"/api/v1/renewals/{l1}", json={"stage": "proposed"})
        assert admin.status_code == 403
        allowed = api(world.supervisor).patch(
            f"/api/v1/renewals/{l1}", json={"topup_allowed": True}
        )
        assert allowed.status_code == 200 and allowed.json["topup_allowed"] is True

    def test_every_change_is_audited(self, api, world, fresh):
        import sqlalchemy as sa

        from aoapp.audit.models import AuditEntry
        from aoapp.extensions import db

        l1 = fresh["L1"].id
        client = api(world.officer)
        client.patch(f"/api/v1/renewals/{l1}", json={"stage": "proposed"})
        client.patch(f"/api/v1/renewals/{l1}", json={"outcome": "renewed"})
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.entity_id == l1, AuditEntry.entity_type == "renewalopportunity")
            .order_by(AuditEntry.id)
        ).all()
        assert actions == ["stage", "outcome"]


class TestTopUpCandidates:
    def test_delinquent_loans_stay_off_unless_the_supervisor_allows(self, api, world, loader):
        code = world.officer.officer_code
        rows = [
            R.loan("L1", "CIF1", code, date(2026, 12, 20), product_code="KI"),
            R.loan("L2", "CIF2", code, date(2026, 12, 21), product_code="KI", dpd=15),
        ]
        loader.loan_listing(rows, R.NOV30)
        client = api(world.officer)
        listed = client.get("/api/v1/renewals", query_string={"topup": "true"}).json["items"]
        assert [i["facility"]["account_no"] for i in listed] == ["L1"]
        l2 = R.opportunities()["L2"].id
        api(world.supervisor).patch(f"/api/v1/renewals/{l2}", json={"topup_allowed": True})
        listed = client.get("/api/v1/renewals", query_string={"topup": "true"}).json["items"]
        assert [i["facility"]["account_no"] for i in listed] == ["L1", "L2"]
