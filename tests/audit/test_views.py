"""Browsing the audit log: a record's history (supervisors, admins) and the latest changes."""

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from aoapp.audit import services as audit
from aoapp.audit.models import AuditEntry
from aoapp.customers import services as customer_services
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.prospects import services as prospect_services
from tests.support import factories


@pytest.fixture
def trail(world):
    """An officer's prospect (created, then contacted), customer and introduction, all audited."""
    product = factories.make_product("KUR", subtype="kur")
    prospect = prospect_services.create_prospect(
        world.officer, {"name": "Joko Susilo", "phone": factories.phone(), "source": "walk_in"}
    )
    prospect_services.update_prospect(
        world.officer, prospect, {"name": "Joko Susilo Wibowo", "status": "contacted"}
    )
    customer = customer_services.create_customer(
        world.officer,
        {
            "cif": "CIF0001",
            "name": "Siti Rahma",
            "customer_type": "individual",
            "nik": factories.nik(),
            "phone": factories.phone(),
            "segment": "micro",
            "since": date(2024, 1, 15),
        },
    )
    introduction = Introduction(
        prospect_id=prospect.id,
        product_id=product.id,
        officer_id=world.officer.id,
        introduced_on=date(2025, 1, 6),
        place="phone",
        outcome="interested",
    )
    db.session.add(introduction)
    audit.record(world.officer, introduction, "create", None, audit.snapshot(introduction))
    db.session.commit()
    return {"prospect": prospect.id, "customer": customer.id, "introduction": introduction.id}


def _url(entity, record_id):
    return f"/audit/{entity}/{record_id}"


class TestHistoryAccess:
    @pytest.mark.parametrize("entity", ["prospect", "customer", "introduction"])
    @pytest.mark.parametrize("who", ["admin", "spv.jkt"])
    def test_admins_and_the_branch_supervisor_see_it(self, client, auth, trail, entity, who):
        auth.login(who)
        assert client.get(_url(entity, trail[entity])).status_code == 200

    @pytest.mark.parametrize("entity", ["prospect", "customer", "introduction"])
    @pytest.mark.parametrize("who", ["ao.budi", "ao.sari", "ao.dewi"])
    def test_officers_never_browse_it_not_even_their_own(self, client, auth, trail, entity, who):
        auth.login(who)
        assert client.get(_url(entity, trail[entity])).status_code == 404

    @pytest.mark.parametrize("entity", ["prospect", "customer", "introduction"])
    def test_a_supervisor_of_another_branch_gets_404(self, client, auth, trail, entity):
        auth.login("spv.bdg")
        assert client.get(_url(entity, trail[entity])).status_code == 404

    def test_unknown_entity_type_or_record_is_404(self, client, auth, trail, world):
        auth.login("admin")
        assert client.get(_url("user", world.officer.id)).status_code == 404
        assert client.get(_url("branch", world.jkt.id)).status_code == 404
        assert client.get(_url("prospect", 999999)).status_code == 404

    def test_anonymous_users_are_sent_to_login(self, client, trail):
        response = client.get(_url("prospect", trail["prospect"]))
        assert response.status_code == 302 and "/login" in response.headers["Location"]

    def test_admins_still_read_the_trail_of_a_deleted_record(self, client, auth, trail):
        db.session.execute(sa.delete(Introduction).where(Introduction.id == trail["introduction"]))
        db.session.commit()
        auth.login("admin")
        response = client.get(_url("introduction", trail["introduction"]))
        assert response.status_code == 200 and b"record deleted" in response.data
        auth.logout()
        auth.login("spv.jkt")
        assert client.get(_url("introduction", trail["introduction"])).status_code == 404


class TestHistoryContent:
    def test_shows_who_when_what_and_each_change(self, client, auth, trail, world):
        created = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "prospect", AuditEntry.action == "create"
            )
        ).one()
        created.at = datetime(2025, 3, 1, 17, 30, tzinfo=UTC)  # 2 March 00:30 in Jakarta
        db.session.commit()
        auth.login("spv.jkt")
        text = client.get(_url("prospect", trail["prospect"])).get_data(as_text=True)
        assert "Mar 2, 2025 12:30 AM" in text
        assert "Ao.Budi" in text and "(ao.budi)" in text
        assert text.index("Update") < text.index("Create")  # newest first
        newest = text.split('class="card mb-3"')[1]
        rows = re.findall(
            r"<tr><td>([^<]+)</td><td>(.*?)</td><td[^>]*>→</td><td>(.*?)</td></tr>", newest
        )
        changes = {name: (before, after) for name, before, after in rows}
        assert changes["Status"] == ("New", "Contacted")  # labels, not codes
        assert changes["Name"] == ("Joko Susilo", "Joko Susilo Wibowo")
        assert "Updated at" not in changes

    def test_create_entries_show_the_initial_values(self, client, auth, trail):
        auth.login("admin")
        text = client.get(_url("customer", trail["customer"])).get_data(as_text=True)
        assert "CIF0001" in text and "Siti Rahma" in text and "Create" in text

    def test_other_records_entries_are_not_shown(self, client, auth, trail, world):
        other = prospect_services.create_prospect(
            world.officer, {"name": "Someone Else", "phone": factories.phone(), "source": "flyer"}
        )
        auth.login("admin")
        text = client.get(_url("prospect", trail["prospect"])).get_data(as_text=True)
        assert "Someone Else" not in text
        assert "Someone Else" in client.get(_url("prospect", other.id)).get_data(as_text=True)


class TestRecentList:
    def test_only_admins(self, client, auth, trail):
        for who in ("spv.jkt", "ao.budi"):
            auth.login(who)
            assert client.get("/audit/").status_code == 404
            auth.logout()
        auth.login("admin")
        assert client.get("/audit/").status_code == 200

    def _records(self, response) -> list[str]:
        return re.findall(r"(\w+) #(\d+)</", response.get_data(as_text=True))

    def test_lists_the_latest_entries_with_links(self, client, auth, trail):
        auth.login("admin")
        response = client.get("/audit/")
        records = self._records(response)
        assert ("prospect", str(trail["prospect"])) in records
        assert f'href="/audit/prospect/{trail["prospect"]}"' in response.get_data(as_text=True)

    def test_filter_by_entity_type_and_actor(self, client, auth, trail, world):
        auth.login("admin")
        prospects = self._records(client.get("/audit/?entity=prospect"))
        assert prospects and {kind for kind, _ in prospects} == {"prospect"}
        assert len(prospects) == 2  # create + update
        by_officer = self._records(client.get(f"/audit/?actor={world.officer.id}"))
        assert {kind for kind, _ in by_officer} == {"prospect", "customer", "introduction"}
        by_admin = self._records(client.get(f"/audit/?actor={world.admin.id}"))
        assert by_admin == []

    def test_paginated(self, client, auth, trail, world):
        for n in range(60):
            db.session.add(
                AuditEntry(entity_type="prospect", entity_id=trail["prospect"], action=f"note{n}")
            )
        db.session.commit()
        auth.login("admin")
        first = client.get("/audit/?entity=prospect").get_data(as_text=True)
        second = client.get("/audit/?entity=prospect&page=2").get_data(as_text=True)
        assert "62 records" in first and "Page 1 of 2" in first
        assert len(self._records_in(first)) == 50 and len(self._records_in(second)) == 12

    @staticmethod
    def _records_in(text: str) -> list[str]:
        return re.findall(r"prospect #\d+</a>", text)
