"""Properties of the collectibility (Kol) rules on random inputs (hypothesis).

The pure rules (`kol_from_dpd`, `facility_kol`, `debtor_kol`, `effective_kol`) are checked against
DOMAIN.md; then, on a bounded number of random listings run through the real import, the SQL the
importer uses must give the same Kol and rule as the pure rules.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoapp.credit.collectibility import (
    Band,
    check_bands,
    debtor_kol,
    dpd_kol_sql,
    effective_kol,
    facility_kol,
    kol_from_dpd,
    load_bands,
)
from aoapp.credit.models import KolRule
from aoapp.extensions import db
from tests.support import listings as L

# DOMAIN.md, "Collectibility (OJK), from days past due": (Kol, lowest DPD, highest DPD or None).
DOMAIN_TABLE = [(1, 0, 0), (2, 1, 90), (3, 91, 120), (4, 121, 180), (5, 181, None)]
OJK = check_bands([Band(k, f"id{k}", f"en{k}", low, high) for k, low, high in DOMAIN_TABLE])
BOUNDARY_DPDS = sorted(  # every band's first and last day, and the days either side
    {d for _, low, _ in DOMAIN_TABLE for d in (low - 1, low) if d >= 0}
    | {d for _, _, high in DOMAIN_TABLE if high is not None for d in (high, high + 1)}
)

dpds = st.one_of(st.integers(0, 400), st.sampled_from(BOUNDARY_DPDS), st.integers(0, 99_999))
kols = st.integers(1, 5)
file_kols = st.one_of(st.none(), kols)
quick = settings(max_examples=200, deadline=None, database=None)


def domain_kol(dpd: int) -> int:
    """The Kol of a DPD read straight off the DOMAIN.md table."""
    return next(k for k, low, high in DOMAIN_TABLE if low <= dpd and (high is None or dpd <= high))


# -- DPD bands -----------------------------------------------------------------------------------


@quick
@given(dpd=dpds)
def test_the_kol_of_any_dpd_is_the_domain_table(dpd):
    assert kol_from_dpd(dpd, OJK) == domain_kol(dpd)


@pytest.mark.parametrize("dpd", BOUNDARY_DPDS)
def test_every_boundary_and_its_neighbours_match_the_domain_table(dpd):
    assert kol_from_dpd(dpd, OJK) == domain_kol(dpd)


@quick
@given(first=dpds, second=dpds)
def test_kol_never_improves_as_dpd_grows(first, second):
    low, high = sorted((first, second))
    assert kol_from_dpd(low, OJK) <= kol_from_dpd(high, OJK)


@quick
@given(dpd=st.integers(0, 10**9))
def test_every_dpd_has_a_kol(dpd):
    assert kol_from_dpd(dpd, OJK) in (1, 2, 3, 4, 5)


@quick
@given(dpd=st.integers(-(10**6), -1))
def test_negative_dpd_is_refused(dpd):
    with pytest.raises(ValueError, match="negative"):
        kol_from_dpd(dpd, OJK)


@st.composite
def band_tables(draw) -> list[Band]:
    """Any valid band table (BPR and internal policies use other bands): Kol 1 at 0 days,
    contiguous, Kol 5 unbounded."""
    ends = sorted(draw(st.lists(st.integers(0, 720), min_size=4, max_size=4, unique=True)))
    starts = [0, *(end + 1 for end in ends)]
    bands = [
        Band(k, "", "", low, high)
        for k, low, high in zip((1, 2, 3, 4), starts[:4], ends, strict=True)
    ]
    return check_bands([*bands, Band(5, "", "", ends[-1] + 1, None)])


@quick
@given(bands=band_tables(), first=dpds, second=dpds)
def test_any_valid_band_table_is_total_and_monotone(bands, first, second):
    low, high = sorted((first, second))
    assert 1 <= kol_from_dpd(low, bands) <= kol_from_dpd(high, bands) <= 5
    for band in bands:  # each band's own boundaries land in it
        assert kol_from_dpd(band.min_dpd, bands) == band.kol
        if band.max_dpd is not None:
            assert kol_from_dpd(band.max_dpd, bands) == band.kol


@settings(max_examples=25, deadline=None, database=None)
@given(bands=st.one_of(st.just(OJK), band_tables()), extra=st.lists(dpds, max_size=20))
def test_the_sql_case_agrees_with_the_bands(bands, extra):
    """The importer computes Kol in SQL from the same bands: same answer at every boundary."""
    probe = sorted({*BOUNDARY_DPDS, *extra, *(b.min_dpd for b in bands), 99_999})
    values = " UNION ALL ".join(f"SELECT {int(d)} AS dpd" for d in probe)
    stmt = sa.text(f"SELECT d.dpd, {dpd_kol_sql('d.dpd', bands)} FROM ({values}) d")  # noqa: S608
    got = dict(tuple(row) for row in db.session.execute(stmt))
    assert got == {d: kol_from_dpd(d, bands) for d in probe}


def test_the_seeded_bands_are_the_domain_table():
    assert [(b.kol, b.min_dpd, b.max_dpd) for b in load_bands()] == DOMAIN_TABLE


# -- file Kol and the restructure hold ------------------------------------------------------------


@quick
@given(dpd=dpds, file_kol=file_kols, restructured=st.booleans(), held=file_kols)
def test_facility_kol_is_the_worst_of_its_sources_and_the_rule_names_it(
    dpd, file_kol, restructured, held
):
    kol, rule = facility_kol(dpd, file_kol, restructured, held, OJK)
    by_dpd = kol_from_dpd(dpd, OJK)
    hold = held if restructured and held is not None else 0
    assert kol == max(by_dpd, file_kol or 0, hold)
    source = {KolRule.DPD: by_dpd, KolRule.FILE: file_kol, KolRule.RESTRUCTURE_HOLD: hold}
    assert source[rule] == kol  # the recorded rule is one that gives this Kol...
    if rule != KolRule.DPD:  # ...and an override only when it is strictly worse than the DPD
        assert kol > by_dpd
    if rule == KolRule.RESTRUCTURE_HOLD:  # the hold decides only over what the file says
        assert kol > max(by_dpd, file_kol or 0)


@quick
@given(dpd=dpds, file_kol=file_kols)
def test_without_a_hold_the_kol_is_max_of_file_and_dpd(dpd, file_kol):
    by_dpd = kol_from_dpd(dpd, OJK)
    expected_rule = KolRule.FILE if (file_kol or 0) > by_dpd else KolRule.DPD
    assert facility_kol(dpd, file_kol, False, None, OJK) == (
        max(by_dpd, file_kol or 0),
        expected_rule,
    )


@quick
@given(dpd=dpds, file_kol=file_kols, held=kols)
def test_a_held_kol_only_binds_restructured_facilities(dpd, file_kol, held):
    free = facility_kol(dpd, file_kol, False, held, OJK)
    assert free == facility_kol(dpd, file_kol, False, None, OJK)
    assert facility_kol(dpd, file_kol, True, held, OJK)[0] == max(free[0], held)


@quick
@given(
    start=kols,
    imports=st.lists(st.tuples(dpds, file_kols), min_size=1, max_size=8),
)
def test_a_restructured_facility_never_improves_automatically(start, imports):
    """Import after import, each held at the Kol of the previous position: never better."""
    held = start
    for dpd, file_kol in imports:
        kol, rule = facility_kol(dpd, file_kol, True, held, OJK)
        assert kol >= held
        assert (rule == KolRule.RESTRUCTURE_HOLD) == (
            held > max(kol_from_dpd(dpd, OJK), file_kol or 0)
        )
        held = kol


# -- one obligor ---------------------------------------------------------------------------------

facility_lists = st.lists(st.tuples(dpds, file_kols), min_size=1, max_size=8)


@quick
@given(facilities=facility_lists, rnd=st.randoms(use_true_random=False))
def test_every_facility_carries_the_worst_kol_of_its_debtor(facilities, rnd):
    own = [facility_kol(dpd, file_kol, False, None, OJK) for dpd, file_kol in facilities]
    worst = debtor_kol([kol for kol, _ in own])
    assert worst == max(kol for kol, _ in own)
    shuffled = [kol for kol, _ in own]
    rnd.shuffle(shuffled)
    assert debtor_kol(shuffled) == worst
    effective = [effective_kol(kol, rule, worst) for kol, rule in own]
    assert {kol for kol, _ in effective} == {worst}  # one obligor: one Kol for all
    for (kol, rule), (_, decided) in zip(own, effective, strict=True):
        assert decided == (KolRule.ONE_OBLIGOR if worst > kol else rule)


# -- the importer's SQL against the pure rules, on the real database ------------------------------

facility_rows = st.fixed_dictionaries(
    {
        "debtor": st.integers(0, 2),
        "dpd": st.lists(dpds, min_size=2, max_size=2),
        "kol": st.lists(file_kols, min_size=2, max_size=2),
        "restructured": st.lists(st.booleans(), min_size=2, max_size=2),
    }
)
runs = itertools.count(1)


@pytest.fixture
def ao(world):
    L.catalogue()
    return world.officer.officer_code


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(facilities=st.lists(facility_rows, min_size=1, max_size=5))
def test_the_import_applies_the_same_rules(ao, world, tmp_path, facilities):
    """Two listings on consecutive month-ends: every position's DPD Kol, facility Kol, debtor Kol
    and rule are what the pure rules give (held Kol: the previous position's facility Kol)."""
    run = next(runs)  # fresh accounts and later dates each example: examples never meet
    first = date(2030, 1, 31) + timedelta(days=62 * run)
    dates = (first, first + timedelta(days=31))
    importer = L.Importer(tmp_path, world.admin)
    held: dict[str, int | None] = {}
    for step, as_of in enumerate(dates):
        rows = [
            L.line(
                f"R{run}F{i}",
                f"R{run}C{f['debtor']}",
                ao,
                dpd=f["dpd"][step],
                kol=f["kol"][step],
                restructured=f["restructured"][step],
                arrears_principal=Decimal("1000.00") if f["dpd"][step] else Decimal("0.00"),
            )
            for i, f in enumerate(facilities)
        ]
        outcome = importer.csv(rows, as_of)
        assert outcome.ok, (outcome.record.shown_message, outcome.errors)
        own = {
            row["account_no"]: facility_kol(
                row["dpd"], row["kol"], row["restructured"], held.get(row["account_no"]), OJK
            )
            for row in rows
        }
        worst = {}
        for row in rows:
            worst[row["cif"]] = max(worst.get(row["cif"], 1), own[row["account_no"]][0])
        expected = {
            row["account_no"]: (
                kol_from_dpd(row["dpd"], OJK),
                own[row["account_no"]][0],
                debtor_kol([worst[row["cif"]]]),
                effective_kol(*own[row["account_no"]], worst[row["cif"]])[1].value,
            )
            for row in rows
        }
        got = {
            account: (p.dpd_kol, p.facility_kol, p.debtor_kol, p.kol_rule)
            for account, p in L.positions(as_of).items()
        }
        assert got == expected, (step, rows)
        held = {account: kol for account, (kol, _) in own.items()}
