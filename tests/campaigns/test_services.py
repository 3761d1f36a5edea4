"""Campaign rules at the service level: validation, audit, scoping per role, list filters, tags."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError

from aoapp.audit.models import AuditEntry
from aoapp.campaigns import services, tags
from aoapp.campaigns.models import Campaign
from aoapp.campaigns.schemas import CampaignFilterSchema, CampaignInputSchema
from aoapp.errors import Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from tests.support.campaigns import branch_id, campaign_data, user
from tests.support.factories import make_campaign, make_product

TODAY = date(2026, 10, 15)


def errors_of(data: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        CampaignInputSchema().load(data)
    return caught.value.normalized_messages()


def raw(**overrides) -> dict:
    data = {
        "name": "Flyer Pasar Minggu",
        "channel": "flyer",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "branches": [1],
    }
    data.update(overrides)
    return data


def names(actor, **filters) -> list[str]:
    stmt = services.campaign_query(user(actor), CampaignFilterSchema().load(filters), TODAY)
    return [c.name for c in db.session.scalars(stmt)]


class TestValidation:
    def test_required_fields_in_plain_words(self):
        errors = errors_of({})
        for field in ("name", "channel", "starts_on", "ends_on", "branches"):
            assert errors[field] == ["This field is required."]

    def test_the_period_must_be_in_order(self):
        errors = errors_of(raw(starts_on="2026-10-02", ends_on="2026-10-01"))
        assert errors == {"ends_on": ["The campaign cannot end before it starts."]}
        assert CampaignInputSchema().load(raw(ends_on="2026-10-01"))["ends_on"] == date(2026, 10, 1)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("branches", [], "Pick at least one branch."),
            ("channel", "radio", "Must be one of: flyer, social_media, event, "),
            ("cost", "-1", "Must be zero or more."),
            ("cost", 1.5, "Send amounts as strings or integers, not floats."),
            ("name", "x" * 121, "At most 120 characters."),
        ],
    )
    def test_bad_values(self, field, value, message):
        assert errors_of(raw(**{field: value}))[field][0].startswith(message)

    def test_cost_is_an_exact_amount(self):
        assert CampaignInputSchema().load(raw(cost="1500000.5"))["cost"] == Decimal("1500000.50")
        assert CampaignInputSchema().load(raw())["cost"] is None


class TestCreateAndEdit:
    def test_a_supervisor_creates_a_campaign_of_their_branch_audited(self, world):
        kur = make_product("KUR", subtype="kur")
        campaign = services.create_campaign(
            user(world.supervisor), campaign_data(products=[kur.id], cost=Decimal("1500000.00"))
        )
        assert [b.code for b in campaign.branches] == ["JKT01"]
        assert [p.code for p in campaign.products] == ["KUR"]
        assert campaign.created_by_id == world.supervisor.id
        (entry,) = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "campaign")
        ).all()
        assert (entry.entity_type, entry.action, entry.actor_id) == (
            "campaign",
            "create",
            world.supervisor.id,
        )
        assert entry.after["branches"] == ["JKT01"] and entry.after["products"] == ["KUR"]
        assert entry.after["cost"] == "1500000.00"

    def test_names_are_unique_whatever_the_case(self, world):
        make_campaign("Pameran UMKM")
        with pytest.raises(InvalidInput) as caught:
            services.create_campaign(user(world.admin), campaign_data(name="pameran umkm"))
        assert caught.value.errors == {"name": ["Another campaign already has this name."]}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 1

    def test_a_supervisor_may_use_only_their_branches(self, world):
        data = campaign_data(branches=[branch_id("JKT01"), branch_id("BDG01")])
        with pytest.raises(InvalidInput) as caught:
            services.create_campaign(user(world.supervisor), data)
        assert caught.value.errors == {"branches": ["Pick only branches you supervise."]}
        assert services.create_campaign(user(world.admin), data).branches
        with pytest.raises(InvalidInput) as caught:
            services.create_campaign(user(world.admin), campaign_data(name="X", branches=[999]))
        assert caught.value.errors == {"branches": ["Unknown branch."]}

    def test_only_active_products_may_be_promoted(self, world):
        old = make_product("OLD", active=False)
        with pytest.raises(InvalidInput) as caught:
            services.create_campaign(user(world.admin), campaign_data(products=[old.id]))
        assert caught.value.errors == {"products": ["Pick active products only."]}
        with pytest.raises(InvalidInput):
            services.create_campaign(user(world.admin), campaign_data(products=[999]))

    def test_a_product_deactivated_later_stays_on_an_edit(self, world):
        kmk = make_product("KMK")
        campaign = make_campaign("Flyer KMK", products=[kmk])
        kmk.active = False
        db.session.commit()
        services.update_campaign(
            user(world.supervisor), campaign, {"products": [kmk.id], "description": "Reprint"}
        )
        assert campaign.description == "Reprint" and campaign.products == [kmk]

    def test_officers_do_not_create_campaigns(self, world):
        with pytest.raises(Forbidden):
            services.create_campaign(user(world.officer), campaign_data())

    def test_an_edit_is_audited_with_its_branches(self, world):
        campaign = make_campaign("Pameran", branches=("JKT01",))
        services.update_campaign(
            user(world.admin),
            campaign,
            {"branches": [branch_id("JKT01"), branch_id("BDG01")], "cost": Decimal("10.00")},
        )
        (entry,) = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "campaign")
        ).all()
        assert entry.action == "update"
        assert (entry.before["branches"], entry.after["branches"]) == (
            ["JKT01"],
            ["BDG01", "JKT01"],
        )
        assert (entry.before["cost"], entry.after["cost"]) == (None, "10.00")

    def test_an_edit_checks_the_period_with_the_stored_dates(self, world):
        campaign = make_campaign("Pameran", starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30))
        with pytest.raises(InvalidInput) as caught:
            services.update_campaign(user(world.admin), campaign, {"ends_on": date(2026, 8, 31)})
        assert caught.value.errors == {"ends_on": ["The campaign cannot end before it starts."]}
        assert db.session.get(Campaign, campaign.id).ends_on == date(2026, 9, 30)

    def test_a_supervisor_edits_only_campaigns_entirely_in_their_branches(self, world):
        shared = make_campaign("Two branches", branches=("JKT01", "BDG01"))
        with pytest.raises(Forbidden):
            services.update_campaign(user(world.supervisor), shared, {"description": "x"})
        assert not services.can_manage(user(world.supervisor), shared)
        assert services.can_manage(user(world.admin), shared)
        assert not services.can_manage(user(world.officer), make_campaign("Mine"))


class TestScope:
    @pytest.fixture
    def campaigns(self, world):
        return {
            "jkt": make_campaign("Jakarta only", branches=("JKT01",)),
            "bdg": make_campaign("Bandung only", branches=("BDG01",)),
            "both": make_campaign("Both branches", branches=("JKT01", "BDG01")),
        }

    def test_who_sees_which_campaign(self, world, campaigns):
        everything = {"Jakarta only", "Bandung only", "Both branches"}
        assert set(names(world.admin)) == everything
        assert set(names(world.supervisor)) == {"Jakarta only", "Both branches"}
        assert set(names(world.officer)) == {"Jakarta only", "Both branches"}
        assert set(names(world.remote)) == {"Bandung only", "Both branches"}
        assert set(names(world.bdg_supervisor)) == {"Bandung only", "Both branches"}

    def test_a_campaign_outside_scope_is_not_found(self, world, campaigns):
        with pytest.raises(NotFound):
            services.get_campaign(user(world.officer), campaigns["bdg"].id)
        for bad in (999, "x", 0, 2**31):
            with pytest.raises(NotFound):
                services.get_campaign(user(world.admin), bad)
        assert services.get_campaign(user(world.remote), campaigns["both"].id).name

    def test_an_officer_without_a_branch_sees_none(self, world, campaigns):
        from aoapp.auth.models import User

        homeless = User(username="ao.nobranch", role="officer", branch_id=None)
        stmt = services.campaign_query(homeless, {}, TODAY)
        assert db.session.scalars(stmt).all() == []
        assert services.usable_branches(homeless) == []


class TestListFilters:
    @pytest.fixture(autouse=True)
    def _campaigns(self, world):
        make_campaign(
            "Flyer Pasar",
            channel="flyer",
            starts_on=date(2026, 8, 1),
            ends_on=date(2026, 8, 31),
            description="Leaflets at the market",
        )
        make_campaign(
            "Instagram KUR",
            channel="social_media",
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 15),
            branches=("JKT01", "BDG01"),
        )
        make_campaign(
            "Expo Bandung",
            starts_on=date(2026, 10, 16),
            ends_on=date(2026, 11, 30),
            branches=("BDG01",),
        )

    def test_status_relative_to_today(self, world):
        assert names(world.admin, status="ended") == ["Flyer Pasar"]
        assert names(world.admin, status="running") == ["Instagram KUR"]  # ends today
        assert names(world.admin, status="upcoming") == ["Expo Bandung"]

    def test_channel_branch_date_and_text(self, world):
        assert names(world.admin, channel="flyer") == ["Flyer Pasar"]
        assert names(world.admin, branch=branch_id("BDG01")) == ["Expo Bandung", "Instagram KUR"]
        assert names(world.admin, active_on="2026-10-15") == ["Instagram KUR"]
        assert names(world.admin, active_on="2026-10-16") == ["Expo Bandung"]
        assert names(world.admin, q="MARKET") == ["Flyer Pasar"]
        assert names(world.admin, q="100%") == []

    def test_sorted_newest_first_by_default_and_by_name(self, world):
        assert names(world.admin) == ["Expo Bandung", "Instagram KUR", "Flyer Pasar"]
        assert names(world.admin, sort="name") == ["Expo Bandung", "Flyer Pasar", "Instagram KUR"]

    def test_pagination(self, world):
        page = services.list_campaigns(user(world.admin), {"page": 2}, 2)
        assert (page.total, page.pages, [c.name for c in page.items]) == (3, 2, ["Flyer Pasar"])

    def test_status_of_a_campaign(self):
        campaign = Campaign(starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 15))
        assert [
            services.status_on(campaign, day)
            for day in (
                date(2026, 9, 30),
                date(2026, 10, 1),
                date(2026, 10, 15),
                date(2026, 10, 16),
            )
        ] == ["upcoming", "running", "running", "ended"]


class TestTags:
    def test_a_tag_must_be_a_campaign_of_the_owners_branch(self, world):
        jkt = make_campaign("Jakarta", branches=("JKT01",))
        bdg = make_campaign("Bandung", branches=("BDG01",))
        assert tags.check_tag(jkt.id, world.officer.branch_id) == jkt.id
        assert tags.check_tag(None, world.officer.branch_id) is None
        for refused in (bdg.id, 999):
            with pytest.raises(InvalidInput) as caught:
                tags.check_tag(refused, world.officer.branch_id)
            assert caught.value.errors == {
                "campaign_id": ["This campaign does not run in your branch."]
            }
        # The current tag stays acceptable after the campaign left the branch.
        assert tags.check_tag(bdg.id, world.officer.branch_id, current_id=bdg.id) == bdg.id

    def test_taggable_campaigns_are_those_of_the_branch(self, world):
        make_campaign("Old", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 31))
        make_campaign("New", starts_on=date(2026, 9, 1))
        bdg = make_campaign("Bandung", branches=("BDG01",))
        offered = tags.taggable_campaigns(world.officer.branch_id)
        assert [c.name for c in offered] == ["New", "Old"]
        kept = tags.taggable_campaigns(world.officer.branch_id, current=bdg)
        assert [c.name for c in kept] == ["New", "Old", "Bandung"]
        assert tags.taggable_campaigns(None) == []
