"""Customer rules at the service level: validation, uniqueness, duplicates, reassignment, audit."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.customers import held, services
from aoapp.customers.models import Customer, ProductHolding
from aoapp.customers.schemas import CustomerInputSchema
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.introductions.services import cross_sell
from aoapp.prospects.duplicates import DuplicateFound
from aoapp.prospects.referrals import referral_counts
from tests.support.customers import user
from tests.support.factories import make_customer, make_product, make_prospect, nik


def load(**overrides) -> dict:
    """Validated customer input, as the views and the API pass it to the services."""
    data = {
        "cif": "CIF-1",
        "name": "Toko Maju Jaya",
        "nik": "3201011506900501",
        "segment": "micro",
    }
    data.update(overrides)
    return CustomerInputSchema().load(data)


def audit_entries(record) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(
        AuditEntry.entity_type == type(record).__name__.lower(), AuditEntry.entity_id == record.id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


class TestInputValidation:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("nik", "12345", "NIK must be exactly 16 digits."),
            ("nik", "0501011506900001", "valid province code"),
            ("npwp", "01234567890123", "NPWP must be 15 digits"),
            ("phone", "12345", "Phone number must start with 0, 62 or +62."),
            ("segment", "retail", "Must be one of: micro, small, medium, corporate, consumer."),
            ("customer_type", "person", "Must be one of: individual, company."),
            ("cif", "CIF 1/2", "CIF does not have the bank's format"),
            ("email", "not-an-email", "Not a valid email address."),
            ("since", (date.today() + timedelta(days=2)).isoformat(), "cannot be in the future"),
        ],
    )
    def test_bad_value_is_refused_on_its_field(self, field, value, message):
        with pytest.raises(ValidationError) as error:
            load(**{field: value})
        assert list(error.value.messages) == [field]
        assert message in error.value.messages[field][0]

    def test_required_fields(self):
        with pytest.raises(ValidationError) as error:
            CustomerInputSchema().load({"name": "  "})
        assert set(error.value.messages) == {"cif", "name", "segment"}

    def test_unknown_field_is_refused(self):
        with pytest.raises(ValidationError) as error:
            load(branch_id=3)
        assert "branch_id" in error.value.messages

    def test_numbers_are_normalised_and_since_defaults_to_today(self):
        data = load(npwp="01.234.567.8-901.000", phone="0812-7777-0001", nik=None)
        assert data["npwp"] == "012345678901000"
        assert data["phone"] == "6281277770001"
        assert data["since"] == bank_today()


class TestCreating:
    def test_officer_creates_a_customer_in_own_branch_with_audit(self, world):
        officer = user(world.officer)
        customer = services.create_customer(officer, load(phone="081277770001"))
        db.session.expire_all()
        assert customer.officer_id == officer.id
        assert customer.branch_id == world.jkt.id
        assert customer.phone == "6281277770001"
        [entry] = audit_entries(customer)
        assert (entry.action, entry.actor_id, entry.before) == ("create", officer.id, None)
        assert entry.after["cif"] == "CIF-1" and entry.after["nik"] == "3201011506900501"

    @pytest.mark.parametrize("role", ["supervisor", "admin"])
    def test_only_officers_create_customers(self, world, role):
        with pytest.raises(Forbidden):
            services.create_customer(user(getattr(world, role)), load())
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 0

    def test_individual_needs_nik_or_npwp(self, world):
        with pytest.raises(InvalidInput) as error:
            services.create_customer(user(world.officer), load(nik=None))
        assert "nik" in error.value.errors
        customer = services.create_customer(
            user(world.officer), load(nik=None, npwp="012345678901000")
        )
        assert customer.npwp == "012345678901000"

    def test_company_needs_npwp(self, world):
        with pytest.raises(InvalidInput) as error:
            services.create_customer(user(world.officer), load(customer_type="company", nik=None))
        assert error.value.errors == {"npwp": ["A company needs an NPWP."]}

    def test_company_has_no_nik(self, world):
        with pytest.raises(InvalidInput) as error:
            services.create_customer(
                user(world.officer), load(customer_type="company", npwp="012345678901000")
            )
        assert "nik" in error.value.errors

    def test_cif_is_unique(self, world):
        make_customer(world.remote, cif="CIF-1")
        with pytest.raises(Conflict) as error:
            services.create_customer(user(world.officer), load())
        assert "cif" in error.value.errors
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 1

    def test_cif_taken_by_a_concurrent_request_is_a_conflict(self, world, monkeypatch):
        make_customer(world.remote, cif="CIF-1")
        monkeypatch.setattr(services, "_check_unique", lambda values, exclude_id=None: None)
        with pytest.raises(Conflict):
            services.create_customer(user(world.officer), load())
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 1
        stmt = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.entity_type == "customer")
        assert db.session.scalar(stmt) == 0

    def test_npwp_is_unique(self, world):
        make_customer(world.remote, npwp="012345678901000")
        with pytest.raises(Conflict) as error:
            services.create_customer(user(world.officer), load(npwp="012345678901000"))
        assert "npwp" in error.value.errors

    def test_nik_of_a_prospect_is_refused_even_in_another_branch(self, world):
        make_prospect(world.remote, nik="3201011506900501")
        with pytest.raises(DuplicateFound) as error:
            services.create_customer(user(world.officer), load(allow_duplicate_phone=True))
        assert error.value.errors["nik"] == ["Already handled by another officer (branch BDG01)."]
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 0

    def test_nik_of_another_customer_is_refused(self, world):
        make_customer(world.officer, nik="3201011506900501")
        with pytest.raises(DuplicateFound) as error:
            services.create_customer(user(world.officer), load())
        assert "nik" in error.value.errors

    def test_shared_phone_warns_and_can_be_overridden(self, world):
        make_prospect(world.colleague, phone="6281277770001")
        with pytest.raises(DuplicateFound) as error:
            services.create_customer(user(world.officer), load(phone="081277770001"))
        assert "allow_duplicate_phone" in error.value.errors
        customer = services.create_customer(
            user(world.officer), load(phone="081277770001", allow_duplicate_phone=True)
        )
        assert customer.id


class TestUpdating:
    def test_assigned_officer_edits_with_audit_before_and_after(self, world):
        officer = user(world.officer)
        customer = make_customer(officer, segment="micro")
        services.update_customer(officer, customer, {"segment": "small", "address": "Jl. Baru"})
        [entry] = audit_entries(customer)
        assert entry.action == "update" and entry.actor_id == officer.id
        assert entry.before["segment"] == "micro" and entry.after["segment"] == "small"
        assert entry.after["address"] == "Jl. Baru"

    def test_saving_unchanged_data_writes_no_audit_entry(self, world):
        customer = make_customer(world.officer, segment="micro")
        services.update_customer(user(world.officer), customer, {"segment": "micro"})
        assert audit_entries(customer) == []

    @pytest.mark.parametrize("role", ["supervisor", "admin", "colleague"])
    def test_others_may_not_edit(self, world, role):
        customer = make_customer(world.officer, segment="micro")
        with pytest.raises(Forbidden):
            services.update_customer(user(getattr(world, role)), customer, {"segment": "small"})
        db.session.expire_all()
        assert customer.segment == "micro"

    def test_changing_to_company_requires_dropping_the_nik(self, world):
        customer = make_customer(world.officer, npwp="012345678901000")
        with pytest.raises(InvalidInput):
            services.update_customer(user(world.officer), customer, {"customer_type": "company"})
        services.update_customer(
            user(world.officer), customer, {"customer_type": "company", "nik": None}
        )
        assert customer.customer_type == "company" and customer.nik is None

    def test_cif_of_another_customer_is_refused(self, world):
        make_customer(world.remote, cif="CIF-TAKEN")
        customer = make_customer(world.officer)
        with pytest.raises(Conflict):
            services.update_customer(user(world.officer), customer, {"cif": "CIF-TAKEN"})

    def test_nik_of_a_prospect_is_refused_on_edit(self, world):
        make_prospect(world.colleague, nik=nik(4242))
        customer = make_customer(world.officer)
        with pytest.raises(DuplicateFound):
            services.update_customer(user(world.officer), customer, {"nik": nik(4242)})

    def test_own_converted_prospect_is_not_a_duplicate(self, world):
        customer = make_customer(world.officer, nik=nik(4343))
        make_prospect(world.officer, status="won", customer_id=customer.id, nik=nik(4344))
        services.update_customer(user(world.officer), customer, {"nik": nik(4344)})
        assert customer.nik == nik(4344)


class TestReassigning:
    def test_supervisor_moves_customer_within_the_branch_with_audit(self, world):
        customer = make_customer(world.officer)
        supervisor = user(world.supervisor)
        services.reassign(supervisor, customer, world.colleague.id)
        db.session.expire_all()
        assert customer.officer_id == world.colleague.id
        [entry] = audit_entries(customer)
        assert entry.action == "reassign" and entry.actor_id == supervisor.id
        assert entry.before["officer_id"] == world.officer.id
        assert entry.after["officer_id"] == world.colleague.id

    def test_admin_may_reassign(self, world):
        customer = make_customer(world.officer)
        services.reassign(user(world.admin), customer, world.colleague.id)
        assert customer.officer_id == world.colleague.id

    def test_supervisor_of_another_branch_gets_not_found(self, world):
        customer = make_customer(world.officer)
        with pytest.raises(NotFound):
            services.reassign(user(world.bdg_supervisor), customer, world.colleague.id)

    def test_officer_may_not_reassign(self, world):
        customer = make_customer(world.officer)
        with pytest.raises(Forbidden):
            services.reassign(user(world.officer), customer, world.colleague.id)

    def test_target_must_be_an_active_officer_of_the_branch(self, world):
        customer = make_customer(world.officer)
        supervisor = user(world.supervisor)
        for target in (world.remote.id, world.supervisor.id, 999999):
            with pytest.raises(InvalidInput) as error:
                services.reassign(supervisor, customer, target)
            assert "officer" in error.value.errors
        user(world.colleague).active = False
        db.session.commit()
        with pytest.raises(InvalidInput):
            services.reassign(supervisor, customer, world.colleague.id)
        db.session.expire_all()
        assert customer.officer_id == world.officer.id
        assert audit_entries(customer) == []

    def test_reassigning_to_the_same_officer_changes_nothing(self, world):
        customer = make_customer(world.officer)
        services.reassign(user(world.supervisor), customer, world.officer.id)
        assert audit_entries(customer) == []

    def test_assignable_officers_are_the_branch_officers(self, world):
        customer = make_customer(world.officer)
        names = {o.username for o in services.assignable_officers(user(world.supervisor), customer)}
        assert names == {"ao.budi", "ao.sari"}
        assert services.assignable_officers(user(world.officer), customer) == []
        assert services.assignable_officers(user(world.bdg_supervisor), customer) == []


class TestListing:
    @pytest.fixture
    def book(self, world):
        return {
            "own": make_customer(world.officer, name="Alpha Mart", segment="micro"),
            "own_company": make_customer(
                world.officer,
                name="PT Beta",
                customer_type="company",
                nik=None,
                npwp="012345678901000",
                segment="corporate",
                phone="6281299990000",
            ),
            "colleague": make_customer(world.colleague, name="Gamma Shop"),
            "remote": make_customer(world.remote, name="Delta Store"),
        }

    def names(self, actor, **filters) -> list[str]:
        return [c.name for c in services.list_customers(user(actor), filters, 50).items]

    def test_each_role_sees_its_scope(self, world, book):
        assert self.names(world.officer) == ["Alpha Mart", "PT Beta"]
        assert self.names(world.colleague) == ["Gamma Shop"]
        assert self.names(world.supervisor) == ["Alpha Mart", "Gamma Shop", "PT Beta"]
        assert self.names(world.bdg_supervisor) == ["Delta Store"]
        assert len(self.names(world.admin)) == 4

    def test_filters(self, world, book):
        assert self.names(world.officer, segment="corporate") == ["PT Beta"]
        assert self.names(world.officer, customer_type="individual") == ["Alpha Mart"]
        assert self.names(world.supervisor, officer=world.colleague.id) == ["Gamma Shop"]
        assert self.names(world.officer, officer=world.colleague.id) == []
        assert self.names(world.officer, q="beta") == ["PT Beta"]
        assert self.names(world.officer, q=book["own"].cif.lower()) == ["Alpha Mart"]
        assert self.names(world.officer, q="0812-9999-0000") == ["PT Beta"]
        assert self.names(world.officer, q="100%") == []
        assert self.names(world.officer, q="+62 812-9999-0000") == ["PT Beta"]

    def test_a_cif_is_not_searched_among_phone_numbers(self, world, book):
        # PT Beta's phone holds "1299": a CIF-like text with those digits must not find it.
        assert self.names(world.officer, q="CIF-1299") == []

    def test_sorting_and_pages(self, world, book):
        assert self.names(world.supervisor, sort="-name") == ["PT Beta", "Gamma Shop", "Alpha Mart"]
        page = services.list_customers(user(world.admin), {"page": 2, "sort": "name"}, 3)
        assert (page.total, page.pages, [c.name for c in page.items]) == (4, 2, ["PT Beta"])


class TestHoldings:
    def test_owner_records_a_held_product_once(self, world):
        make_product("MBANKING", kind="service", subtype=None)
        customer = make_customer(world.officer)
        holding = held.add_holding(
            user(world.officer),
            customer,
            {"product": "mbanking", "account_no": "001-2", "opened_on": None},
        )
        assert holding.product.code == "MBANKING"
        [entry] = audit_entries(holding)
        assert entry.action == "create" and entry.after["customer_id"] == customer.id
        with pytest.raises(Conflict):
            held.add_holding(user(world.officer), customer, {"product": "MBANKING"})

    def test_a_product_a_listing_covers_is_not_recorded_by_hand(self, world):
        make_product("TAB", kind="deposit", subtype=None, name="Tabungan")
        make_product("KUR", subtype="kur", name="Kredit Usaha Rakyat")
        customer = make_customer(world.officer)
        for code in ("TAB", "KUR"):
            with pytest.raises(InvalidInput) as error:
                held.add_holding(user(world.officer), customer, {"product": code})
            assert "listings" in error.value.errors["product"][0]
        assert db.session.scalar(sa.select(sa.func.count(ProductHolding.id))) == 0

    def test_inactive_or_unknown_product_is_refused(self, world):
        make_product("OLD", kind="service", subtype=None, active=False)
        customer = make_customer(world.officer)
        for code in ("OLD", "NOPE"):
            with pytest.raises(InvalidInput) as error:
                held.add_holding(user(world.officer), customer, {"product": code})
            assert "product" in error.value.errors

    def test_only_the_assigned_officer_records_holdings(self, world):
        make_product("MBANKING", kind="service", subtype=None)
        customer = make_customer(world.officer)
        with pytest.raises(Forbidden):
            held.add_holding(user(world.supervisor), customer, {"product": "MBANKING"})

    def test_remove_holding_is_audited(self, world):
        make_product("MBANKING", kind="service", subtype=None)
        customer = make_customer(world.officer)
        holding = held.add_holding(user(world.officer), customer, {"product": "MBANKING"})
        holding_id = holding.id
        held.remove_holding(user(world.officer), customer, holding_id)
        assert db.session.get(ProductHolding, holding_id) is None
        entries = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.entity_type == "productholding")
            .order_by(AuditEntry.id)
        )
        assert list(entries) == ["create", "delete"]


class TestReferralsAndCrossSell:
    def test_referral_counts(self, world):
        customer = make_customer(world.officer)
        make_prospect(world.officer, referrer_customer_id=customer.id, source="referral")
        make_prospect(world.officer, referrer_customer_id=customer.id, status="won")
        make_prospect(world.officer, referrer_customer_id=customer.id, status="lost")
        make_prospect(world.officer)  # not a referral of this customer
        assert referral_counts(customer) == (3, 1)

    def test_cross_sell_shows_every_active_product(self, world):
        kmk = make_product("KMK")
        mbanking = make_product("MBANKING", kind="service", subtype=None)
        kur = make_product("KUR", subtype="kur")
        make_product("OLD", kind="service", subtype=None, active=False)
        customer = make_customer(world.officer)
        prospect = make_prospect(world.officer, status="won", customer_id=customer.id)
        db.session.add(ProductHolding(customer_id=customer.id, product_id=mbanking.id))
        for product_id, day, outcome, subject in [
            (kmk.id, date(2024, 5, 1), "needs_time", {"customer_id": customer.id}),
            (kmk.id, date(2024, 6, 1), "interested", {"customer_id": customer.id}),
            (kur.id, date(2024, 1, 10), "not_interested", {"prospect_id": prospect.id}),
        ]:
            db.session.add(
                Introduction(
                    product_id=product_id,
                    officer_id=world.officer.id,
                    introduced_on=day,
                    place="branch",
                    outcome=outcome,
                    **subject,
                )
            )
        db.session.commit()
        rows = {row.product.code: row for row in cross_sell(customer)}
        assert set(rows) == {"KMK", "MBANKING", "KUR"}
        assert rows["KMK"].holding is None
        assert (rows["KMK"].last_introduced_on, rows["KMK"].last_outcome) == (
            date(2024, 6, 1),
            "interested",
        )
        assert rows["KMK"].introductions == 2
        assert rows["MBANKING"].holding.source == "manual"
        assert rows["MBANKING"].last_introduced_on is None
        assert rows["KUR"].last_outcome == "not_interested"  # offered while still a prospect
