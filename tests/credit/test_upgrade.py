"""Kol upgrade of restructured facilities: who may, what is allowed, one-obligor, audit, pages."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.credit import upgrades
from aoapp.credit.collectibility import facility_kol, load_bands
from aoapp.credit.models import KolUpgrade, Position
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from tests.support import credit_visits as h
from tests.support.factories import make_customer

AS_OF = date(2025, 3, 31)
EARLIER = date(2025, 2, 28)
WHY = "Paid six instalments on time since restructuring"


def reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def upgrade_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(KolUpgrade.id)))


def position_audits() -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == "position")
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


@pytest.fixture
def held(world):
    """A restructured facility held at Kol 4 although it is now current (DPD 0)."""
    customer = make_customer(world.officer)
    fac = h.facility(customer, restructured=True)
    h.position(fac, EARLIER, 0, facility_kol=4)
    latest = h.position(fac, AS_OF, 0, facility_kol=4)
    return fac, latest


def upgrade(actor, fac, to_kol, justification=WHY):
    fac = reload(fac)
    return upgrades.upgrade_kol(h.user(actor), fac, to_kol, justification)


class TestAllowed:
    @pytest.mark.parametrize("role", ["supervisor", "admin"])
    def test_supervisor_or_admin_lifts_the_hold(self, world, held, role):
        fac, latest = held
        done = upgrade(getattr(world, role), fac, 1)
        assert (done.from_kol, done.to_kol, done.as_of) == (4, 1, AS_OF)
        assert done.upgraded_by_id == getattr(world, role).id and done.justification == WHY
        position = reload(latest)
        assert (position.facility_kol, position.debtor_kol, position.kol_rule) == (1, 1, "dpd")
        earlier = db.session.scalar(sa.select(Position).where(Position.as_of == EARLIER))
        assert (earlier.facility_kol, earlier.kol_rule) == (4, "restructure_hold")

    def test_audit_entry_holds_the_position_before_and_after(self, world, held):
        fac, latest = held
        upgrade(world.supervisor, fac, 2)
        [entry] = position_audits()
        assert (entry.action, entry.entity_id, entry.actor_id) == (
            "kol_upgrade",
            latest.id,
            world.supervisor.id,
        )
        assert (entry.before["facility_kol"], entry.after["facility_kol"]) == (4, 2)
        assert (entry.before["kol_rule"], entry.after["kol_rule"]) == (
            "restructure_hold",
            "restructure_hold",  # still held above the DPD Kol 1, at the upgraded Kol
        )

    def test_upgrade_down_to_the_dpd_kol(self, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer, restructured=True)
        latest = h.position(fac, AS_OF, 100, facility_kol=5)  # DPD 100 → Kol 3
        upgrade(world.supervisor, fac, 3)
        position = reload(latest)
        assert (position.facility_kol, position.kol_rule) == (3, "dpd")

    def test_upgrade_down_to_the_file_kol(self, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer, restructured=True)
        latest = h.position(fac, AS_OF, 10, file_kol=3, facility_kol=5)
        upgrade(world.admin, fac, 3)
        position = reload(latest)
        assert (position.facility_kol, position.debtor_kol, position.kol_rule) == (3, 3, "file")

    def test_next_import_holds_from_the_upgraded_kol(self, world, held):
        fac, latest = held
        upgrade(world.supervisor, fac, 2)
        previous = reload(latest)
        # The import's rule, fed with the previous position's facility Kol as the hold.
        kol, rule = facility_kol(0, None, True, previous.facility_kol, load_bands())
        assert (kol, rule) == (2, "restructure_hold")


class TestOneObligor:
    def test_debtor_kol_of_all_three_facilities_is_recomputed(self, world):
        customer = make_customer(world.officer)
        restructured = h.facility(customer, restructured=True, account_no="A-RESTR")
        late = h.facility(customer, account_no="B-LATE")
        current = h.facility(customer, account_no="C-CURR")
        a = h.position(restructured, AS_OF, 0, facility_kol=4)
        b = h.position(late, AS_OF, 45)  # Kol 2
        c = h.position(current, AS_OF, 0)  # Kol 1
        h.one_obligor(customer, AS_OF)
        old_b = h.position(late, EARLIER, 30)
        other = make_customer(world.officer)
        stranger = h.position(h.facility(other), AS_OF, 0, facility_kol=1)
        assert {reload(p).debtor_kol for p in (a, b, c)} == {4}

        upgrade(world.supervisor, restructured, 1)

        got = {p.id: reload(p) for p in (a, b, c)}
        assert [
            (got[p.id].facility_kol, got[p.id].debtor_kol, got[p.id].kol_rule) for p in (a, b, c)
        ] == [
            (1, 2, "one_obligor"),
            (2, 2, "dpd"),
            (1, 2, "one_obligor"),
        ]
        assert reload(old_b).debtor_kol == 2 and reload(stranger).debtor_kol == 1
        audits = position_audits()
        assert [(e.entity_id, e.action) for e in audits] == [
            (b.id, "update"),
            (c.id, "update"),
            (a.id, "kol_upgrade"),
        ]
        assert (audits[0].before["debtor_kol"], audits[0].after["debtor_kol"]) == (4, 2)
        assert (audits[0].before["kol_rule"], audits[0].after["kol_rule"]) == ("one_obligor", "dpd")
        assert (audits[2].before["debtor_kol"], audits[2].after["debtor_kol"]) == (4, 2)


class TestRefused:
    def assert_unchanged(self, latest):
        position = reload(latest)
        assert (position.facility_kol, position.debtor_kol, position.kol_rule) == (
            4,
            4,
            "restructure_hold",
        )
        assert upgrade_count() == 0 and position_audits() == []

    def test_facility_not_restructured(self, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer)
        latest = h.position(fac, AS_OF, 0, facility_kol=4, kol_rule="file", file_kol=4)
        with pytest.raises(Conflict, match="Only restructured facilities"):
            upgrade(world.supervisor, fac, 1)
        assert reload(latest).facility_kol == 4 and upgrade_count() == 0

    def test_officer_is_forbidden(self, world, held):
        fac, latest = held
        with pytest.raises(Forbidden):
            upgrade(world.officer, fac, 1)
        self.assert_unchanged(latest)

    def test_other_branch_supervisor_does_not_find_the_facility(self, world, held):
        from aoapp.credit.services import get_facility

        fac, latest = held
        with pytest.raises(NotFound):
            get_facility(h.user(world.bdg_supervisor), fac.id)
        with pytest.raises(Forbidden):  # even if handed the row, the service refuses
            upgrade(world.bdg_supervisor, fac, 1)
        self.assert_unchanged(latest)

    def test_below_the_dpd_kol(self, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer, restructured=True)
        h.position(fac, AS_OF, 100, facility_kol=5)  # DPD 100 → Kol 3
        with pytest.raises(InvalidInput) as refused:
            upgrade(world.supervisor, fac, 2)
        message = refused.value.errors["to_kol"][0]
        assert "cannot go below Kol 3" in message and "days past due (100)" in message
        assert upgrade_count() == 0

    def test_below_the_file_kol(self, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer, restructured=True)
        h.position(fac, AS_OF, 0, file_kol=3, facility_kol=4)
        with pytest.raises(InvalidInput) as refused:
            upgrade(world.supervisor, fac, 2)
        assert "the bank's file sets Kol 3" in refused.value.errors["to_kol"][0]

    @pytest.mark.parametrize("to_kol", [4, 5])
    def test_not_an_improvement(self, world, held, to_kol):
        fac, latest = held
        with pytest.raises(InvalidInput) as refused:
            upgrade(world.supervisor, fac, to_kol)
        assert "is not an improvement" in refused.value.errors["to_kol"][0]
        self.assert_unchanged(latest)

    @pytest.mark.parametrize(
        ("justification", "message"),
        [
            ("", "A justification is required."),
            (None, "A justification is required."),
            ("   ", "A justification is required."),
            ("Paid ok", "at least 10 characters"),
        ],
    )
    def test_justification_is_required(self, world, held, justification, message):
        fac, latest = held
        with pytest.raises(InvalidInput) as refused:
            upgrade(world.supervisor, fac, 1, justification)
        assert message in refused.value.errors["justification"][0]
        self.assert_unchanged(latest)

    def test_closed_or_positionless_facility(self, world):
        customer = make_customer(world.officer)
        fresh = h.facility(customer, restructured=True)
        with pytest.raises(Conflict, match="no imported position"):
            upgrade(world.supervisor, fresh, 1)
        closed = h.facility(customer, restructured=True, status="closed")
        h.position(closed, AS_OF, 0, facility_kol=3)
        with pytest.raises(Conflict, match="closed"):
            upgrade(world.supervisor, closed, 1)
        assert upgrade_count() == 0


class TestPages:
    def test_supervisor_sees_the_form_with_allowed_kols_only(self, client, auth, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer, restructured=True)
        h.position(fac, AS_OF, 45, facility_kol=5)  # DPD 45 → Kol 2: may go to 4, 3 or 2
        auth.login("spv.jkt")
        page = client.get(f"/facilities/{fac.id}").get_data(as_text=True)
        assert 'id="upgrade-form"' in page
        options = re.findall(r'<option[^>]*value="(\d)"', page)
        assert options == ["2", "3", "4"]

    @pytest.mark.parametrize("username", ["ao.budi"])
    def test_officer_has_no_form_and_gets_403(self, client, auth, world, held, username):
        fac, latest = held
        auth.login(username)
        assert 'id="upgrade-form"' not in client.get(f"/facilities/{fac.id}").get_data(as_text=True)
        response = auth.post(f"/facilities/{fac.id}/upgrade", {"to_kol": "1", "justification": WHY})
        assert response.status_code == 403
        TestRefused().assert_unchanged(latest)

    @pytest.mark.parametrize("username", ["spv.bdg", "ao.sari", "ao.dewi"])
    def test_outside_scope_is_404(self, client, auth, world, held, username):
        fac, latest = held
        auth.login(username)
        response = auth.post(f"/facilities/{fac.id}/upgrade", {"to_kol": "1", "justification": WHY})
        assert response.status_code == 404
        TestRefused().assert_unchanged(latest)

    def test_no_form_without_a_hold(self, client, auth, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer, restructured=True)
        h.position(fac, AS_OF, 95)  # Kol 3 by DPD, nothing held
        plain = h.facility(customer)
        h.position(plain, AS_OF, 0)
        auth.login("spv.jkt")
        for facility_id in (fac.id, plain.id):
            page = client.get(f"/facilities/{facility_id}").get_data(as_text=True)
            assert 'id="upgrade-form"' not in page

    def test_supervisor_upgrades_through_the_form(self, client, auth, world, held):
        fac, latest = held
        auth.login("spv.jkt")
        response = auth.post(f"/facilities/{fac.id}/upgrade", {"to_kol": "2", "justification": WHY})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/facilities/{fac.id}")
        assert reload(latest).facility_kol == 2
        page = client.get(f"/facilities/{fac.id}").get_data(as_text=True)
        assert "Kol upgrades" in page and WHY in page

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"to_kol": "4", "justification": WHY}, "is not an improvement"),
            ({"to_kol": "1", "justification": "short"}, "at least 10 characters"),
            ({"to_kol": "1", "justification": ""}, "This field is required."),
            ({"to_kol": "", "justification": WHY}, "Choose a Kol from 1 to 5."),
        ],
    )
    def test_refusals_are_shown_on_the_form(self, client, auth, world, held, data, message):
        fac, latest = held
        auth.login("spv.jkt")
        response = auth.post(f"/facilities/{fac.id}/upgrade", data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        TestRefused().assert_unchanged(latest)

    def test_not_restructured_is_shown_on_the_page(self, client, auth, world):
        customer = make_customer(world.officer)
        fac = h.facility(customer)
        h.position(fac, AS_OF, 0)
        auth.login("admin")
        response = auth.post(f"/facilities/{fac.id}/upgrade", {"to_kol": "1", "justification": WHY})
        assert response.status_code == 422
        assert "Only restructured facilities" in response.get_data(as_text=True)
