"""Collectibility (Kol) rules: DPD bands from the database, file Kol, restructure hold,
one-obligor, band checks — and a changed band table changing what the import computes."""

from contextlib import contextmanager
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.credit.collectibility import (
    AGING_BUCKETS,
    Band,
    BandsInvalid,
    aging_bucket,
    check_bands,
    debtor_kol,
    dpd_kol_sql,
    effective_kol,
    facility_kol,
    is_npl,
    kol_from_dpd,
    kol_name,
    load_bands,
)
from aoapp.credit.models import CollectibilityBand, KolRule
from aoapp.extensions import db
from aoapp.imports.models import ImportStatus
from tests.support import listings as L

BOUNDARIES = [(0, 1), (1, 2), (90, 2), (91, 3), (120, 3), (121, 4), (180, 4), (181, 5)]
OJK = [(1, 0, 0), (2, 1, 90), (3, 91, 120), (4, 121, 180), (5, 181, None)]


@pytest.fixture
def bands():
    return load_bands()


@contextmanager
def band_table(*changes: tuple[int, int, int | None]):
    """Temporarily edit the collectibility_bands rows (kol, min_dpd, max_dpd); the OJK values
    come back afterwards even when the test fails (the table outlives each test)."""
    try:
        for kol, low, high in changes:
            band = db.session.get(CollectibilityBand, kol)
            band.min_dpd, band.max_dpd = low, high
        db.session.commit()
        yield
    finally:
        db.session.rollback()
        for kol, low, high in OJK:
            band = db.session.get(CollectibilityBand, kol)
            band.min_dpd, band.max_dpd = low, high
        db.session.commit()


BPR = ((2, 1, 60), (3, 61, 120))  # a policy where Kol 2 ends at 60 days


class TestBandsFromTheDatabase:
    def test_the_seeded_bands_are_ojk(self, bands):
        assert [(b.kol, b.min_dpd, b.max_dpd) for b in bands] == OJK
        assert kol_name(3, bands, "id") == "Kurang Lancar"
        assert kol_name(2, bands) == "Special mention"

    @pytest.mark.parametrize(("dpd", "kol"), BOUNDARIES)
    def test_every_dpd_boundary(self, bands, dpd, kol):
        assert kol_from_dpd(dpd, bands) == kol

    def test_far_beyond_the_last_bound_is_kol_5(self, bands):
        assert kol_from_dpd(99_999, bands) == 5

    def test_negative_dpd_is_refused(self, bands):
        with pytest.raises(ValueError, match="negative"):
            kol_from_dpd(-1, bands)

    def test_the_sql_case_agrees_with_the_bands(self, bands):
        values = " UNION ALL ".join(f"SELECT {dpd} AS dpd" for dpd, _ in BOUNDARIES)
        stmt = sa.text(f"SELECT d.dpd, {dpd_kol_sql('d.dpd', bands)} FROM ({values}) d")  # noqa: S608
        assert sorted(tuple(r) for r in db.session.execute(stmt)) == BOUNDARIES

    def test_an_edited_band_table_is_what_load_bands_returns(self):
        with band_table(*BPR):
            bands = load_bands()
            assert [kol_from_dpd(d, bands) for d in (60, 61, 120, 121)] == [2, 3, 3, 4]
        assert kol_from_dpd(61, load_bands()) == 2

    def test_a_broken_band_table_is_refused(self):
        with band_table((3, 92, 120)), pytest.raises(BandsInvalid, match="Kol 3 should start"):
            load_bands()


class TestFacilityKol:
    def test_dpd_alone(self, bands):
        assert facility_kol(45, None, False, None, bands) == (2, KolRule.DPD)

    def test_file_kol_worse_than_dpd_wins(self, bands):
        assert facility_kol(0, 3, False, None, bands) == (3, KolRule.FILE)
        assert facility_kol(100, 5, False, None, bands) == (5, KolRule.FILE)

    def test_file_kol_better_than_dpd_is_ignored(self, bands):
        assert facility_kol(100, 1, False, None, bands) == (3, KolRule.DPD)
        assert facility_kol(181, 4, False, None, bands) == (5, KolRule.DPD)

    def test_file_kol_equal_to_dpd_is_the_dpd_rule(self, bands):
        assert facility_kol(30, 2, False, None, bands) == (2, KolRule.DPD)

    def test_restructured_never_improves_automatically(self, bands):
        assert facility_kol(0, None, True, 3, bands) == (3, KolRule.RESTRUCTURE_HOLD)
        assert facility_kol(95, None, True, 4, bands) == (4, KolRule.RESTRUCTURE_HOLD)

    def test_restructured_may_worsen(self, bands):
        assert facility_kol(150, None, True, 3, bands) == (4, KolRule.DPD)
        assert facility_kol(0, 5, True, 3, bands) == (5, KolRule.FILE)

    def test_restructured_at_the_held_kol_is_not_a_hold(self, bands):
        assert facility_kol(100, None, True, 3, bands) == (3, KolRule.DPD)

    def test_restructured_without_a_previous_kol(self, bands):
        assert facility_kol(0, None, True, None, bands) == (1, KolRule.DPD)

    def test_the_hold_is_only_for_restructured_facilities(self, bands):
        assert facility_kol(0, None, False, 4, bands) == (1, KolRule.DPD)


class TestOneObligor:
    def test_debtor_kol_is_the_worst(self):
        assert debtor_kol([1, 3, 2]) == 3
        assert debtor_kol([2]) == 2

    def test_effective_kol(self):
        assert effective_kol(1, KolRule.DPD, 3) == (3, KolRule.ONE_OBLIGOR)
        assert effective_kol(3, KolRule.FILE, 3) == (3, KolRule.FILE)
        assert effective_kol(4, KolRule.RESTRUCTURE_HOLD, 4) == (4, KolRule.RESTRUCTURE_HOLD)

    @pytest.mark.parametrize(
        ("kol", "npl"), [(1, False), (2, False), (3, True), (4, True), (5, True)]
    )
    def test_npl_is_kol_3_to_5(self, kol, npl):
        assert is_npl(kol) is npl


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "91_120"),
        (120, "91_120"),
        (121, "121_180"),
        (180, "121_180"),
        (181, "over_180"),
    ],
)
def test_aging_bucket_boundaries(dpd, bucket):
    assert aging_bucket(dpd) == bucket
    assert bucket in {code for code, *_ in AGING_BUCKETS}


class TestCheckBands:
    def ojk(self) -> list[Band]:
        return [Band(kol, f"id{kol}", f"en{kol}", low, high) for kol, low, high in OJK]

    def changed(self, kol: int, **values) -> list[Band]:
        return [replace(b, **values) if b.kol == kol else b for b in self.ojk()]

    def test_the_ojk_bands_pass_in_any_order(self):
        assert [b.kol for b in check_bands(list(reversed(self.ojk())))] == [1, 2, 3, 4, 5]

    @pytest.mark.parametrize(
        ("bands", "message"),
        [
            (lambda t: t.changed(3, min_dpd=92), "Kol 3 should start at DPD 91"),  # gap
            (lambda t: t.changed(3, min_dpd=90), "Kol 3 should start at DPD 91"),  # overlap
            (lambda t: t.changed(2, max_dpd=95), "Kol 3 should start at DPD 96"),  # overlap
            (lambda t: t.changed(1, min_dpd=1), "Kol 1 should start at DPD 0"),
            (lambda t: t.changed(4, max_dpd=None), "only Kol 5 may be unbounded"),
            (lambda t: t.changed(5, max_dpd=365), "Kol 5 must have no upper DPD bound"),
            (lambda t: t.changed(3, max_dpd=80), "Kol 3 ends before it starts"),
            (lambda t: t.ojk()[:4], "must define Kol 1 to 5"),
            (lambda t: [*t.ojk(), t.ojk()[2]], "must define Kol 1 to 5"),
            (lambda t: [], "must define Kol 1 to 5"),
        ],
        ids=[
            "gap",
            "overlap-start",
            "overlap-end",
            "kol1-not-at-0",
            "kol4-unbounded",
            "kol5-bounded",
            "inverted",
            "missing-kol",
            "duplicate-kol",
            "empty",
        ],
    )
    def test_invalid_bands_are_refused(self, bands, message):
        with pytest.raises(BandsInvalid, match=message):
            check_bands(bands(self))


class TestBandsDriveTheImport:
    @pytest.fixture
    def ao(self, world):
        L.catalogue()
        return world.officer.officer_code

    def rows(self, ao):
        return [L.line(f"ACC{dpd}", f"CIF{dpd}", ao, dpd=dpd) for dpd in (0, 60, 61, 90, 121)]

    def imported(self, ao, tmp_path, world, as_of):
        outcome = L.Importer(tmp_path, world.admin).csv(self.rows(ao), as_of)
        assert outcome.ok, outcome.record.shown_message
        return {p.dpd: p.facility_kol for p in L.positions(as_of).values()}

    def test_a_bpr_band_table_changes_the_imported_kol(self, ao, tmp_path, world):
        ojk = self.imported(ao, tmp_path, world, date(2024, 5, 31))
        assert ojk == {0: 1, 60: 2, 61: 2, 90: 2, 121: 4}
        with band_table(*BPR):
            bpr = self.imported(ao, tmp_path, world, date(2024, 6, 30))
        assert bpr == {0: 1, 60: 2, 61: 3, 90: 3, 121: 4}

    def test_a_broken_band_table_fails_the_import_and_changes_nothing(self, ao, tmp_path, world):
        counts = L.counts()
        with band_table((3, 92, 120)):
            outcome = L.Importer(tmp_path, world.admin).csv(self.rows(ao), date(2024, 6, 30))
        assert outcome.record.status == ImportStatus.FAILED
        assert "Kol 3 should start at DPD 91" in outcome.record.shown_message
        assert L.counts() == counts
        assert counts["facilities"] == 0
