"""Targets services: the grid saved in one transaction with audit entries, validation of the cells,
which months are open, copying last month, and who may see and set whose targets."""

from datetime import date
from decimal import Decimal as D

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from marshmallow import ValidationError

from aoapp.audit.models import AuditEntry
from aoapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.targets import services
from aoapp.targets.forms import cell_text
from aoapp.targets.models import Target
from aoapp.targets.schemas import TargetCellsSchema, TargetValuesSchema
from tests.support.factories import make_target, make_user


def now() -> date:
    """The bank's current month (tests run in an app context)."""
    return services.current_month()


def previous() -> date:
    return services.add_months(now(), -1)


def audits(action: str | None = None) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == "target").order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def stored(officer, month=None) -> Target | None:
    db.session.expire_all()
    month = month or now()
    return db.session.scalar(
        sa.select(Target).where(Target.officer_id == officer.id, Target.month == month)
    )


def row(**values) -> dict:
    return TargetCellsSchema().load({key: str(value) for key, value in values.items()})


class TestMonths:
    def test_add_months_across_years(self):
        assert services.add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
        assert services.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
        assert services.add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)

    @pytest.mark.parametrize(
        ("month", "editable"),
        [
            (date(2026, 9, 1), False),  # two months back: closed
            (date(2026, 10, 1), True),  # the previous month: open for corrections
            (date(2026, 11, 1), True),  # this month
            (date(2027, 11, 1), True),  # twelve months ahead
            (date(2027, 12, 1), False),
        ],
    )
    def test_which_months_are_open(self, month, editable):
        assert services.is_editable(month, today=date(2026, 11, 20)) is editable

    def test_a_closed_month_is_refused_with_a_plain_message(self, world):
        with pytest.raises(InvalidInput, match="can no longer be changed") as error:
            services.save_grid(
                world.supervisor, world.jkt, services.add_months(now(), -2), {world.officer.id: {}}
            )
        assert "month" in error.value.errors
        with pytest.raises(InvalidInput, match="at most 12 months ahead"):
            services.copy_last_month(world.supervisor, world.jkt, services.add_months(now(), 13))


class TestCells:
    def test_values_are_read_in_the_grid_s_units(self):
        values = row(
            new_customers="3",
            new_disbursement="Rp 1.500.000.000",
            outstanding_growth="-250.000.000",
            max_npl_ratio="3,5",
            followups_done=" 80 ",
            introductions="",
            dpk_growth="-1.000.000",
            casa_ratio="60",
            cross_sell_ratio="2,5",
            retention_rate="92,5 %",
        )
        assert values == {
            "new_customers": 3,
            "new_disbursement": D("1500000000.00"),
            "outstanding_growth": D("-250000000.00"),
            "max_npl_ratio": D("0.0350"),
            "followups_done": 80,
            "introductions": None,
            "dpk_growth": D("-1000000.00"),
            "casa_ratio": D("0.6000"),
            "cross_sell_ratio": D("2.5000"),
            "retention_rate": D("0.9250"),
        }

    @pytest.mark.parametrize(
        ("text", "amount"),
        [
            ("1500000", "1500000.00"),
            ("1.500", "1500.00"),
            ("1,500,000", "1500000.00"),
            ("1.500.000,50", "1500000.50"),
            ("Rp 1,5 M", "1500000000.00"),
            ("2500000.5", "2500000.50"),
        ],
    )
    def test_amounts_in_indonesian_or_plain_notation(self, text, amount):
        with force_locale("id"):
            assert row(new_disbursement=text)["new_disbursement"] == D(amount)

    def test_an_amount_that_reads_two_ways_is_refused_in_english(self):
        with pytest.raises(ValidationError) as error:
            row(new_disbursement="1.500")
        assert "can be read two ways, 1.50 or 1,500" in error.value.messages["new_disbursement"][0]

    @pytest.mark.parametrize(
        ("field", "text", "message"),
        [
            ("new_customers", "-1", "Must be zero or more."),
            ("new_customers", "2.5", "Must be a whole number."),
            ("followups_done", "lots", "Not a number."),
            ("new_disbursement", "-5", "Must be zero or more."),
            (
                "new_disbursement",
                "lima juta",
                "'lima juta' is not an amount. Write it like 75,000,000, IDR 75,000,000, "
                "75,000,000.50 or 75 jt.",
            ),
            ("max_npl_ratio", "101", "Must be at most 100 %."),
            ("max_npl_ratio", "-1", "Must be zero or more."),
            ("max_npl_ratio", "NaN", "Not a number."),
            ("introductions", "100001", "Must be at most 100.000."),
        ],
    )
    def test_wrong_cells_get_plain_messages(self, field, text, message):
        with pytest.raises(ValidationError) as error:
            TargetCellsSchema().load({field: text})
        assert error.value.messages == {field: [message]}

    def test_the_api_takes_the_npl_ceiling_as_a_fraction_and_refuses_floats(self):
        assert TargetValuesSchema().load({"max_npl_ratio": "0.03"}) == {
            **dict.fromkeys(
                [
                    "new_customers",
                    "new_disbursement",
                    "outstanding_growth",
                    "followups_done",
                    "introductions",
                    "dpk_growth",
                    "casa_ratio",
                    "cross_sell_ratio",
                    "retention_rate",
                ]
            ),
            "max_npl_ratio": D("0.0300"),
        }
        assert TargetValuesSchema().load({"max_npl_ratio": "0.045"})["max_npl_ratio"] == D("0.0450")
        with pytest.raises(ValidationError) as error:
            TargetValuesSchema().load(
                {"max_npl_ratio": "3", "new_disbursement": 1.5, "outstanding_growth": "1.500.000"}
            )
        assert error.value.messages == {
            "max_npl_ratio": ["Must be at most 1."],
            "new_disbursement": ["Send numbers as strings or integers, not floats."],
            "outstanding_growth": ["Not a number."],  # the API takes plain numbers only
        }

    @pytest.mark.parametrize(
        ("key", "value", "text"),
        [
            ("max_npl_ratio", D("0.0300"), "3"),
            ("max_npl_ratio", D("0.0325"), "3.25"),
            ("new_disbursement", D("1500000000.00"), "1.500.000.000"),
            ("outstanding_growth", D("-2500.50"), "-2.500,50"),
            ("new_customers", 4, "4"),
            ("introductions", None, ""),
        ],
    )
    def test_stored_values_show_as_typed_and_read_back_the_same(self, key, value, text):
        assert cell_text(key, value) == text
        assert row(**{key: text})[key] == value


class TestSaveGrid:
    def test_creates_updates_and_clears_in_one_save_with_audit_entries(self, world):
        spv, budi, sari = world.supervisor, world.officer, world.colleague
        newcomer = make_user("ao.baru", "officer", "JKT01")
        make_target(sari, now(), new_customers=2, followups_done=60)
        make_target(newcomer, now(), introductions=9)
        result = services.save_grid(
            spv,
            world.jkt,
            now(),
            {
                budi.id: row(new_customers=3, new_disbursement="500.000.000", max_npl_ratio=4),
                sari.id: row(new_customers=2, followups_done=90),
                newcomer.id: row(),  # all empty: the targets go
            },
        )
        assert (result.created, result.updated, result.deleted) == (1, 1, 1)
        budi_target = stored(budi)
        assert (budi_target.new_customers, budi_target.new_disbursement) == (3, D("500000000.00"))
        assert budi_target.max_npl_ratio == D("0.0400") and budi_target.set_by_id == spv.id
        assert budi_target.introductions is None
        assert stored(sari).followups_done == 90 and stored(newcomer) is None
        created, updated, deleted = audits("create"), audits("update"), audits("delete")
        assert [len(created), len(updated), len(deleted)] == [1, 1, 1]
        assert created[0].actor_id == spv.id and created[0].before is None
        assert created[0].after["max_npl_ratio"] == "0.0400"
        assert (updated[0].before["followups_done"], updated[0].after["followups_done"]) == (
            60,
            90,
        )
        assert deleted[0].before["introductions"] == 9 and deleted[0].after is None

    def test_an_unchanged_row_is_not_rewritten(self, world):
        target = make_target(world.officer, now(), set_by=world.admin, new_customers=2)
        result = services.save_grid(
            world.supervisor, world.jkt, now(), {world.officer.id: row(new_customers="2")}
        )
        assert result.changed == 0 and audits() == []
        assert stored(world.officer).set_by_id == world.admin.id == target.set_by_id

    def test_a_row_of_another_branch_saves_nothing(self, world):
        with pytest.raises(InvalidInput, match="list of officers changed"):
            services.save_grid(
                world.admin,
                world.jkt,
                now(),
                {world.officer.id: row(new_customers=1), world.remote.id: row(new_customers=1)},
            )
        assert stored(world.officer) is None and audits() == []

    def test_a_supervisor_cannot_save_another_branch(self, world):
        with pytest.raises(NotFound):
            services.save_grid(world.supervisor, world.bdg, now(), {})

    def test_officers_cannot_set_targets(self, world):
        with pytest.raises(Forbidden):
            services.save_grid(world.officer, world.jkt, now(), {world.officer.id: row()})

    def test_a_concurrent_save_of_the_same_month_is_a_conflict(self, world, monkeypatch):
        make_target(world.officer, now(), new_customers=1)
        monkeypatch.setattr(services, "targets_of", lambda ids, month: {})  # read before theirs
        with pytest.raises(Conflict, match="a moment ago"):
            services.save_grid(
                world.supervisor, world.jkt, now(), {world.officer.id: row(new_customers=5)}
            )
        monkeypatch.undo()
        assert stored(world.officer).new_customers == 1 and audits() == []


class TestCopyLastMonth:
    def test_copies_to_officers_without_targets_and_never_overwrites(self, world):
        budi, sari, spv = world.officer, world.colleague, world.supervisor
        retired = make_user("ao.pensiun", "officer", "JKT01")
        retired.active = False
        db.session.commit()
        make_target(budi, previous(), new_customers=3, new_disbursement=D("750000000.00"))
        make_target(sari, previous(), new_customers=4, max_npl_ratio=D("0.0300"))
        make_target(retired, previous(), new_customers=1)
        make_target(world.remote, previous(), new_customers=5)  # BDG01
        make_target(sari, now(), new_customers=9)
        assert services.copy_last_month(spv, world.jkt, now()) == 1
        copy = stored(budi)
        assert (copy.new_customers, copy.new_disbursement, copy.set_by_id) == (
            3,
            D("750000000.00"),
            spv.id,
        )
        assert stored(sari).new_customers == 9 and stored(sari).max_npl_ratio is None
        assert stored(retired) is None and stored(world.remote) is None
        assert [(e.action, e.entity_id) for e in audits()] == [("create", copy.id)]
        assert services.copy_last_month(spv, world.jkt, now()) == 0  # again: nothing left to copy

    def test_a_supervisor_cannot_copy_for_another_branch(self, world):
        with pytest.raises(NotFound):
            services.copy_last_month(world.supervisor, world.bdg, now())


class TestScope:
    def test_branches_managed(self, world):
        assert [b.code for b in services.managed_branches(world.admin)] == ["BDG01", "JKT01"]
        assert [b.code for b in services.managed_branches(world.supervisor)] == ["JKT01"]
        assert services.managed_branches(world.officer) == []
        assert services.get_branch(world.supervisor, None).code == "JKT01"
        assert services.get_branch(world.admin, world.bdg.id).code == "BDG01"
        with pytest.raises(NotFound):
            services.get_branch(world.supervisor, world.bdg.id)

    def test_whose_targets_each_role_sees(self, world):
        assert services.get_officer(world.officer, world.officer.id) == world.officer
        assert services.get_officer(world.supervisor, world.colleague.id) == world.colleague
        assert services.get_officer(world.admin, world.remote.id) == world.remote
        for actor, officer in (
            (world.officer, world.colleague),
            (world.supervisor, world.remote),
            (world.admin, world.supervisor),  # not an officer: has no targets
        ):
            with pytest.raises(NotFound):
                services.get_officer(actor, officer.id)

    def test_the_list_is_scoped(self, world):
        for officer in (world.officer, world.colleague, world.remote):
            make_target(officer, now(), new_customers=1)
        make_target(world.officer, previous(), new_customers=2)

        def listed(actor, **filters):
            page = services.list_targets(actor, {"page": 1, "per_page": 50, **filters})
            return [(t.officer.username, t.month) for t in page.items]

        assert listed(world.officer) == [("ao.budi", now()), ("ao.budi", previous())]
        assert {u for u, _m in listed(world.supervisor)} == {"ao.budi", "ao.sari"}
        assert len(listed(world.admin)) == 4
        assert listed(world.admin, branch_id=world.bdg.id, month=now()) == [("ao.dewi", now())]
        with pytest.raises(NotFound):
            listed(world.supervisor, branch_id=world.bdg.id)
        with pytest.raises(NotFound):
            listed(world.officer, officer_id=world.colleague.id)


class TestOneOfficer:
    def test_set_replaces_every_metric_and_delete_removes(self, world):
        make_target(world.officer, now(), new_customers=2, introductions=10)
        target = services.set_target(world.supervisor, world.officer, now(), {"followups_done": 70})
        assert (target.new_customers, target.followups_done, target.introductions) == (
            None,
            70,
            None,
        )
        services.delete_target(world.supervisor, world.officer, now())
        assert stored(world.officer) is None
        assert [e.action for e in audits()] == ["update", "delete"]
        with pytest.raises(NotFound):
            services.delete_target(world.supervisor, world.officer, now())

    def test_nothing_to_set_is_refused(self, world):
        with pytest.raises(InvalidInput, match="at least one target"):
            services.set_target(world.admin, world.officer, now(), {})

    def test_an_officer_may_not_set_their_own(self, world):
        with pytest.raises(Forbidden):
            services.set_target(world.officer, world.officer, now(), {"new_customers": 5})

    def test_a_change_of_targets_removed_meanwhile_is_a_conflict(self, world, monkeypatch):
        """Found by schemathesis: a PUT racing a DELETE of the same month answered 500."""
        target = make_target(world.officer, now(), new_customers=2)
        read = services.targets_of

        def read_then_removed_by_another_request(ids, month):
            found = read(ids, month)
            with db.engine.begin() as other:
                other.execute(sa.delete(Target).where(Target.id == target.id))
            return found

        monkeypatch.setattr(services, "targets_of", read_then_removed_by_another_request)
        with pytest.raises(Conflict, match="a moment ago"):
            services.set_target(world.supervisor, world.officer, now(), {"new_customers": 5})
        monkeypatch.undo()
        assert stored(world.officer) is None and audits() == []

    def test_targets_removed_right_after_they_were_saved_are_a_conflict(self, world, monkeypatch):
        reads, read = [], services.targets_of

        def the_read_after_the_save_finds_them_removed(ids, month):
            reads.append(month)
            return read(ids, month) if len(reads) == 1 else {}

        monkeypatch.setattr(services, "targets_of", the_read_after_the_save_finds_them_removed)
        with pytest.raises(Conflict, match="a moment ago"):
            services.set_target(world.supervisor, world.officer, now(), {"new_customers": 5})
        assert len(reads) == 2
