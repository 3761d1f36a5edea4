"""Campaign figures on a hand-computed fixture, and whose share each role sees.

Campaign "Pameran" (JKT01 only, cost Rp 1,000,000) has 5 tagged prospects: ao.budi's new,
contacted and won (customer C1), ao.sari's won (C2) and lost. C1 was converted at 20:00 UTC on
10/09/2026 — 11/09 in Jakarta — so its facility started 10/09 (Rp 100m) does not count, those
started 11/09 (Rp 150m) and 01/10 (Rp 50m) do; C2 opened one of Rp 200m after converting.
An untagged won prospect (C3, Rp 999m) and a prospect of another campaign do not count.
→ 5 collected, 2 converted (rate 0.4000), 3 facilities, plafond Rp 400m, cost per converted
customer Rp 500,000; 3 tagged introductions (2 interested, 1 applied).
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.kpis.campaigns import campaign_stats, tagged_prospect_counts
from tests.support.campaigns import user
from tests.support.credit import credit_product, make_facility
from tests.support.factories import make_campaign, make_customer, make_prospect


def converted(owner, campaign, at: datetime, facilities: list[tuple[date, str]]):
    """A won prospect of `owner` tagged with `campaign`, its customer and their facilities."""
    customer = make_customer(owner)
    make_prospect(
        owner,
        status="won",
        customer_id=customer.id,
        converted_at=at,
        campaign_id=campaign.id if campaign else None,
    )
    for start, plafond in facilities:
        make_facility(customer, start=start, plafond=Decimal(plafond))
    return customer


def introduce(officer, campaign, outcome, **subject):
    db.session.add(
        Introduction(
            **subject,
            product_id=credit_product("KMK").id,
            officer_id=officer.id,
            introduced_on=date(2026, 9, 15),
            place="event",
            outcome=outcome,
            campaign_id=campaign.id if campaign else None,
        )
    )
    db.session.commit()


@pytest.fixture
def pameran(world):
    campaign = make_campaign("Pameran", branches=("JKT01",), cost=Decimal("1000000.00"))
    other = make_campaign("Other")
    budi, sari = world.officer, world.colleague
    make_prospect(budi, status="new", campaign_id=campaign.id)
    contacted = make_prospect(budi, status="contacted", campaign_id=campaign.id)
    converted(
        budi,
        campaign,
        datetime(2026, 9, 10, 20, 0, tzinfo=UTC),
        [
            (date(2026, 9, 10), "100000000"),
            (date(2026, 9, 11), "150000000"),
            (date(2026, 10, 1), "50000000"),
        ],
    )
    c2 = converted(
        sari, campaign, datetime(2026, 9, 20, 3, 0, tzinfo=UTC), [(date(2026, 9, 25), "200000000")]
    )
    make_prospect(sari, status="lost", campaign_id=campaign.id)
    converted(
        budi, None, datetime(2026, 9, 12, 3, 0, tzinfo=UTC), [(date(2026, 10, 1), "999000000")]
    )
    make_prospect(budi, status="won", campaign_id=other.id)
    introduce(budi, campaign, "interested", prospect_id=contacted.id)
    introduce(sari, campaign, "interested", customer_id=c2.id)
    introduce(sari, campaign, "applied", customer_id=c2.id)
    introduce(budi, None, "interested", prospect_id=contacted.id)
    return campaign


def by_code(lines) -> dict[str, int]:
    return {line.code: line.count for line in lines}


class TestFigures:
    @pytest.mark.parametrize("who", ["admin", "supervisor"])
    def test_the_whole_campaign(self, world, pameran, who):
        stats = campaign_stats(user(getattr(world, who)), pameran)
        assert stats.whole and stats.scope_label == "All branches of the campaign."
        assert stats.prospects_collected == 5
        assert by_code(stats.prospects_by_status) == {
            "new": 1,
            "contacted": 1,
            "interested": 0,
            "applied": 0,
            "won": 2,
            "rejected": 0,
            "lost": 1,
        }
        assert [line.code for line in stats.prospects_by_status][:2] == ["new", "contacted"]
        assert (stats.converted_customers, stats.conversion_rate) == (2, Decimal("0.4000"))
        assert (stats.facilities_opened, stats.facilities_plafond) == (3, Decimal("400000000.00"))
        assert stats.introductions == 3
        assert by_code(stats.introductions_by_outcome) == {
            "interested": 2,
            "not_interested": 0,
            "needs_time": 0,
            "applied": 1,
            "already_has": 0,
        }
        assert stats.cost == Decimal("1000000.00")
        assert stats.cost_per_converted_customer == Decimal("500000.00")

    def test_an_officer_counts_only_their_own(self, world, pameran):
        stats = campaign_stats(user(world.officer), pameran)
        assert not stats.whole and "own" in stats.scope_label
        assert (stats.prospects_collected, stats.converted_customers) == (3, 1)
        assert stats.conversion_rate == Decimal("0.3333")
        assert (stats.facilities_opened, stats.facilities_plafond) == (2, Decimal("200000000.00"))
        assert stats.introductions == 1
        # The cost is the whole campaign's: dividing it by one officer's customers would lie.
        assert stats.cost_per_converted_customer is None

    def test_no_cost_or_no_conversion_gives_no_cost_per_customer(self, world):
        free = make_campaign("Free", cost=None)
        converted(world.officer, free, datetime(2026, 9, 1, tzinfo=UTC), [])
        stats = campaign_stats(user(world.admin), free)
        assert stats.converted_customers == 1 and stats.cost_per_converted_customer is None
        paid = make_campaign("Paid", cost=Decimal("5000000.00"))
        make_prospect(world.officer, campaign_id=paid.id)
        stats = campaign_stats(user(world.admin), paid)
        assert stats.converted_customers == 0 and stats.cost_per_converted_customer is None
        assert stats.facilities_plafond == Decimal("0.00")

    def test_an_empty_campaign(self, world):
        stats = campaign_stats(user(world.admin), make_campaign("Empty"))
        assert (stats.prospects_collected, stats.conversion_rate, stats.introductions) == (
            0,
            None,
            0,
        )

    def test_cost_per_customer_rounds_half_up_to_the_sen(self, world):
        campaign = make_campaign("Thirds", cost=Decimal("100.00"))
        for _ in range(3):
            converted(world.officer, campaign, datetime(2026, 9, 1, tzinfo=UTC), [])
        assert campaign_stats(user(world.admin), campaign).cost_per_converted_customer == Decimal(
            "33.33"
        )
        campaign = make_campaign("Eighths", cost=Decimal("0.20"))
        for _ in range(8):
            converted(world.officer, campaign, datetime(2026, 9, 1, tzinfo=UTC), [])
        assert campaign_stats(user(world.admin), campaign).cost_per_converted_customer == Decimal(
            "0.03"
        )


class TestShares:
    @pytest.fixture
    def shared(self, world):
        """JKT01 + BDG01, cost 900,000: one converted JKT01 customer (Rp 10m), one BDG01 (Rp 20m)
        and a new BDG01 prospect."""
        campaign = make_campaign("KUR Digital", branches=("JKT01", "BDG01"), cost=Decimal("900000"))
        at = datetime(2026, 9, 5, 3, 0, tzinfo=UTC)
        converted(world.officer, campaign, at, [(date(2026, 9, 6), "10000000")])
        converted(world.remote, campaign, at, [(date(2026, 9, 6), "20000000")])
        make_prospect(world.remote, campaign_id=campaign.id)
        return campaign

    def test_admin_sees_every_branch(self, world, shared):
        stats = campaign_stats(user(world.admin), shared)
        assert (stats.prospects_collected, stats.converted_customers) == (3, 2)
        assert stats.facilities_plafond == Decimal("30000000.00")
        assert stats.cost_per_converted_customer == Decimal("450000.00")

    def test_a_supervisor_sees_their_branches_share_and_is_told_so(self, world, shared):
        stats = campaign_stats(user(world.supervisor), shared)
        assert not stats.whole
        assert stats.scope_label == "Your branches' share only: JKT01 (other branches not counted)."
        assert (stats.prospects_collected, stats.converted_customers) == (1, 1)
        assert stats.facilities_plafond == Decimal("10000000.00")
        assert stats.cost_per_converted_customer is None
        bandung = campaign_stats(user(world.bdg_supervisor), shared)
        assert (bandung.prospects_collected, bandung.facilities_plafond) == (
            2,
            Decimal("20000000.00"),
        )

    def test_list_counts_follow_the_scope(self, world, shared, pameran):
        ids = [shared.id, pameran.id]
        assert tagged_prospect_counts(user(world.admin), ids) == {shared.id: 3, pameran.id: 5}
        assert tagged_prospect_counts(user(world.supervisor), ids) == {shared.id: 1, pameran.id: 5}
        assert tagged_prospect_counts(user(world.remote), ids) == {shared.id: 2}
        assert tagged_prospect_counts(user(world.admin), []) == {}
