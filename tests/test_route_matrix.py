"""Every route, generated from the URL map, checked for login and for scoping across branches.

A new route is covered automatically; a new route with an id parameter the matrix does not know
fails here until someone adds how to build a record of another branch for it.
"""

from datetime import date

from werkzeug.routing import Rule

from aoapp.auth import tokens as auth_tokens
from aoapp.credit.models import Facility
from aoapp.customers.models import Customer, ProductHolding
from aoapp.extensions import db
from aoapp.imports.models import PositionImport
from aoapp.introductions.models import Introduction
from aoapp.prospects.models import Prospect
from aoapp.reports.models import Report, ReportBatch
from tests.support import complaints as complaint_helpers
from tests.support import credit_visits as visit_helpers
from tests.support import digest as digest_helpers
from tests.support import factories
from tests.support import followups as followup_helpers
from tests.support import handovers as handover_helpers
from tests.support import photos as photo_helpers
from tests.support import renewals as renewal_helpers

PUBLIC = {
    "static",
    "auth.login",
    "healthz",
    "index",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    "agenda.calendar_feed",  # its own secret token; tests/agenda/test_feed.py
    "surveys.public",  # the customer's survey, its own secret token; tests/surveys/test_public.py
    "offline.manifest",  # the web app's manifest and service worker: no one's data, fetched
    "offline.service_worker",  # without the session; tests/offline/test_webapp.py
}
ADMIN_ONLY_PREFIXES = ("admin.", "imports.", "imports_api.")
# The product catalogue is the whole bank's; an upload token is checked against its uploader;
# the user guide's pages and pictures are everyone's (tests/help/test_help_pages.py).
SHARED_PARAMS = {"product_id", "token", "slug", "filename"}
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


def _rules(app) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            if rule.endpoint not in PUBLIC
            for method in METHODS
            if method in rule.methods
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def _foreign_records(world) -> dict[str, object]:
    """A record of the other branch (BDG01) for every id parameter the routes take."""
    remote = world.remote
    product = factories.make_product("KMK")
    prospect = factories.make_prospect(remote)
    customer = factories.make_customer(remote)
    holding = ProductHolding(customer_id=customer.id, product_id=product.id)
    introduction = Introduction(
        prospect_id=prospect.id,
        product_id=product.id,
        officer_id=remote.id,
        introduced_on=date(2026, 10, 1),
        place="branch",
        outcome="interested",
    )
    record = PositionImport(
        file_name="x.csv",
        sha256="0" * 64,
        as_of=date(2026, 10, 31),
        status="succeeded",
        user_id=world.admin.id,
    )
    report = Report(
        kind="customer",
        period="2026-10",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        as_of=date(2026, 10, 31),
        scope="customer",
        scope_key=f"customer:{customer.id}",
        customer_id=customer.id,
        officer_id=remote.id,
        branch_id=remote.branch_id,
        path=f"2026-10/BDG01/ao.dewi/2026-10_{customer.cif}_x.xlsx",
        size=1,
        sha256="0" * 64,
    )
    batch = ReportBatch(  # background reports asked for by the other branch's officer
        user_id=remote.id,
        period="2026-10",
        scope="officer",
        officer_id=remote.id,
        lang="id",
        total=3,
    )
    db.session.add_all([holding, introduction, record, report, batch])
    db.session.commit()
    facility = visit_helpers.facility(customer)
    visit = visit_helpers.visit(customer, remote)
    followup = followup_helpers.followup(remote, facility=facility)
    promise = followup_helpers.promise(followup_helpers.followup(remote, facility=facility))
    complaint = complaint_helpers.complaint(customer)
    token = auth_tokens.create_token(db.session.merge(remote), "remote")[0]
    factories.make_target(remote, date(2026, 10, 1), new_customers=1)
    campaign = factories.make_campaign("Pameran Bandung", branches=("BDG01",))
    renewal = renewal_helpers.opportunity(facility, remote)
    notification = digest_helpers.notification(remote)  # the other branch's officer's own
    photo = photo_helpers.photo_row(remote, visit=visit)
    followup_photo = photo_helpers.photo_row(remote, follow_up=followup)
    successor = factories.make_user("ao.bdg2", "officer", "BDG01")
    handover = handover_helpers.record(remote, successor, world.bdg_supervisor, [customer])
    return {
        "prospect_id": prospect.id,
        "customer_id": customer.id,
        "holding_id": holding.id,
        "introduction_id": introduction.id,
        "import_id": record.id,
        "facility_id": facility.id,
        "visit_id": visit.id,
        "followup_id": followup.id,
        "promise_id": promise.id,
        "complaint_id": complaint.id,
        "report_id": report.id,
        "batch_id": batch.id,
        "user_id": remote.id,
        "officer_id": remote.id,  # targets of an officer of BDG01
        "month": "2026-10",
        "token_id": token.id,
        "campaign_id": campaign.id,
        "entity_id": prospect.id,
        "entity": "prospect",
        "token": "0" * 32,
        "renewal_id": renewal.id,
        "notification_id": notification.id,
        "photo_id": photo.id,
        "followup_photo_id": followup_photo.id,
        "handover_id": handover.id,
    }


def _url(rule: Rule, values: dict) -> str:
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.rule}: teach the route matrix how to build {missing}"
    return rule.build({arg: values[arg] for arg in rule.arguments}, append_unknown=False)[1]


class TestEveryRouteNeedsLogin:
    def test_anonymous_requests_are_sent_to_login_or_refused(self, app, client):
        fake = {"entity": "prospect", "token": "0" * 32}
        failures = []
        for rule, method in _rules(app):
            url = _url(rule, {**dict.fromkeys(rule.arguments, 999999), **fake})
            response = client.open(url, method=method)
            if rule.rule.startswith("/api/"):
                ok = response.status_code == 401
            elif method == "GET":
                ok = response.status_code == 302 and "/login" in response.headers["Location"]
            else:  # CSRF refuses before anything else, or login is asked for
                ok = response.status_code in (400, 302)
            if not ok:
                failures.append(f"{method} {url} → {response.status_code}")
        assert failures == []


class TestNoRouteLeaksAnotherBranch:
    def test_an_officer_gets_404_for_every_record_of_another_branch(
        self, app, client, auth, api, world
    ):
        values = _foreign_records(world)
        auth.login("ao.budi")
        api_client = api(world.officer)
        token = auth.csrf_token()
        failures = []

        def send(method, url):
            if url.startswith("/api/"):
                body = {} if method in ("POST", "PATCH", "PUT") else None
                return getattr(api_client, method.lower())(url, json=body).status_code
            data = {"csrf_token": token} if method != "GET" else None
            return client.open(url, method=method, data=data).status_code

        for rule, method in _rules(app):
            if not rule.arguments or set(rule.arguments) <= SHARED_PARAMS:
                continue  # no record of a branch in the URL: the product catalogue, uploads
            url = _url(rule, values)
            missing = _url(
                rule,
                {
                    **values,
                    **dict.fromkeys(set(rule.arguments) - SHARED_PARAMS - {"entity"}, 999999),
                },
            )
            foreign, absent = (send(method, u) for u in (url, missing))
            admin_api = rule.endpoint.startswith(ADMIN_ONLY_PREFIXES) and rule.rule.startswith(
                "/api/"
            )
            # A record of another branch must answer exactly as a record that does not exist.
            if method == "GET":
                ok = foreign in ({403, 404} if admin_api else {404})
            else:
                ok = (
                    foreign == absent
                    and foreign not in (200, 201, 204, 302)
                    and (foreign != 403 or admin_api)
                )
            if not ok:
                failures.append(f"{method} {url} → {foreign} (absent id → {absent})")
        assert failures == []


class TestAdminPagesExistForAdminsOnly:
    """The admin's pages (its home, users, branches, imports, the latest changes) answer an
    admin, and do not exist (404) for anyone else, whichever record the URL names."""

    ADMIN_PAGES = {"audit.recent"}  # the audit trail of one record is a supervisor's page too

    def _pages(self, app, world) -> list[tuple[str, bool]]:
        values = {"user_id": world.officer.id, "import_id": 1, "token": "0" * 32}
        return [
            (_url(rule, values), not rule.arguments)
            for rule, method in _rules(app)
            if method == "GET"
            and not rule.rule.startswith("/api/")
            and (rule.endpoint.startswith(ADMIN_ONLY_PREFIXES) or rule.endpoint in self.ADMIN_PAGES)
        ]

    def test_others_get_404_and_the_admin_gets_the_page(self, app, client, auth, world):
        pages = self._pages(app, world)
        assert "/admin/" in {url for url, _plain in pages}
        failures = []
        for username in ("ao.budi", "spv.jkt"):
            auth.login(username)
            failures += [
                f"{username} GET {url} → {status}"
                for url, _plain in pages
                if (status := client.get(url).status_code) != 404
            ]
            auth.logout()
        auth.login("admin")
        failures += [
            f"admin GET {url} → {status}"
            for url, plain in pages
            if plain and (status := client.get(url).status_code) != 200
        ]
        assert failures == []


class TestSearchFindsNothingOfAnotherBranch:
    """The header search's routes take no id: what they must not leak is in their answers."""

    def test_an_officer_searching_another_branchs_records_finds_nothing(
        self, app, client, auth, api, world
    ):
        values = _foreign_records(world)
        customer = db.session.get(Customer, values["customer_id"])
        prospect = db.session.get(Prospect, values["prospect_id"])
        facility = db.session.get(Facility, values["facility_id"])
        texts = [customer.name, customer.cif, customer.nik, customer.phone, facility.account_no]
        texts += [prospect.name, prospect.phone]
        auth.login("ao.budi")
        api_client = api(world.officer)
        failures = []
        for text in texts:
            page = client.get("/search", query_string={"q": text}).get_data(as_text=True)
            items = api_client.get("/api/v1/search", query_string={"q": text}).json["items"]
            links = (f'href="/customers/{customer.id}"', f'href="/prospects/{prospect.id}"')
            if any(link in page for link in links) or items:
                failures.append(text)
        admin = api(world.admin)
        assert all(admin.get("/api/v1/search", query_string={"q": t}).json["items"] for t in texts)
        assert failures == []


# A customer's records, by the URL parameter naming them: each follows the customer's current
# officer, so the officer who had the customer before a reassignment sees none of them.
CUSTOMER_OWNED = (
    "customer_id",
    "holding_id",
    "facility_id",
    "visit_id",
    "followup_id",
    "promise_id",
    "complaint_id",
    "report_id",
    "renewal_id",
    "photo_id",  # a visit's photo
    "followup_photo_id",  # a visit follow-up's photo
)


def _records_of_a_customer(world) -> dict[str, object]:
    """A customer of ao.sari with one record of every kind it owns, closed work included (open
    work moves with the customer; history stays with whoever did it, but is the customer's)."""
    customer = factories.make_customer(world.colleague)
    product = factories.make_product("KMK")
    holding = ProductHolding(customer_id=customer.id, product_id=product.id)
    report = Report(
        kind="customer",
        period="2026-10",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        as_of=date(2026, 10, 31),
        scope="customer",
        scope_key=f"customer:{customer.id}",
        customer_id=customer.id,
        officer_id=world.colleague.id,  # booked to the officer of the customer at the time
        branch_id=world.colleague.branch_id,
        path=f"2026-10/JKT01/ao.sari/2026-10_{customer.cif}_x.xlsx",
        size=1,
        sha256="0" * 64,
    )
    db.session.add_all([holding, report])
    db.session.commit()
    facility = visit_helpers.facility(customer)
    visit = visit_helpers.visit(customer, world.colleague)
    done = followup_helpers.followup(world.colleague, facility=facility, status="done")
    promise = followup_helpers.promise(
        followup_helpers.followup(world.colleague, facility=facility)
    )
    complaint = complaint_helpers.complaint(customer, status="closed")
    renewal = renewal_helpers.opportunity(facility, world.colleague, stage="closed")
    photo = photo_helpers.photo_row(world.colleague, visit=visit)
    followup_photo = photo_helpers.photo_row(world.colleague, follow_up=done)
    return {
        "customer_id": customer.id,
        "holding_id": holding.id,
        "facility_id": facility.id,
        "visit_id": visit.id,
        "followup_id": done.id,
        "promise_id": promise.id,
        "complaint_id": complaint.id,
        "report_id": report.id,
        "renewal_id": renewal.id,
        "photo_id": photo.id,
        "followup_photo_id": followup_photo.id,
        "entity": "customer",
        "entity_id": customer.id,
    }


class TestAfterReassignment:
    """The 'after reassignment' column: the former officer of a reassigned customer gets 404 for
    every record the customer owns (reports, follow-ups, promises, complaints, visits…)."""

    def _routes(self, app) -> list[tuple[Rule, str]]:
        return [
            (rule, method)
            for rule, method in _rules(app)
            if set(rule.arguments) & set(CUSTOMER_OWNED)
            and set(rule.arguments) <= {*CUSTOMER_OWNED, "entity", "entity_id"}
        ]

    def test_the_former_officer_gets_404_for_every_record_of_the_customer(
        self, app, client, auth, api, world
    ):
        from aoapp.customers.services import reassign

        values = _records_of_a_customer(world)
        routes = self._routes(app)
        kinds = {arg for rule, _method in routes for arg in rule.arguments}
        assert kinds >= set(CUSTOMER_OWNED)  # every kind has at least one route
        customer = db.session.get(Customer, values["customer_id"])
        admin = db.session.merge(world.admin)
        reassign(admin, customer, world.officer.id)  # ao.sari → ao.budi

        auth.login("ao.sari")
        api_client = api(world.colleague)
        token = auth.csrf_token()
        absent_values = {**values, **dict.fromkeys((*CUSTOMER_OWNED, "entity_id"), 999999)}

        def send(method, url):
            if url.startswith("/api/"):
                body = {} if method in ("POST", "PATCH", "PUT") else None
                return getattr(api_client, method.lower())(url, json=body).status_code
            data = {"csrf_token": token} if method != "GET" else None
            return client.open(url, method=method, data=data).status_code

        failures = []
        for rule, method in routes:
            url = _url(rule, values)
            status = send(method, url)
            # A change answers as for a record that does not exist (an empty body may be
            # refused first); a page is 404.
            if method == "GET":
                ok = status == 404
            else:
                ok = status == send(method, _url(rule, absent_values)) and status >= 400
            if not ok:
                failures.append(f"{method} {url} → {status}")
        assert failures == [], "\n".join(failures)

    def test_the_new_officer_sees_the_customers_reports(self, app, client, api, world):
        from aoapp.customers.services import reassign

        values = _records_of_a_customer(world)
        customer = db.session.get(Customer, values["customer_id"])
        reassign(db.session.merge(world.admin), customer, world.officer.id)
        api_client = api(world.officer)
        assert api_client.get(f"/api/v1/reports/{values['report_id']}").status_code == 200
        listed = api_client.get("/api/v1/reports", query_string={"period": "2026-10"}).json
        assert [item["id"] for item in listed["items"]] == [values["report_id"]]


def _is_id(argument: str) -> bool:
    return argument == "id" or argument.endswith("_id")


class TestIdsAreBounded:
    """Every id in a URL goes through the one `id` converter: an id no record can have (≥ 2³¹)
    is no route at all, 404, instead of an 'integer out of range' from the database."""

    def test_every_id_parameter_takes_the_id_converter(self, app):
        from aoapp.common.routing import IdConverter

        wrong = [
            f"{rule.rule}: {argument} ({type(converter).__name__})"
            for rule in app.url_map.iter_rules()
            for argument, converter in rule._converters.items()
            if (_is_id(argument) and not isinstance(converter, IdConverter))
            or type(converter).__name__ == "IntegerConverter"
        ]
        assert wrong == []

    def test_ids_beyond_32_bits_answer_404_even_for_the_admin(self, app, client, auth, api, world):
        auth.login("admin")
        api_client = api(world.admin)
        token = auth.csrf_token()
        values = {"entity": "prospect", "month": "2026-10", "token": "0" * 32}
        routes = [(r, m) for r, m in _rules(app) if any(_is_id(a) for a in r.arguments)]
        assert len(routes) > 50
        failures = []
        for rule, method in routes:
            for big in (2**31, 2**63):
                ids = {arg: big for arg in rule.arguments if _is_id(arg)}
                url = _url(rule, {**values, **ids})
                if url.startswith("/api/"):
                    body = {} if method in ("POST", "PATCH", "PUT") else None
                    status = getattr(api_client, method.lower())(url, json=body).status_code
                else:
                    data = {"csrf_token": token} if method != "GET" else None
                    status = client.open(url, method=method, data=data).status_code
                if status != 404:
                    failures.append(f"{method} {url} → {status}")
        assert failures == [], "\n".join(failures)
