"""The loan-listing import end to end: Kol rules, upserts, closing, idempotency, formats."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.credit.models import KolUpgrade
from aoapp.credit.upgrades import upgrade_kol
from aoapp.extensions import db
from tests.support import listings as L
from tests.support.factories import make_customer
from tests.support.listings import line

D1 = date(2024, 5, 31)
D2 = date(2024, 6, 30)
D3 = date(2024, 7, 31)
D4 = date(2024, 8, 31)


@pytest.fixture
def ao(world):
    """The officer code of ao.budi (JKT01); products in the catalogue."""
    L.catalogue()
    return world.officer.officer_code


@pytest.fixture
def load(tmp_path, world):
    """Import rows as a CSV listing (as the admin) and insist it succeeded."""
    return L.succeeding(L.Importer(tmp_path, world.admin))


def audits(entity: str, action: str | None = None) -> list[AuditEntry]:
    db.session.expire_all()
    stmt = sa.select(AuditEntry).where(AuditEntry.entity_type == entity).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


BOUNDARIES = {0: 1, 1: 2, 90: 2, 91: 3, 120: 3, 121: 4, 180: 4, 181: 5}


class TestCollectibility:
    def test_every_dpd_boundary_lands_on_its_kol(self, ao, load):
        rows = [line(f"ACC{dpd:03d}", f"CIF{dpd:03d}", ao, dpd=dpd) for dpd in BOUNDARIES]
        load(rows, D2)
        got = L.positions(D2)
        assert {p.dpd: (p.dpd_kol, p.facility_kol, p.debtor_kol) for p in got.values()} == {
            dpd: (kol, kol, kol) for dpd, kol in BOUNDARIES.items()
        }
        assert {p.kol_rule for p in got.values()} == {"dpd"}
        assert {p.file_kol for p in got.values()} == {None}

    def test_one_obligor_across_three_facilities(self, ao, load):
        rows = [
            line("A-CURRENT", "CIF1", ao, dpd=0),
            line("B-SLIPPING", "CIF1", ao, dpd=45, product_code="KI"),
            line("C-LATE", "CIF1", ao, dpd=100, product_code="KUR"),
            line("D-OTHER", "CIF2", ao, dpd=0),
        ]
        outcome = load(rows, D2)
        assert L.kols(D2) == {
            "A-CURRENT": (1, 3, "one_obligor"),
            "B-SLIPPING": (2, 3, "one_obligor"),
            "C-LATE": (3, 3, "dpd"),
            "D-OTHER": (1, 1, "dpd"),  # another debtor is not dragged down
        }
        assert outcome.record.summary["kol_distribution"] == {
            "1": {"count": 1, "outstanding": "400000000.00"},
            "3": {"count": 3, "outstanding": "1200000000.00"},
        }

    def test_file_kol_worse_than_dpd_wins(self, ao, load):
        rows = [
            line("WORSE", "CIF1", ao, dpd=0, kol=3),
            line("BETTER", "CIF2", ao, dpd=100, kol=1),
            line("SAME", "CIF3", ao, dpd=30, kol=2),
            line("NONE", "CIF4", ao, dpd=30),
        ]
        load(rows, D2)
        got = L.positions(D2)
        assert {a: (p.file_kol, p.dpd_kol, p.facility_kol, p.kol_rule) for a, p in got.items()} == {
            "WORSE": (3, 1, 3, "file"),
            "BETTER": (1, 3, 3, "dpd"),
            "SAME": (2, 2, 2, "dpd"),
            "NONE": (None, 2, 2, "dpd"),
        }

    def test_file_kol_of_one_facility_drags_the_debtor(self, ao, load):
        load([line("A", "CIF1", ao, dpd=0, kol=4), line("B", "CIF1", ao, dpd=0)], D2)
        assert L.kols(D2) == {"A": (4, 4, "file"), "B": (1, 4, "one_obligor")}


class TestRestructureHold:
    def test_kol_never_improves_automatically_but_may_worsen(self, ao, load):
        def listing(restructured_dpd, plain_dpd):
            return [
                line("RESTR", "CIF1", ao, dpd=restructured_dpd, restructured=True),
                line("PLAIN", "CIF2", ao, dpd=plain_dpd),
            ]

        load(listing(100, 100), D1)
        assert L.kols(D1) == {"RESTR": (3, 3, "dpd"), "PLAIN": (3, 3, "dpd")}
        assert L.facility("RESTR").restructured_on == D1

        load(listing(0, 0), D2)  # both pay up: only the plain facility improves
        got = L.positions(D2)
        assert (got["RESTR"].dpd_kol, got["RESTR"].facility_kol, got["RESTR"].kol_rule) == (
            1,
            3,
            "restructure_hold",
        )
        assert got["RESTR"].debtor_kol == 3
        assert (got["PLAIN"].facility_kol, got["PLAIN"].kol_rule) == (1, "dpd")

        load(listing(150, 0), D3)  # worsening goes through
        assert L.kols(D3)["RESTR"] == (4, 4, "dpd")

        load(listing(10, 0), D4)  # and is held from there
        assert L.kols(D4)["RESTR"] == (4, 4, "restructure_hold")

    def test_hold_starts_on_the_listing_that_first_flags_the_restructuring(self, ao, load):
        load([line("A", "CIF1", ao, dpd=100)], D1)
        load([line("A", "CIF1", ao, dpd=0, restructured=True)], D2)
        fac = L.facility("A")
        assert (fac.restructured, fac.restructured_on) == (True, D2)
        assert L.kols(D2) == {"A": (3, 3, "restructure_hold")}

    def test_file_kol_above_the_hold_decides(self, ao, load):
        load([line("A", "CIF1", ao, dpd=100, restructured=True)], D1)
        load([line("A", "CIF1", ao, dpd=0, kol=4, restructured=True)], D2)
        assert L.kols(D2) == {"A": (4, 4, "file")}

    def test_next_import_holds_from_the_supervisor_upgrade(self, ao, load, world):
        load([line("A", "CIF1", ao, dpd=150, restructured=True)], D1)  # Kol 4
        second = [line("A", "CIF1", ao, dpd=0, restructured=True)]
        load(second, D2)
        assert L.kols(D2) == {"A": (4, 4, "restructure_hold")}

        upgrade = upgrade_kol(world.supervisor, L.facility("A"), 2, "Paid on time for 3 months.")
        assert (upgrade.as_of, upgrade.from_kol, upgrade.to_kol) == (D2, 4, 2)
        assert L.kols(D2) == {"A": (2, 2, "restructure_hold")}
        assert [e.action for e in audits("position")] == ["kol_upgrade"]

        load(second, D2)  # re-importing the upgraded date keeps the upgrade
        assert L.kols(D2) == {"A": (2, 2, "restructure_hold")}

        load([line("A", "CIF1", ao, dpd=0, restructured=True)], D3)
        assert L.kols(D3) == {"A": (2, 2, "restructure_hold")}  # held from 2, not 4 nor 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(KolUpgrade)) == 1

        load([line("A", "CIF1", ao, dpd=95, restructured=True)], D4)
        assert L.kols(D4) == {"A": (3, 3, "dpd")}


class TestClosing:
    def rows(self, ao, *accounts):
        return [line(a, f"CIF-{a}", ao) for a in accounts]

    def test_full_listing_closes_active_facilities_missing_from_it(self, ao, load, world):
        load(self.rows(ao, "A", "B", "C"), D1)
        outcome = load(self.rows(ao, "A", "B"), D2)
        assert outcome.record.summary["facilities_closed"] == 1
        closed = L.facility("C")
        assert (closed.status, closed.closed_on) == ("closed", D2)
        assert {L.facility(a).status for a in "AB"} == {"active"}
        assert set(L.positions(D2)) == {"A", "B"}
        (entry,) = audits("facility", "close")
        assert (entry.entity_id, entry.actor_id) == (closed.id, world.admin.id)
        assert entry.before == {"status": "active", "closed_on": None}
        assert entry.after == {
            "status": "closed",
            "closed_on": D2.isoformat(),
            "import_id": outcome.record.id,
        }

        load(self.rows(ao, "A", "B"), D3)  # stays closed, no new audit entry
        assert len(audits("facility", "close")) == 1

    def test_partial_listing_leaves_missing_facilities_alone(self, ao, load):
        load(self.rows(ao, "A", "B", "C"), D1)
        outcome = load(self.rows(ao, "A"), D2, partial=True)
        assert "facilities_closed" not in outcome.record.summary
        assert {L.facility(a).status for a in "ABC"} == {"active"}
        assert audits("facility", "close") == []
        assert set(L.positions(D2)) == {"A"}

    def test_partial_reimport_replaces_only_its_own_positions(self, ao, load):
        load(self.rows(ao, "A", "B"), D2)
        load([line("A", "CIF-A", ao, dpd=5)], D2, partial=True)
        got = L.positions(D2)
        assert (got["A"].dpd, got["B"].dpd) == (5, 0)

    def test_a_closed_facility_listed_again_is_reopened(self, ao, load):
        load(self.rows(ao, "A", "B"), D1)
        load(self.rows(ao, "A"), D2)
        load(self.rows(ao, "A", "B"), D3)
        fac = L.facility("B")
        assert (fac.status, fac.closed_on) == ("active", None)
        (entry,) = audits("facility", "update")
        assert (entry.before["status"], entry.after["status"]) == ("closed", "active")

    def test_an_older_listing_imported_late_closes_nothing(self, ao, load):
        load(self.rows(ao, "A", "B"), D2)
        load(self.rows(ao, "A"), D1)
        assert L.facility("B").status == "active"

    def test_an_older_listing_imported_late_reopens_and_overwrites_nothing(self, ao, load, world):
        load(self.rows(ao, "A", "B"), D1)
        load([line("A", "CIF-A", world.colleague.officer_code, plafond=Decimal("9000000.00"))], D2)
        audited = len(audits("facility")) + len(audits("customer"))
        load(self.rows(ao, "A", "B"), D1)  # the May listing again, after June's
        assert (L.facility("B").status, L.facility("B").closed_on) == ("closed", D2)
        assert L.facility("A").plafond == Decimal("9000000.00")
        assert L.customer("CIF-A").officer_id == world.colleague.id
        assert len(audits("facility")) + len(audits("customer")) == audited
        assert set(L.positions(D1)) == {"A", "B"}
        assert L.positions(D2)["A"].prev_dpd == 0


class TestUpserts:
    def test_same_file_twice_gives_the_same_database(self, ao, load, world):
        load(
            [
                line("A", "CIF1", ao, dpd=100, restructured=True),
                line("B", "CIF1", ao, dpd=0),
                line("GONE", "CIF3", ao),
            ],
            D1,
        )
        june = [
            line("A", "CIF1", ao, dpd=0, restructured=True),  # held at Kol 3
            line("B", "CIF1", ao, dpd=45, outstanding=Decimal("1234567.89")),
            line("C", "CIF2", world.colleague.officer_code, dpd=200, kol=5),
        ]
        path = L.write_csv(load.importer.path(), june)
        load.importer.run(path, D2)
        assert L.kols(D2) == {
            "A": (3, 3, "restructure_hold"),
            "B": (2, 3, "one_obligor"),
            "C": (5, 5, "dpd"),
        }
        tables = ("customers", "facilities", "positions", "audit_entries")
        # import_id says which import last wrote a position: the only column that may differ.
        first = {t: L.dump(t, without=("import_id",)) for t in tables}
        outcome = load.importer.run(path, D2)
        assert outcome.ok
        assert {t: L.dump(t, without=("import_id",)) for t in tables} == first
        assert {p.import_id for p in L.positions(D2).values()} == {outcome.record.id}
        summary = outcome.record.summary
        assert (summary["customers_created"], summary["facilities_created"]) == (0, 0)
        assert (summary["customers_updated"], summary["facilities_updated"]) == (0, 0)
        assert summary["facilities_closed"] == 0

    def test_unknown_cif_creates_a_customer_of_the_rows_officer(self, ao, load, world):
        remote = world.remote.officer_code
        outcome = load(
            [
                line("A", "CIF-NEW", remote, product_code="KUR", customer_name="Warung Bu Sri"),
                line(
                    "B",
                    "CIF-NEW",
                    remote.lower(),
                    product_code="kmk",
                    customer_name="Warung Bu Sri",
                ),
            ],
            D2,
        )
        customer = L.customer("CIF-NEW")
        assert (customer.name, customer.officer_id, customer.branch_id) == (
            "Warung Bu Sri",
            world.remote.id,
            world.bdg.id,
        )
        assert (customer.segment, customer.since, customer.customer_type) == (
            "micro",
            L.START,
            "individual",
        )
        assert outcome.record.summary["customers_created"] == 1
        assert {L.facility(a).customer_id for a in "AB"} == {customer.id}
        assert {p.officer_id for p in L.positions(D2).values()} == {world.remote.id}

    def test_known_cif_keeps_its_customer_and_follows_the_listing(self, ao, load, world):
        existing = make_customer(world.officer, cif="CIF-OLD", name="Toko Lama")
        outcome = load([line("A", "CIF-OLD", world.colleague.officer_code)], D2)
        customer = L.customer("CIF-OLD")
        assert customer.id == existing.id
        assert (customer.name, customer.officer_id) == ("Debtor CIF-OLD", world.colleague.id)
        assert outcome.record.summary["customers_updated"] == 1
        (entry,) = audits("customer")
        assert entry.before == {
            "name": "Toko Lama",
            "officer_id": world.officer.id,
            "branch_id": world.jkt.id,
        }
        assert entry.after["officer_id"] == world.colleague.id

    def test_changed_facility_data_is_updated_and_audited(self, ao, load, world):
        load([line("A", "CIF1", ao)], D1)
        created = L.facility("A")
        outcome = load(
            [
                line(
                    "A",
                    "CIF1",
                    ao,
                    plafond=Decimal("750000000.50"),
                    interest_rate=Decimal("10.25"),
                    maturity_date=date(2030, 1, 15),
                )
            ],
            D2,
        )
        fac = L.facility("A")
        assert fac.id == created.id
        assert (fac.plafond, fac.interest_rate, fac.maturity_date) == (
            Decimal("750000000.50"),
            Decimal("10.25"),
            date(2030, 1, 15),
        )
        assert outcome.record.summary["facilities_updated"] == 1
        (entry,) = audits("facility", "update")
        assert (entry.entity_id, entry.actor_id) == (fac.id, world.admin.id)
        changed = {k: (entry.before[k], entry.after[k]) for k in entry.before}
        assert {k: v for k, v in changed.items() if v[0] != v[1]} == {
            "plafond": ("500000000.00", "750000000.50"),
            "interest_rate": ("11.5000", "10.2500"),
            "maturity_date": ("2029-01-15", "2030-01-15"),
        }

    def test_prev_dpd_and_kol_come_from_the_previous_listing(self, ao, load):
        load([line("A", "CIF1", ao, dpd=10), line("B", "CIF2", ao, dpd=0)], D1)
        load([line("A", "CIF1", ao, dpd=100), line("N", "CIF3", ao, dpd=5)], D2)
        got = L.positions(D2)
        assert (got["A"].prev_dpd, got["A"].prev_kol) == (10, 2)
        assert (got["N"].prev_dpd, got["N"].prev_kol) == (None, None)
        first = L.positions(D1)
        assert (first["A"].prev_dpd, first["A"].prev_kol) == (None, None)

    def test_prev_kol_is_the_debtor_kol(self, ao, load):
        load([line("A", "CIF1", ao, dpd=0), line("B", "CIF1", ao, dpd=100)], D1)
        load([line("A", "CIF1", ao, dpd=0), line("B", "CIF1", ao, dpd=0)], D2)
        assert L.positions(D2)["A"].prev_kol == 3

    def test_summary_counts_upgrades_and_downgrades(self, ao, load):
        load(
            [
                line("UP", "CIF1", ao, dpd=100),
                line("DOWN", "CIF2", ao, dpd=0),
                line("DOWN2", "CIF3", ao, dpd=30),
                line("SAME", "CIF4", ao, dpd=30),
            ],
            D1,
        )
        outcome = load(
            [
                line("UP", "CIF1", ao, dpd=0),
                line("DOWN", "CIF2", ao, dpd=181),
                line("DOWN2", "CIF3", ao, dpd=91),
                line("SAME", "CIF4", ao, dpd=60),
                line("NEW", "CIF5", ao, dpd=181),
            ],
            D2,
        )
        summary = outcome.record.summary
        assert (summary["upgrades"], summary["downgrades"]) == (1, 2)
        assert summary["previous_as_of"] == D1.isoformat()
        assert {k: v["count"] for k, v in summary["kol_distribution"].items()} == {
            "1": 1,
            "2": 1,
            "3": 1,
            "5": 2,
        }
        assert (summary["rows"], summary["facilities_created"]) == (5, 1)


class TestFormats:
    def rows(self, ao, colleague):
        return [
            line("000123", "0000456", ao, outstanding=Decimal("1234567.89"), dpd=0),
            line(
                "000124",
                "0000456",
                ao,
                product_code="KI",
                plafond=Decimal("2500000000.00"),
                outstanding=Decimal("2000000000.50"),
                arrears_principal=Decimal("15000000.25"),
                arrears_interest=Decimal("1750000.75"),
                dpd=95,
                kol=4,
                interest_rate=Decimal("9.75"),
                start_date=date(2023, 2, 28),
                maturity_date=date(2028, 2, 29),
                restructured=True,
            ),
            line("000125", "0000789", colleague, product_code="KUR", dpd=1),
        ]

    def test_xlsx_and_csv_give_identical_results(self, ao, load, world):
        rows = self.rows(ao, world.colleague.officer_code)
        load(rows, D2)
        from_csv = L.state()
        assert len(from_csv["positions"]) == 3
        L.wipe()
        load(rows, D2, fmt="xlsx")
        assert L.state() == from_csv
        L.wipe()
        load(rows, D2, fmt="xlsx", write={"typed": False})  # every cell text
        assert L.state() == from_csv
        L.wipe()
        load(rows, D2, write={"delimiter": ";", "decimal": "comma", "date_format": "dmy"})
        assert L.state() == from_csv

    def test_leading_zeros_of_account_and_cif_are_kept(self, ao, load, world):
        rows = self.rows(ao, world.colleague.officer_code)
        load(rows, D2, fmt="xlsx")
        assert L.facility("000123").customer.cif == "0000456"
        L.wipe()
        load(rows, D2)
        assert set(L.positions(D2)) == {"000123", "000124", "000125"}
        assert L.customer("0000456") is not None

    def test_amounts_are_exact(self, ao, load, world):
        load(self.rows(ao, world.colleague.officer_code), D2)
        position = L.positions(D2)["000124"]
        assert (
            position.outstanding,
            position.arrears_principal,
            position.arrears_interest,
        ) == (Decimal("2000000000.50"), Decimal("15000000.25"), Decimal("1750000.75"))
        assert L.facility("000124").interest_rate == Decimal("9.75")
