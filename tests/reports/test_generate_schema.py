"""The Generate form's rules (GenerateFormSchema): each form of the period picker, the message
for a period without a listing, and the scopes each role may choose (anything else refused)."""

from datetime import date

import pytest
from marshmallow import ValidationError

from aoapp.reports import services
from aoapp.reports.schemas import GenerateFormSchema


def _load(scopes, **values):
    return GenerateFormSchema(scopes=scopes).load({"kind": "customer", **values})


def _errors(scopes, **values) -> dict:
    with pytest.raises(ValidationError) as caught:
        _load(scopes, **values)
    return caught.value.normalized_messages()


@pytest.fixture
def budi(world, book):
    """The officer's own scope value (his only choice)."""
    return f"officer:{world.officer.id}"


class TestPeriodPicker:
    def test_a_month(self, budi, world):
        data = _load({budi}, scope=budi, period_kind="month", month="2024-06")
        assert data["period"].code == "2024-06" and data["period"].kind == "month"
        assert (data["scope"], data["officer_id"], data["branch_id"]) == (
            "officer",
            world.officer.id,
            None,
        )

    def test_a_quarter(self, budi):
        data = _load({budi}, scope=budi, period_kind="quarter", quarter="2024Q2")
        assert data["period"].code == "2024Q2"
        assert (data["period"].start, data["period"].end) == (date(2024, 4, 1), date(2024, 6, 30))

    def test_a_range_of_two_dates(self, budi):
        data = _load({budi}, scope=budi, period_kind="custom", start="2024-06-01", end="2024-06-30")
        assert data["period"].code == "20240601-20240630" and data["period"].kind == "custom"

    def test_the_canonical_code_without_the_picker(self, budi):
        assert _load({budi}, scope=budi, period="2024Q2")["period"].code == "2024Q2"
        assert _load({budi}, scope=budi, period="2024-06-01..2024-06-30")["period"].kind == "custom"

    def test_only_the_chosen_kind_counts(self, budi):
        data = _load({budi}, scope=budi, period_kind="quarter", quarter="2024Q2", month="2026-11")
        assert data["period"].code == "2024Q2"
        typed = _load({budi}, scope=budi, period_kind="month", month="Juni 2024")
        assert typed["period"].code == "2024-06"  # what a script may post, as people write it

    def test_unreadable_or_missing_choices_are_refused_on_their_field(self, budi):
        assert "month" in _errors({budi}, scope=budi, period_kind="month", month="June")
        assert "month" in _errors({budi}, scope=budi, period_kind="month", month="2024Q2")
        assert "quarter" in _errors({budi}, scope=budi, period_kind="quarter", quarter="2024Q5")
        assert "month" in _errors({budi}, scope=budi)  # no period at all
        assert set(_errors({budi}, scope=budi, period_kind="custom")) == {"start", "end"}
        assert "period_kind" in _errors({budi}, scope=budi, period_kind="week", month="2024-06")

    def test_a_range_ending_before_it_starts_or_longer_than_a_year(self, budi):
        backwards = _errors(
            {budi}, scope=budi, period_kind="custom", start="2024-06-30", end="2024-06-01"
        )
        assert backwards == {"end": ["Ends before it starts."]}
        long = _errors(
            {budi}, scope=budi, period_kind="custom", start="2023-06-01", end="2024-06-30"
        )
        assert long == {"end": ["Longer than a year."]}

    def test_a_period_without_a_listing_says_so_on_its_field(self, budi):
        errors = _errors({budi}, scope=budi, period_kind="month", month="2026-11")
        assert errors == {
            "month": ["There is no listing in November 2026 yet: the latest is dated Jun 30, 2024."]
        }
        errors = _errors({budi}, scope=budi, period_kind="quarter", quarter="2024Q1")
        assert errors == {"quarter": ["There is no listing in Q1 2024."]}
        errors = _errors(
            {budi}, scope=budi, period_kind="custom", start="2024-06-01", end="2024-06-29"
        )
        assert list(errors) == ["start"]  # the 30 June listing is outside the range


class TestScopeByRole:
    def test_an_officer_may_choose_only_his_own_portfolio(self, world, book):
        scopes = services.scope_values(world.officer)
        assert scopes == {f"officer:{world.officer.id}"}
        for refused in (
            f"officer:{world.colleague.id}",
            f"branch:{world.jkt.id}",
            "bank",
            "officer:abc",
            "",
        ):
            assert "scope" in _errors(scopes, scope=refused, period="2024-06"), refused

    def test_a_supervisor_an_officer_of_his_branch_or_the_branch(self, world, book):
        scopes = services.scope_values(world.supervisor)
        assert scopes == {
            f"branch:{world.jkt.id}",
            f"officer:{world.officer.id}",
            f"officer:{world.colleague.id}",
        }
        data = _load(scopes, scope=f"branch:{world.jkt.id}", period="2024-06")
        assert (data["scope"], data["officer_id"], data["branch_id"]) == (
            "branch",
            None,
            world.jkt.id,
        )
        for refused in (
            "bank",
            f"branch:{world.bdg.id}",
            f"officer:{world.remote.id}",
            f"officer:{world.supervisor.id}",
        ):
            assert _errors(scopes, scope=refused, period="2024-06") == {
                "scope": ["Choose one of the scopes offered."]
            }, refused

    def test_an_admin_any_officer_any_branch_the_bank(self, world, book):
        scopes = services.scope_values(world.admin)
        assert scopes == {
            "bank",
            f"branch:{world.jkt.id}",
            f"branch:{world.bdg.id}",
            f"officer:{world.officer.id}",
            f"officer:{world.colleague.id}",
            f"officer:{world.remote.id}",
        }
        assert _load(scopes, scope="bank", period="2024-06")["scope"] == "bank"
        assert "scope" in _errors(scopes, scope=f"officer:{world.admin.id}", period="2024-06")
