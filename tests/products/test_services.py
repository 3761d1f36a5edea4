"""Product catalogue and introduction rules at the service level."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.customers import services as customer_services
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.introductions import services as introductions
from aoapp.introductions.models import Introduction
from aoapp.introductions.schemas import IntroductionInputSchema
from aoapp.products import services
from aoapp.products.models import Product
from aoapp.products.schemas import ProductInputSchema
from tests.support.factories import make_customer, make_product, make_prospect
from tests.support.products import make_introduction, user


def product_input(**overrides) -> dict:
    data = {"code": "kur-mikro", "name": "KUR Mikro", "kind": "credit", "credit_subtype": "kur"}
    data.update(overrides)
    return ProductInputSchema().load(data)


def intro_input(**overrides) -> dict:
    data = {"product": "KMK", "place": "client_office", "outcome": "interested"}
    data.update(overrides)
    return IntroductionInputSchema().load(data)


def entries(entity: str, entity_id: int) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(
        AuditEntry.entity_type == entity, AuditEntry.entity_id == entity_id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


class TestCatalogue:
    def test_admin_adds_a_product_with_upper_case_code_and_audit(self, world):
        product = services.create_product(user(world.admin), product_input())
        assert (product.code, product.kind, product.credit_subtype) == (
            "KUR-MIKRO",
            "credit",
            "kur",
        )
        assert product.active is True
        [entry] = entries("product", product.id)
        assert (entry.action, entry.actor_id) == ("create", world.admin.id)

    @pytest.mark.parametrize("role", ["officer", "supervisor"])
    def test_only_admins_change_the_catalogue(self, world, role):
        actor = user(getattr(world, role))
        with pytest.raises(Forbidden):
            services.create_product(actor, product_input())
        product = make_product("KMK")
        with pytest.raises(Forbidden):
            services.update_product(actor, product, {"active": False})
        db.session.expire_all()
        assert product.active is True

    def test_code_is_unique_whatever_the_case(self, world):
        make_product("KUR-MIKRO", subtype="kur")
        with pytest.raises(Conflict) as error:
            services.create_product(user(world.admin), product_input())
        assert "code" in error.value.errors

    def test_credit_subtype_required_exactly_for_credit(self, world):
        admin = user(world.admin)
        with pytest.raises(InvalidInput) as error:
            services.create_product(admin, product_input(credit_subtype=None))
        assert "credit_subtype" in error.value.errors
        with pytest.raises(InvalidInput) as error:
            services.create_product(admin, product_input(kind="deposit", credit_subtype="kur"))
        assert "credit_subtype" in error.value.errors
        assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0

    def test_deposit_type_required_exactly_for_deposits(self, world):
        admin = user(world.admin)
        with pytest.raises(InvalidInput) as error:
            services.create_product(admin, product_input(kind="deposit", credit_subtype=None))
        assert list(error.value.errors) == ["deposit_type"]
        with pytest.raises(InvalidInput) as error:
            services.create_product(admin, product_input(deposit_type="giro"))
        assert list(error.value.errors) == ["deposit_type"]
        data = product_input(kind="deposit", credit_subtype=None, deposit_type="deposito")
        assert services.create_product(admin, data).deposit_type == "deposito"

    def test_changing_kind_away_from_deposit_drops_the_deposit_type(self, world):
        product = make_product("GIRO", kind="deposit", subtype=None)
        services.update_product(user(world.admin), product, {"kind": "service"})
        assert (product.kind, product.deposit_type) == ("service", None)
        [entry] = entries("product", product.id)
        assert (entry.before["deposit_type"], entry.after["deposit_type"]) == ("giro", None)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kind", "loan"),
            ("credit_subtype", "gold"),
            ("deposit_type", "current"),
            ("code", "1ABC"),
            ("code", "A B"),
        ],
    )
    def test_schema_refuses_bad_values(self, field, value):
        with pytest.raises(ValidationError) as error:
            product_input(**{field: value})
        assert list(error.value.messages) == [field]

    def test_changing_kind_away_from_credit_drops_the_subtype(self, world):
        product = make_product("KMK")
        services.update_product(user(world.admin), product, {"kind": "service"})
        assert (product.kind, product.credit_subtype) == ("service", None)
        [entry] = entries("product", product.id)
        assert entry.before["credit_subtype"] == "working_capital"
        assert entry.after["credit_subtype"] is None

    def test_inactive_products_are_listed_for_admins_who_ask(self, world):
        make_product("KMK")
        make_product("OLD", kind="service", subtype=None, active=False)
        codes = lambda actor, **f: [  # noqa: E731
            p.code for p in services.list_products(user(actor), f, 50).items
        ]
        assert codes(world.officer) == ["KMK"]
        assert codes(world.officer, include_inactive=True) == ["KMK"]
        assert codes(world.admin) == ["KMK"]
        assert codes(world.admin, include_inactive=True) == ["KMK", "OLD"]
        assert codes(world.admin, include_inactive=True, kind="service") == ["OLD"]
        assert codes(world.admin, q="kM") == ["KMK"]


class TestLoggingIntroductions:
    @pytest.fixture(autouse=True)
    def catalogue(self, world):
        make_product("KMK")
        make_product("OLD", kind="service", subtype=None, active=False)

    def test_to_own_prospect_with_audit(self, world):
        prospect = make_prospect(world.officer)
        officer = user(world.officer)
        introduction = introductions.log_introduction(
            officer,
            intro_input(
                prospect=prospect.id,
                product="kmk",
                explanation="Rates and tenor",
                understood=True,
                follow_up_date=(bank_today() + timedelta(days=7)).isoformat(),
            ),
        )
        assert introduction.prospect_id == prospect.id and introduction.customer_id is None
        assert introduction.product.code == "KMK" and introduction.officer_id == officer.id
        assert introduction.introduced_on == bank_today() and introduction.understood is True
        [entry] = entries("introduction", introduction.id)
        assert (entry.action, entry.actor_id, entry.before) == ("create", officer.id, None)
        assert entry.after["outcome"] == "interested"

    def test_to_own_customer(self, world):
        customer = make_customer(world.officer)
        introduction = introductions.log_introduction(
            user(world.officer), intro_input(customer=customer.id, introduced_on="2024-05-02")
        )
        assert introduction.customer_id == customer.id
        assert introduction.introduced_on == date(2024, 5, 2)

    def test_both_or_neither_subject_is_refused(self, world):
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        for subject in ({}, {"prospect": prospect.id, "customer": customer.id}):
            with pytest.raises(InvalidInput) as error:
                introductions.log_introduction(user(world.officer), intro_input(**subject))
            assert {"prospect", "customer"} <= set(error.value.errors)
        assert db.session.scalar(sa.select(sa.func.count(Introduction.id))) == 0

    def test_future_date_is_refused(self, world):
        prospect = make_prospect(world.officer)
        tomorrow = (bank_today() + timedelta(days=1)).isoformat()
        with pytest.raises(InvalidInput) as error:
            introductions.log_introduction(
                user(world.officer), intro_input(prospect=prospect.id, introduced_on=tomorrow)
            )
        assert "introduced_on" in error.value.errors

    def test_follow_up_before_the_introduction_is_refused(self, world):
        prospect = make_prospect(world.officer)
        with pytest.raises(InvalidInput) as error:
            introductions.log_introduction(
                user(world.officer),
                intro_input(
                    prospect=prospect.id, introduced_on="2024-05-02", follow_up_date="2024-05-01"
                ),
            )
        assert "follow_up_date" in error.value.errors
        same_day = introductions.log_introduction(
            user(world.officer),
            intro_input(
                prospect=prospect.id, introduced_on="2024-05-02", follow_up_date="2024-05-02"
            ),
        )
        assert same_day.follow_up_date == date(2024, 5, 2)

    @pytest.mark.parametrize("code", ["OLD", "NOPE"])
    def test_inactive_or_unknown_product_is_refused(self, world, code):
        prospect = make_prospect(world.officer)
        with pytest.raises(InvalidInput) as error:
            introductions.log_introduction(
                user(world.officer), intro_input(prospect=prospect.id, product=code)
            )
        assert "product" in error.value.errors

    @pytest.mark.parametrize("outsider", ["colleague", "remote", "bdg_supervisor"])
    def test_subject_outside_the_scope_is_not_found(self, world, outsider):
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        for subject in ({"prospect": prospect.id}, {"customer": customer.id}):
            with pytest.raises(NotFound):
                introductions.log_introduction(
                    user(getattr(world, outsider)), intro_input(**subject)
                )

    @pytest.mark.parametrize("reader", ["supervisor", "admin"])
    def test_readers_who_see_the_subject_are_forbidden(self, world, reader):
        customer = make_customer(world.officer)
        with pytest.raises(Forbidden):
            introductions.log_introduction(
                user(getattr(world, reader)), intro_input(customer=customer.id)
            )

    @pytest.mark.parametrize(
        ("field", "value"),
        [("place", "cafe"), ("outcome", "maybe"), ("introduced_on", "02/05/2024"), ("x", 1)],
    )
    def test_schema_refuses_bad_values(self, field, value):
        with pytest.raises(ValidationError) as error:
            intro_input(**{field: value})
        assert field in error.value.messages


class TestChangingIntroductions:
    @pytest.fixture
    def introduction(self, world):
        product = make_product("KMK")
        make_product("TAB", kind="deposit", subtype=None)
        customer = make_customer(world.officer)
        return make_introduction(world.officer, product, customer_id=customer.id)

    def test_owner_updates_with_audit(self, world, introduction):
        introductions.update_introduction(
            user(world.officer), introduction, {"outcome": "applied", "product": "tab"}
        )
        assert introduction.outcome == "applied" and introduction.product.code == "TAB"
        [entry] = entries("introduction", introduction.id)
        assert (entry.action, entry.actor_id) == ("update", world.officer.id)
        assert (entry.before["outcome"], entry.after["outcome"]) == ("interested", "applied")

    def test_update_checks_the_dates_against_the_stored_ones(self, world, introduction):
        with pytest.raises(InvalidInput) as error:
            introductions.update_introduction(
                user(world.officer), introduction, {"follow_up_date": date(2024, 5, 1)}
            )
        assert "follow_up_date" in error.value.errors

    def test_new_officer_of_a_reassigned_customer_takes_over(self, world, introduction):
        customer = introduction.customer
        customer_services.reassign(user(world.supervisor), customer, world.colleague.id)
        with pytest.raises(NotFound):
            introductions.get_introduction(user(world.officer), introduction.id)
        introductions.update_introduction(
            user(world.colleague), introduction, {"outcome": "applied"}
        )
        assert introduction.outcome == "applied"

    @pytest.mark.parametrize("reader", ["supervisor", "admin"])
    def test_readers_may_not_change_or_delete(self, world, introduction, reader):
        actor = user(getattr(world, reader))
        assert introductions.get_introduction(actor, introduction.id) == introduction
        with pytest.raises(Forbidden):
            introductions.update_introduction(actor, introduction, {"outcome": "applied"})
        with pytest.raises(Forbidden):
            introductions.delete_introduction(actor, introduction)

    @pytest.mark.parametrize("outsider", ["colleague", "remote", "bdg_supervisor"])
    def test_outsiders_do_not_find_it(self, world, introduction, outsider):
        with pytest.raises(NotFound):
            introductions.get_introduction(user(getattr(world, outsider)), introduction.id)

    def test_owner_deletes_with_audit(self, world, introduction):
        introduction_id = introduction.id
        introductions.delete_introduction(user(world.officer), introduction)
        assert db.session.get(Introduction, introduction_id) is None
        [entry] = entries("introduction", introduction_id)
        assert (entry.action, entry.actor_id, entry.after) == ("delete", world.officer.id, None)
        assert entry.before["customer_id"] is not None


class TestListingIntroductions:
    def test_scope_and_filters(self, world):
        kmk = make_product("KMK")
        tab = make_product("TAB", kind="deposit", subtype=None)
        prospect = make_prospect(world.officer)
        customer = make_customer(world.officer)
        make_introduction(world.officer, kmk, prospect_id=prospect.id, outcome="interested")
        make_introduction(world.officer, tab, customer_id=customer.id, outcome="applied")
        other = make_customer(world.remote)
        make_introduction(world.remote, kmk, customer_id=other.id)

        def outcomes(actor, **filters):
            page = introductions.list_introductions(user(actor), filters, 50)
            return sorted(i.outcome for i in page.items)

        assert outcomes(world.officer) == ["applied", "interested"]
        assert outcomes(world.colleague) == []
        assert outcomes(world.supervisor) == ["applied", "interested"]
        assert len(outcomes(world.admin)) == 3
        assert outcomes(world.officer, prospect=prospect.id) == ["interested"]
        assert outcomes(world.officer, customer=customer.id) == ["applied"]
        assert outcomes(world.officer, product="tab") == ["applied"]
        assert outcomes(world.officer, outcome="interested") == ["interested"]
        assert outcomes(world.officer, customer=other.id) == []
