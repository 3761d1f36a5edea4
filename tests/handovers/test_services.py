"""Handing customers over: what moves, what stays (history), the audit, the summary record, the
change file's rows, and who may hand over whose customers to whom."""

import csv

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.customers.models import Customer
from aoapp.errors import Forbidden, InvalidInput
from aoapp.extensions import db
from aoapp.handovers import services
from aoapp.handovers.change_file import HEADER
from aoapp.handovers.models import Handover, HandoverCustomer
from aoapp.reports.storage import absolute
from tests.handovers.conftest import TODAY, actor
from tests.support.factories import make_branch, make_user
from tests.support.handovers import request

pytestmark = pytest.mark.today(TODAY)


def _audits(entity: str, entity_id: int) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(
        AuditEntry.entity_type == entity, AuditEntry.entity_id == entity_id
    )
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def _reload(record):
    db.session.expire_all()
    return db.session.get(type(record), record.id)


class TestHandingOver:
    def test_open_work_moves_history_stays_and_every_move_is_audited(self, world, book):
        handover = services.hand_over(
            actor(world.supervisor),
            request(world.officer, world.colleague, [book.shop, book.farm], note="Resign"),
        )
        sari, budi = world.colleague.id, world.officer.id
        assert _reload(book.shop).officer_id == sari and _reload(book.farm).officer_id == sari
        assert _reload(book.house).officer_id == budi  # not picked
        assert _reload(book.planned).owner_id == sari
        assert _reload(book.done).owner_id == budi  # history keeps its officer
        assert _reload(book.complaint).officer_id == sari
        assert _reload(book.closed_complaint).officer_id == budi
        assert _reload(book.renewal).officer_id == sari
        assert _reload(book.closed_renewal).officer_id == budi
        # One summary: who, from, to, why, how much moved with the customers.
        handover = _reload(handover)
        assert (handover.from_officer_id, handover.to_officer_id, handover.by_id) == (
            budi,
            sari,
            world.supervisor.id,
        )
        assert handover.note == "Resign" and str(handover.handed_on) == TODAY
        counts = (
            handover.customer_count,
            handover.followup_count,
            handover.complaint_count,
            handover.plan_count,
            handover.renewal_count,
            handover.account_count,
        )
        assert counts == (2, 1, 1, 1, 1, 3)
        rows = db.session.scalars(sa.select(HandoverCustomer).order_by(HandoverCustomer.id)).all()
        assert [
            (r.customer_id, r.old_officer_id, r.new_officer_id, r.core_status) for r in rows
        ] == [
            (book.shop.id, budi, sari, "pending"),
            (book.farm.id, budi, sari, "pending"),
        ]
        # Audited: each customer (before and after), each record moved, and the handover.
        moved = _audits("customer", book.shop.id)[-1]
        assert moved.action == "handover" and moved.actor_id == world.supervisor.id
        assert (moved.before["officer_id"], moved.after["officer_id"]) == (budi, sari)
        for entity, record in (
            ("followup", book.planned),
            ("complaint", book.complaint),
            ("renewalopportunity", book.renewal),
        ):
            assert [e.action for e in _audits(entity, record.id)] == ["reassign"]
        assert _audits("followup", book.done.id) == []
        assert [e.action for e in _audits("handover", handover.id)] == ["create"]

    def test_the_change_file_lists_every_open_account_with_both_codes(self, world, book):
        handover = services.hand_over(
            actor(world.admin), request(world.officer, world.colleague, None)
        )
        with absolute(_reload(handover).change_file).open(encoding="utf-8", newline="") as f:
            lines = list(csv.reader(f))
        budi, sari = world.officer.officer_code, world.colleague.officer_code
        assert lines == [
            list(HEADER),
            ["0001001", "0100001", budi, sari],  # the shop's active facility
            ["0001001", "0200001", budi, sari],  # its open tabungan
            ["0001002", "0100003", budi, sari],  # the farm's facility
        ]  # closed facilities and accounts are not asked for, nor the house (no account)
        assert _reload(handover).customer_count == 3  # all of ao.budi's customers

    def test_an_admin_hands_over_to_another_branch_and_the_customers_follow(self, world, book):
        services.hand_over(actor(world.admin), request(world.officer, world.remote, [book.shop]))
        shop = _reload(book.shop)
        assert (shop.officer_id, shop.branch_id) == (world.remote.id, world.bdg.id)
        assert _reload(book.complaint).branch_id == world.bdg.id
        assert _reload(book.renewal).branch_id == world.bdg.id


class TestWhoMayHandOver:
    def test_officers_may_not(self, world, book):
        with pytest.raises(Forbidden):
            services.hand_over(actor(world.officer), request(world.officer, world.colleague))

    def test_a_supervisor_stays_within_their_branches(self, world, book):
        with pytest.raises(InvalidInput) as refused:
            services.hand_over(actor(world.supervisor), request(world.officer, world.remote))
        assert refused.value.errors == {"to_officer": ["Pick one of the officers offered."]}
        with pytest.raises(InvalidInput) as refused:
            services.hand_over(actor(world.bdg_supervisor), request(world.officer, world.remote))
        assert set(refused.value.errors) == {"from_officer"}
        assert _reload(book.shop).officer_id == world.officer.id

    def test_the_officer_taking_over_must_be_active_with_a_code(self, world, book):
        gone = make_user("ao.gone", "officer", "JKT01")
        gone.active = False
        db.session.commit()
        nameless = make_user("ao.nocode", "officer", "JKT01")
        nameless.officer_code = None  # the admin's form requires one; an old row may lack it
        db.session.commit()
        for target, words in ((gone, "is not active"), (nameless, "has no officer code")):
            with pytest.raises(InvalidInput) as refused:
                services.hand_over(actor(world.admin), request(world.officer, target))
            assert words in refused.value.errors["to_officer"][0]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 0

    def test_a_leaving_officer_may_already_be_inactive(self, world, book):
        budi = actor(world.officer)
        budi.active = False
        db.session.commit()
        handover = services.hand_over(actor(world.supervisor), request(budi, world.colleague))
        assert _reload(handover).customer_count == 3

    def test_customers_picked_must_be_the_officers(self, world, book):
        with pytest.raises(InvalidInput) as refused:
            services.hand_over(
                actor(world.admin),
                request(world.officer, world.colleague, [book.shop, book.other]),
            )
        assert "1 of the customers picked" in refused.value.errors["customers"][0]
        assert _reload(book.shop).officer_id == world.officer.id

    def test_nothing_to_hand_over_and_no_one_ticked_are_refused(self, world, book):
        empty = make_user("ao.new", "officer", "JKT01")
        cases = ((empty, None, "has no customers"), (world.officer, [], "Tick at least one"))
        for source, picked, words in cases:
            data = request(source, world.colleague) | {"customers": picked}
            with pytest.raises(InvalidInput) as refused:
                services.hand_over(actor(world.admin), data)
            assert words in refused.value.errors["customers"][0]

    def test_handover_records_are_seen_by_the_branches_supervisors_and_admins(self, world, book):
        handover = services.hand_over(
            actor(world.admin), request(world.officer, world.remote, [book.farm])
        )
        for user in (world.admin, world.supervisor, world.bdg_supervisor):
            assert services.get_handover(actor(user), handover.id).id == handover.id
        make_branch("SBY01")
        outsider = make_user("spv.sby", "supervisor", "SBY01")
        for user in (world.officer, world.remote, outsider):
            with pytest.raises(Exception) as hidden:
                services.get_handover(actor(user), handover.id)
            assert hidden.value.status_code == 404


def test_a_later_handover_supersedes_the_pending_one(world, book):
    first = services.hand_over(
        actor(world.admin), request(world.officer, world.colleague, [book.farm])
    )
    services.hand_over(actor(world.admin), request(world.colleague, world.remote, [book.farm]))
    rows = db.session.scalars(sa.select(HandoverCustomer).order_by(HandoverCustomer.id)).all()
    assert [(r.handover_id == first.id, r.core_status) for r in rows] == [
        (True, "superseded"),
        (False, "pending"),
    ]
    assert db.session.get(Customer, book.farm.id).officer_id == world.remote.id
