"""No N+1: the pages and API lists of an officer's day run as many SQL statements for 12 rows as
for 2 (customers, facilities, follow-ups, promises, complaints, visits, holdings...).

Each test builds a small book, counts the statements of one request, grows the book to 12 of
everything the page lists, counts again and checks the page did list the new rows.
"""

import itertools
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from aoapp.customers.models import ProductHolding
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from tests.support import agenda as agenda_h
from tests.support import credit_visits as visit_helpers
from tests.support import followups as followup_h
from tests.support.credit import AS_OF, EARLIER, make_facility, post_listing
from tests.support.factories import make_customer, make_product, make_prospect
from tests.support.statements import recorded

SMALL, LARGE = 2, 12
_seq = itertools.count(1)


def measure(client, url: str, headers: dict | None = None) -> tuple[list[str], str]:
    """The statements of one GET (which must answer 200) and the response body."""
    with recorded() as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    return statements, response.get_data(as_text=True)


def assert_constant(small: list[str], large: list[str]) -> None:
    """Same number of statements; otherwise name the statements that repeat with the rows."""
    if len(small) != len(large):
        grown = Counter(large) - Counter(small)
        detail = "\n".join(f"{n}× {s[:300]}" for s, n in grown.most_common(5))
        pytest.fail(
            f"{len(small)} statements for {SMALL} rows, {len(large)} for {LARGE}:\n{detail}"
        )


def check(client, url: str, grow, shown, headers: dict | None = None) -> None:
    """Count at SMALL rows, grow the book to LARGE, count again; `shown(body)` counts the rows."""
    grow(SMALL)
    small, body = measure(client, url, headers)
    assert shown(body) >= SMALL
    grow(LARGE - SMALL)
    large, body = measure(client, url, headers)
    assert shown(body) >= LARGE
    assert_constant(small, large)


def count_of(pattern: str):
    """Counts `pattern` (a regular expression) in a body: one match per listed row."""
    return lambda body: len(re.findall(pattern, body))


# --- Builders: each adds `n` more rows of what a page lists ----------------------------------


def grow_portfolio(officer):
    """Customers of `officer` with a facility each, on two listing dates (DPD > 0 now)."""

    def grow(n: int) -> None:
        facilities = [make_facility(make_customer(officer)) for _ in range(n)]
        post_listing(EARLIER, [(f, 0, 1000) for f in facilities])
        post_listing(AS_OF, [(f, 10 + i, 900) for i, f in enumerate(facilities)])

    return grow


def grow_followups(officer):
    """Follow-ups of `officer`: with a customer's facility (half with a promise), a prospect."""

    def grow(n: int) -> None:
        for i in range(n):
            if i % 2:
                followup_h.followup(officer, prospect=make_prospect(officer))
                continue
            customer, facility = followup_h.debtor(officer)
            followup_h.position(facility, followup_h.days(-20), 500000, 25)
            row = followup_h.followup(
                officer, facility=facility, planned_date=followup_h.days(-5 - i)
            )
            if i % 4 == 0:
                followup_h.promise(row)

    return grow


def grow_promises(officer):
    """Promises to pay of `officer`'s debtors, recorded on done collection follow-ups."""

    def grow(n: int) -> None:
        for _ in range(n):
            k = next(_seq)
            _customer, facility = followup_h.debtor(officer)
            followup_h.position(facility, followup_h.days(-20 - k % 10), 500000, 25)
            row = followup_h.followup(
                officer, facility=facility, planned_date=followup_h.days(-5 - k % 7)
            )
            followup_h.promise(row)

    return grow


def grow_agenda(officer):
    """Agenda items: collection calls with promises, prospect calls, complaints, monitoring."""

    def grow(n: int) -> None:
        for i in range(n):
            kind = i % 4
            if kind == 0:
                facility = agenda_h.debtor(officer, 10 + i)
                agenda_h.promise(facility, officer, agenda_h.days(-3), agenda_h.days(3))
                agenda_h.followup(officer, facility=facility, planned_date=agenda_h.days(i % 3 - 1))
            elif kind == 1:
                prospect = make_prospect(officer)
                agenda_h.followup(officer, prospect=prospect, planned_date=agenda_h.days(i % 7))
            elif kind == 2:
                customer = make_customer(officer)
                facility = visit_helpers.facility(customer)
                agenda_h.complaint(customer, due_date=agenda_h.days(i % 7), facility_id=facility.id)
            else:
                customer = make_customer(officer)
                agenda_h.followup(
                    officer, customer=customer, planned_date=agenda_h.days(1), purpose="monitoring"
                )

    return grow


def grow_customer_page(customer, officer):
    """Everything a customer page lists: facilities with positions, holdings, introductions,
    visits, complaints, follow-ups with promises, referred prospects."""

    def grow(n: int) -> None:
        for _ in range(n):
            k = next(_seq)
            facility = visit_helpers.facility(customer, account_no=f"QC{k:08d}")
            visit_helpers.position(facility, date(2024, 5, 31), 0)
            visit_helpers.position(facility, date(2024, 6, 30), 5 + k % 60)
            deposit = make_product(f"DEP{k}", kind="deposit", subtype=None)
            db.session.add(ProductHolding(customer_id=customer.id, product_id=deposit.id))
            db.session.add(
                Introduction(
                    customer_id=customer.id,
                    product_id=deposit.id,
                    officer_id=officer.id,
                    introduced_on=date(2024, 6, 1) - timedelta(days=k),
                    place="branch",
                    outcome="interested",
                )
            )
            db.session.commit()
            visit_helpers.visit(
                customer, officer, facility_id=facility.id, visit_date=date(2025, 1, 10 + k % 20)
            )
            agenda_h.complaint(customer, facility_id=facility.id, due_date=agenda_h.days(k % 9))
            # Distinct dates, so a query per distinct value would show as well as one per row.
            row = followup_h.followup(
                officer, facility=facility, planned_date=followup_h.days(-2 - k % 20)
            )
            followup_h.promise(row)
            make_prospect(officer, referrer_customer_id=customer.id, source="referral")

    return grow


def grow_team(officer):
    """What a supervisor reviews: escalated collection visits, broken promises, complaints past
    their due date and escalated ones, for customers of `officer`."""

    def grow(n: int) -> None:
        for i in range(n):
            facility = agenda_h.debtor(officer, 100 + i)
            agenda_h.followup(
                officer, facility=facility, planned_date=agenda_h.days(i % 3), escalated=True
            )
            agenda_h.promise(facility, officer, agenda_h.days(-30), agenda_h.days(-20))
            customer = make_customer(officer)
            agenda_h.complaint(customer, due_date=agenda_h.days(-2))
            agenda_h.complaint(
                customer,
                status="escalated",
                escalated_at=datetime.now(UTC) - timedelta(days=1),
                escalated_by_id=officer.id,
                escalation_reason="Needs a decision.",
            )

    return grow


def grow_customers(officer):
    """Customers of `officer`, each holding a savings account."""

    def grow(n: int) -> None:
        for _ in range(n):
            customer = make_customer(officer)
            savings = make_product(f"TAB{next(_seq)}", kind="deposit", subtype=None)
            db.session.add(ProductHolding(customer_id=customer.id, product_id=savings.id))
            db.session.commit()

    return grow


# --- Pages ------------------------------------------------------------------------------------


class TestOfficerPages:
    @pytest.fixture(autouse=True)
    def _login(self, auth, world):
        auth.login("ao.budi")

    def test_agenda(self, client, world):
        check(client, "/agenda/", grow_agenda(world.officer), count_of(r"data-kind="))

    def test_customer_page(self, client, world):
        customer = make_customer(world.officer, name="PT Banyak Fasilitas")
        grow = grow_customer_page(customer, world.officer)
        check(client, f"/customers/{customer.id}", grow, count_of("QC0"))

    def test_customers_list(self, client, world):
        check(
            client, "/customers/", grow_customers(world.officer), count_of(r'href="/customers/\d+"')
        )

    def test_portfolio(self, client, world):
        shown = count_of('<tr data-facility="')
        check(client, "/portfolio/?sort=-dpd", grow_portfolio(world.officer), shown)

    def test_portfolio_filtered(self, client, world):
        shown = count_of('<tr data-facility="')
        check(client, "/portfolio/?kol=2&bucket=1_30", grow_portfolio(world.officer), shown)

    def test_followups_list(self, client, world):
        check(client, "/followups/", grow_followups(world.officer), count_of("data-followup="))

    def test_promises_list(self, client, world):
        shown = count_of("data-promise=")
        check(client, "/promises/", grow_promises(world.officer), shown)


class TestSupervisorPages:
    @pytest.fixture(autouse=True)
    def _login(self, auth, world):
        auth.login("spv.jkt")

    def test_customer_page(self, client, world):
        customer = make_customer(world.officer, name="PT Banyak Fasilitas")
        grow = grow_customer_page(customer, world.officer)
        check(client, f"/customers/{customer.id}", grow, count_of("QC0"))

    def test_customers_list(self, client, world):
        check(
            client,
            "/customers/",
            grow_customers(world.colleague),
            count_of(r'href="/customers/\d+"'),
        )

    def test_portfolio(self, client, world):
        shown = count_of('<tr data-facility="')
        check(client, "/portfolio/", grow_portfolio(world.colleague), shown)

    def test_followups_list(self, client, world):
        check(client, "/followups/", grow_followups(world.colleague), count_of("data-followup="))

    def test_team_agenda(self, client, world):
        shown = count_of(r'data-followup="')
        check(client, "/agenda/team", grow_team(world.colleague), shown)


class TestApiLists:
    @pytest.fixture
    def headers(self, client, api, world):
        """A bearer token of ao.budi, used once so its coarse `last_used_at` write is done."""
        headers = api(world.officer).headers
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
        return headers

    def test_customers(self, client, world, headers):
        url = "/api/v1/customers?per_page=50"
        check(client, url, grow_customers(world.officer), count_of('"cif"'), headers)

    def test_facilities(self, client, world, headers):
        url = "/api/v1/facilities?per_page=50"
        check(client, url, grow_portfolio(world.officer), count_of('"account_no"'), headers)

    def test_facilities_filtered(self, client, world, headers):
        url = "/api/v1/facilities?kol=2&sort=-outstanding"
        check(client, url, grow_portfolio(world.officer), count_of('"account_no"'), headers)

    def test_followups(self, client, world, headers):
        url = "/api/v1/followups?per_page=50"
        check(client, url, grow_followups(world.officer), count_of('"purpose"'), headers)

    def test_promises(self, client, world, headers):
        url = "/api/v1/promises"
        check(client, url, grow_promises(world.officer), count_of('"promised_amount"'), headers)

    def test_agenda(self, client, world, headers):
        check(client, "/api/v1/agenda", grow_agenda(world.officer), count_of('"kind"'), headers)


def grow_campaigns(officer, branches=("JKT01", "BDG01")):
    """Campaigns of two branches promoting a product, each with a prospect of `officer`."""
    from tests.support.factories import make_campaign

    def grow(n: int) -> None:
        for _ in range(n):
            k = next(_seq)
            product = make_product(f"CMP{k}")
            campaign = make_campaign(f"Campaign QC{k:04d}", branches=branches, products=[product])
            make_prospect(officer, campaign_id=campaign.id)

    return grow


def grow_introductions(officer):
    """Introductions of `officer` to prospects and customers, half of them tagged."""
    from tests.support.factories import make_campaign

    def grow(n: int) -> None:
        for i in range(n):
            k = next(_seq)
            product = make_product(f"INT{k}")
            campaign = make_campaign(f"Intro campaign {k}") if i % 2 else None
            subject = (
                {"prospect_id": make_prospect(officer).id}
                if i % 2
                else {"customer_id": make_customer(officer).id}
            )
            db.session.add(
                Introduction(
                    **subject,
                    product_id=product.id,
                    officer_id=officer.id,
                    introduced_on=date(2026, 10, 1) - timedelta(days=k % 30),
                    place="branch",
                    outcome="interested",
                    campaign_id=campaign.id if campaign else None,
                )
            )
            db.session.commit()

    return grow


class TestCampaignAndIntroductionLists:
    def test_campaigns_list_of_a_supervisor(self, client, auth, world):
        auth.login("spv.jkt")
        shown = count_of(r"data-campaign=")
        check(client, "/campaigns/", grow_campaigns(world.colleague), shown)

    def test_campaigns_api(self, client, api, world):
        headers = api(world.supervisor).headers
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
        shown = count_of(r'"channel"')
        check(client, "/api/v1/campaigns", grow_campaigns(world.colleague), shown, headers)

    def test_introductions_list_of_a_supervisor(self, client, auth, world):
        auth.login("spv.jkt")
        shown = count_of(r"data-introduction=")
        check(client, "/products/introductions/", grow_introductions(world.colleague), shown)

    def test_introductions_list_of_an_officer(self, client, auth, world):
        auth.login("ao.budi")
        shown = count_of(r"data-introduction=")
        check(client, "/products/introductions/", grow_introductions(world.officer), shown)


def grow_dashboard_team(branch="JKT01"):
    """Officers of `branch`, each with a debtor on two listings, a prospect, a follow-up due
    today, a complaint and a target for the current month."""
    from aoapp.targets.models import Target
    from tests.support.factories import make_user

    def grow(n: int) -> None:
        for _ in range(n):
            officer = make_user(f"ao.qc{next(_seq)}", "officer", branch)
            customer = make_customer(officer)
            facility = make_facility(customer)
            post_listing(EARLIER, [(facility, 0, 1000)])
            post_listing(AS_OF, [(facility, 40, 900)])
            make_prospect(officer)
            followup_h.followup(officer, customer=customer)
            agenda_h.complaint(customer, due_date=agenda_h.days(-1))
            month = followup_h.today().replace(day=1)
            db.session.add(Target(officer_id=officer.id, month=month, followups_done=3))
            db.session.commit()

    return grow


def grow_dashboard_officer(officer):
    """The officer's debtors on two listings, with follow-ups and complaints."""
    portfolio = grow_portfolio(officer)

    def grow(n: int) -> None:
        portfolio(n)
        for _ in range(n):
            customer = make_customer(officer)
            followup_h.followup(officer, customer=customer, planned_date=followup_h.days(-2))
            agenda_h.complaint(customer, due_date=agenda_h.days(3))

    return grow


def json_count(*path):
    """The length (list) or value (number) at `path` of a JSON body."""
    import json

    def shown(body: str) -> int:
        value = json.loads(body)
        for key in path:
            value = value[key]
        return len(value) if isinstance(value, list) else value

    return shown


class TestDashboardApi:
    def test_team_dashboard_of_a_supervisor(self, client, api, world):
        headers = api(world.supervisor).headers
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
        shown = json_count("officers")
        check(client, "/api/v1/dashboard/team", grow_dashboard_team(), shown, headers)

    def test_team_dashboard_of_the_bank(self, client, api, world):
        headers = api(world.admin).headers
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
        shown = json_count("officers")
        check(client, "/api/v1/dashboard/team", grow_dashboard_team("BDG01"), shown, headers)

    def test_officer_dashboard(self, client, api, world):
        headers = api(world.officer).headers
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
        shown = json_count("portfolio", "facilities")
        check(
            client,
            "/api/v1/dashboard/officer",
            grow_dashboard_officer(world.officer),
            shown,
            headers,
        )


def grow_targets(branch_code: str = "JKT01"):
    """Officers of the branch, each with this month's targets (rows of the targets grid)."""
    from aoapp.targets.services import current_month
    from tests.support.factories import make_target, make_user

    def grow(n: int) -> None:
        for _ in range(n):
            officer = make_user(f"ao.qc{next(_seq)}", "officer", branch_code)
            make_target(officer, current_month(), new_customers=2, followups_done=60)

    return grow


class TestTargetsPage:
    def test_the_supervisor_s_grid(self, client, auth, world):
        auth.login("spv.jkt")
        check(client, "/targets/", grow_targets(), count_of(r'<tr data-officer="ao\.'))

    def test_the_api_list(self, client, api, world):
        headers = api(world.supervisor).headers
        assert client.get("/api/v1/users/me", headers=headers).status_code == 200
        check(client, "/api/v1/targets", grow_targets(), count_of('"officer_username"'), headers)
