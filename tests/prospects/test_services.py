"""Prospect rules: validation, duplicates, pipeline, conversion and audit, at the service level."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError

from aoapp.audit.models import AuditEntry
from aoapp.auth.models import User
from aoapp.customers.models import Customer
from aoapp.errors import Conflict, Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.prospects import services
from aoapp.prospects.duplicates import DuplicateFound, find_matches
from aoapp.prospects.models import Prospect
from aoapp.prospects.schemas import (
    SORT_KEYS,
    ConvertSchema,
    ProspectInputSchema,
    StatusChangeSchema,
)
from tests.support.factories import make_customer, make_product, make_prospect, nik

OPEN = ["new", "contacted", "interested", "applied"]
ALL = [*OPEN, "won", "rejected", "lost"]


def user(u) -> User:
    """The user row in the test's own session."""
    return db.session.get(User, u.id)


def load(**overrides) -> dict:
    """Validated prospect input, as the views and the API pass it to the services."""
    data = {"name": "Warung Bu Tini", "phone": "081234567001", "source": "walk_in"}
    data.update(overrides)
    return ProspectInputSchema().load(data)


def errors_of(schema, data) -> dict:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.normalized_messages()


class TestValidation:
    def test_bad_nik_is_refused_with_a_plain_reason(self):
        assert errors_of(ProspectInputSchema(), {**load(), "nik": "12345"})["nik"] == [
            "NIK must be exactly 16 digits."
        ]
        assert (
            "province"
            in errors_of(ProspectInputSchema(), {**load(), "nik": "0101011506900001"})["nik"][0]
        )

    def test_bad_phone_is_refused(self):
        errors = errors_of(ProspectInputSchema(), {**load(), "phone": "12345"})
        assert errors == {"phone": ["Phone number must start with 0, 62 or +62."]}

    def test_unknown_source_is_refused(self):
        errors = errors_of(ProspectInputSchema(), {**load(), "source": "billboard"})
        assert "Must be one of: flyer" in errors["source"][0]

    def test_negative_credit_need_is_refused(self):
        errors = errors_of(ProspectInputSchema(), {**load(), "estimated_credit_need": "-1"})
        assert errors == {"estimated_credit_need": ["Must be zero or more."]}

    def test_unknown_fields_are_refused(self):
        assert "hobby" in errors_of(ProspectInputSchema(), {**load(), "hobby": "golf"})

    def test_rejection_without_reason_is_refused(self):
        errors = errors_of(StatusChangeSchema(), {"status": "rejected"})
        assert errors == {
            "lost_reason": ["A reason is required when a prospect is rejected or lost."]
        }

    def test_bad_npwp_is_refused_on_conversion(self):
        errors = errors_of(ConvertSchema(), {"cif": "C1", "segment": "micro", "npwp": "12.34"})
        assert errors == {"npwp": ["NPWP must be 15 digits (old format) or 16 digits (NIK-based)."]}

    def test_sort_keys_are_the_sortable_columns(self):
        assert set(SORT_KEYS) == set(services.sortable_columns())

    def test_referral_without_referrer_is_refused(self, world):
        with pytest.raises(InvalidInput) as caught:
            services.create_prospect(user(world.officer), load(source="referral"))
        assert "referrer_name" in caught.value.errors
        assert db.session.scalar(sa.select(sa.func.count(Prospect.id))) == 0

    def test_referral_names_a_customer_or_a_name_not_both(self, world):
        customer = make_customer(world.officer)
        data = load(source="referral", referrer_customer=customer.id, referrer_name="Pak Joko")
        with pytest.raises(InvalidInput):
            services.create_prospect(user(world.officer), data)

    def test_referrer_must_be_one_of_the_officers_customers(self, world):
        foreign = make_customer(world.colleague)
        data = load(source="referral", referrer_customer=foreign.id)
        with pytest.raises(InvalidInput) as caught:
            services.create_prospect(user(world.officer), data)
        assert caught.value.errors == {
            "referrer_customer": ["Pick one of your customers as the referrer."]
        }

    def test_referral_by_own_customer_is_linked(self, world):
        customer = make_customer(world.officer)
        prospect = services.create_prospect(
            user(world.officer), load(source="referral", referrer_customer=customer.id)
        )
        assert prospect.referrer_customer_id == customer.id

    def test_product_interest_must_be_an_active_product(self, world):
        make_product("KUR")
        make_product("OLD", active=False)
        officer = user(world.officer)
        assert (
            services.create_prospect(officer, load(product_interest="kur")).product_interest.code
            == "KUR"
        )
        with pytest.raises(InvalidInput) as caught:
            services.create_prospect(officer, load(product_interest="OLD", phone="081234567002"))
        assert "product_interest" in caught.value.errors

    def test_a_since_deactivated_product_does_not_block_editing(self, world):
        product = make_product("KUR")
        prospect = services.create_prospect(user(world.officer), load(product_interest="KUR"))
        product.active = False
        db.session.commit()
        services.update_prospect(
            user(world.officer), prospect, load(product_interest="KUR", area="Bogor")
        )
        assert prospect.area == "Bogor" and prospect.product_interest_id == product.id

    def test_only_officers_collect_prospects(self, world):
        with pytest.raises(Forbidden):
            services.create_prospect(user(world.supervisor), load())


class TestDuplicates:
    def test_same_nik_is_refused_across_branches_revealing_only_the_branch(self, world):
        make_prospect(world.remote, name="Ibu Rahasia", nik=nik(7))
        with pytest.raises(DuplicateFound) as caught:
            services.create_prospect(user(world.officer), load(nik=nik(7)))
        assert caught.value.errors == {
            "nik": ["Already handled by another officer (branch BDG01)."]
        }
        assert "Rahasia" not in str(caught.value.errors)
        assert db.session.scalar(sa.select(sa.func.count(Prospect.id))) == 1

    def test_same_nik_is_refused_even_when_the_phone_override_is_ticked(self, world):
        make_customer(world.remote, nik=nik(8))
        with pytest.raises(DuplicateFound):
            services.create_prospect(
                user(world.officer), load(nik=nik(8), allow_duplicate_phone=True)
            )

    def test_a_visible_match_names_the_record(self, world):
        mine = make_prospect(world.officer, name="Pak Ahmad", nik=nik(9))
        with pytest.raises(DuplicateFound) as caught:
            services.create_prospect(user(world.officer), load(nik=nik(9)))
        match = caught.value.matches[0]
        assert (match.kind, match.id, match.visible) == ("prospect", mine.id, True)
        assert "Pak Ahmad" in caught.value.errors["nik"][0]

    @pytest.mark.parametrize(
        "typed", ["081234567003", "+6281234567003", "6281234567003", "0812-3456-7003"]
    )
    def test_same_phone_in_any_form_is_detected(self, world, typed):
        make_prospect(world.colleague, phone="6281234567003")
        with pytest.raises(DuplicateFound) as caught:
            services.create_prospect(user(world.officer), load(phone=typed))
        assert caught.value.phone_only
        assert "allow_duplicate_phone" in caught.value.errors

    def test_a_shared_phone_can_be_confirmed(self, world):
        make_customer(world.colleague, phone="6281234567004")
        prospect = services.create_prospect(
            user(world.officer), load(phone="081234567004", allow_duplicate_phone=True)
        )
        assert prospect.phone == "6281234567004"

    def test_the_nik_of_a_converted_prospects_own_customer_does_not_block_it(self, world):
        prospect = make_prospect(world.officer, nik=nik(10), phone="6281234567005")
        services.convert(
            user(world.officer),
            prospect,
            {"cif": "CIF-10", "customer_type": "individual", "segment": "micro"},
        )
        assert (
            find_matches(
                user(world.officer), nik(10), "6281234567005", exclude_prospect=prospect.id
            )
            == []
        )
        # ...while anyone else with that NIK meets the customer (once, not its prospect too).
        matches = find_matches(user(world.officer), nik(10), None)
        assert [(m.kind, m.field) for m in matches] == [("customer", "nik")]

    def test_editing_checks_a_changed_nik(self, world):
        make_prospect(world.remote, nik=nik(11))
        prospect = services.create_prospect(user(world.officer), load())
        with pytest.raises(DuplicateFound):
            services.update_prospect(user(world.officer), prospect, load(nik=nik(11)))
        db.session.refresh(prospect)
        assert prospect.nik is None


class TestPipeline:
    @pytest.mark.parametrize(
        ("start", "target"),
        [
            (s, t)
            for s in OPEN
            for t in ["contacted", "interested", "applied"]
            if OPEN.index(t) > OPEN.index(s)
        ]
        + [(s, t) for s in OPEN for t in ["rejected", "lost"]],
    )
    def test_every_allowed_transition_is_kept_in_the_history(self, world, start, target):
        prospect = make_prospect(world.officer, status=start)
        reason = "rate_too_high" if target in ("rejected", "lost") else None
        services.change_status(user(world.officer), prospect, target, reason, "called twice")
        db.session.expire_all()
        last = db.session.get(Prospect, prospect.id).history[-1]
        assert (last.from_status, last.to_status, last.reason, last.note) == (
            start,
            target,
            reason,
            "called twice",
        )
        assert isinstance(last.changed_on, date) and last.changed_by_id == world.officer.id

    @pytest.mark.parametrize(
        ("start", "target"),
        [
            ("contacted", "new"),
            ("applied", "interested"),
            ("new", "new"),
            ("won", "lost"),
            ("lost", "contacted"),
            ("rejected", "new"),
        ],
    )
    def test_backward_and_closed_transitions_are_refused(self, world, start, target):
        prospect = make_prospect(world.officer, status=start)
        with pytest.raises(Conflict) as caught:
            services.change_status(user(world.officer), prospect, target, "other")
        assert "status" in caught.value.errors
        db.session.expire_all()
        assert db.session.get(Prospect, prospect.id).status == start

    def test_won_is_reached_only_by_conversion(self, world):
        prospect = make_prospect(world.officer, status="applied")
        with pytest.raises(Conflict) as caught:
            services.change_status(user(world.officer), prospect, "won")
        assert "convert" in caught.value.errors["status"][0]

    def test_closing_needs_a_reason(self, world):
        prospect = make_prospect(world.officer)
        with pytest.raises(InvalidInput) as caught:
            services.change_status(user(world.officer), prospect, "lost")
        assert "lost_reason" in caught.value.errors

    def test_allowed_transitions(self):
        assert services.allowed_transitions("new") == [
            "contacted",
            "interested",
            "applied",
            "rejected",
            "lost",
        ]
        assert services.allowed_transitions("applied") == ["rejected", "lost"]
        assert services.allowed_transitions("won") == []

    def test_the_whole_pipeline_is_dated(self, world):
        officer = user(world.officer)
        prospect = services.create_prospect(officer, load())
        for status in ["contacted", "interested", "applied"]:
            services.change_status(officer, prospect, status)
        services.convert(
            officer,
            prospect,
            {
                "cif": "C-77",
                "customer_type": "individual",
                "segment": "small",
                "npwp": "012345678901234",
            },
        )
        db.session.expire_all()
        steps = [
            (h.from_status, h.to_status) for h in db.session.get(Prospect, prospect.id).history
        ]
        assert steps == [
            (None, "new"),
            ("new", "contacted"),
            ("contacted", "interested"),
            ("interested", "applied"),
            ("applied", "won"),
        ]

    def test_a_colleague_or_supervisor_cannot_move_it(self, world):
        prospect = make_prospect(world.officer)
        for other in (world.colleague, world.supervisor, world.admin):
            with pytest.raises(Forbidden):
                services.change_status(user(other), prospect, "contacted")

    def test_a_reason_or_note_without_a_status_change_is_refused_on_update(self, world):
        prospect = make_prospect(world.officer)
        for data in (
            {"lost_reason": "other"},
            {"status": "contacted", "lost_reason": "other"},
            {"lost_note": "why"},
        ):
            with pytest.raises(InvalidInput):
                services.update_prospect(user(world.officer), prospect, data)
        services.update_prospect(
            user(world.officer), prospect, {"status": "contacted", "lost_note": "met at market"}
        )
        assert fresh_history(prospect)[-1] == ("new", "contacted", None, "met at market")


def fresh_history(prospect) -> list[tuple]:
    db.session.expire_all()
    return [
        (h.from_status, h.to_status, h.reason, h.note)
        for h in db.session.get(Prospect, prospect.id).history
    ]


def convert_data(**kw) -> dict:
    return ConvertSchema().load({"cif": "CIF-001", "segment": "micro", **kw})


class TestConversion:
    def test_conversion_creates_the_customer_and_wins_the_prospect(self, world):
        prospect = make_prospect(
            world.officer,
            name="CV Maju",
            nik=nik(20),
            email="maju@example.com",
            address="Jl. A 1",
            estimated_credit_need=Decimal("25000000.00"),
        )
        customer = services.convert(user(world.officer), prospect, convert_data())
        db.session.expire_all()
        customer = db.session.get(Customer, customer.id)
        prospect = db.session.get(Prospect, prospect.id)
        assert (customer.cif, customer.name, customer.nik, customer.phone, customer.email) == (
            "CIF-001",
            "CV Maju",
            nik(20),
            prospect.phone,
            "maju@example.com",
        )
        assert customer.officer_id == world.officer.id and customer.branch_id == world.jkt.id
        assert prospect.status == "won" and prospect.customer_id == customer.id
        assert prospect.converted_at is not None and services.conversion_days(prospect) == 0
        assert prospect.history[-1].to_status == "won"

    def test_audit_entries_are_written_for_both(self, world):
        prospect = make_prospect(world.officer, nik=nik(21))
        customer = services.convert(user(world.officer), prospect, convert_data())
        entries = {
            (e.entity_type, e.entity_id, e.action, e.actor_id): e
            for e in db.session.scalars(sa.select(AuditEntry))
        }
        created = entries[("customer", customer.id, "create", world.officer.id)]
        assert created.before is None and created.after["cif"] == "CIF-001"
        updated = entries[("prospect", prospect.id, "update", world.officer.id)]
        assert updated.before["status"] == "new" and updated.after["status"] == "won"

    def test_a_second_conversion_is_refused(self, world):
        prospect = make_prospect(world.officer, nik=nik(22))
        services.convert(user(world.officer), prospect, convert_data())
        with pytest.raises(Conflict):
            services.convert(user(world.officer), prospect, convert_data(cif="CIF-002"))
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 1

    def test_a_duplicate_cif_is_refused_and_nothing_changes(self, world):
        make_customer(world.remote, cif="CIF-001")
        prospect = make_prospect(world.officer, nik=nik(23))
        with pytest.raises(Conflict) as caught:
            services.convert(user(world.officer), prospect, convert_data())
        assert caught.value.errors == {"cif": ["This CIF is already used by another customer."]}
        db.session.expire_all()
        assert db.session.get(Prospect, prospect.id).status == "new"
        assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 1

    def test_a_company_is_identified_by_its_npwp(self, world):
        prospect = make_prospect(world.officer, nik=nik(24))
        with pytest.raises(InvalidInput) as caught:
            services.convert(user(world.officer), prospect, convert_data(customer_type="company"))
        assert "npwp" in caught.value.errors
        customer = services.convert(
            user(world.officer),
            prospect,
            convert_data(customer_type="company", npwp="01.234.567.8-901.234"),
        )
        assert customer.nik is None and customer.npwp == "012345678901234"

    def test_only_the_owner_converts(self, world):
        prospect = make_prospect(world.officer, nik=nik(25))
        with pytest.raises(Forbidden):
            services.convert(user(world.supervisor), prospect, convert_data())


class TestAudit:
    def test_create_and_update_are_audited_with_who_before_and_after(self, world):
        officer = user(world.officer)
        prospect = services.create_prospect(officer, load(estimated_credit_need="1000"))
        services.update_prospect(officer, prospect, {"area": "Depok", "status": "contacted"})
        entries = db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.entity_type == "prospect")
            .order_by(AuditEntry.id)
        ).all()
        assert [(e.action, e.entity_type, e.entity_id, e.actor_id) for e in entries] == [
            ("create", "prospect", prospect.id, officer.id),
            ("update", "prospect", prospect.id, officer.id),
        ]
        created, updated = entries
        assert created.before is None
        assert (
            created.after["id"] == prospect.id
            and created.after["estimated_credit_need"] == "1000.00"
        )
        assert (updated.before["area"], updated.after["area"]) == ("", "Depok")
        assert (updated.before["status"], updated.after["status"]) == ("new", "contacted")

    def test_a_refused_update_writes_nothing_and_leaves_the_session_clean(self, world):
        prospect = services.create_prospect(user(world.officer), load())
        with pytest.raises(InvalidInput):
            services.update_prospect(
                user(world.officer), prospect, {"area": "X", "source": "referral"}
            )
        assert prospect.area == "" and prospect not in db.session.dirty
        prospect_entries = sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.entity_type == "prospect"
        )
        assert db.session.scalar(prospect_entries) == 1
