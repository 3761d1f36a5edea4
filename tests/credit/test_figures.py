"""Portfolio figures on a hand-computed portfolio: Kol distribution, NPL, LaR, PAR, aging, scope."""

from datetime import date
from decimal import Decimal

import pytest

from aoapp.credit.figures import portfolio_figures, previous_as_of
from aoapp.errors import NotFound
from tests.support.credit import AS_OF, EARLIER, hand_portfolio, make_facility, post_listing
from tests.support.factories import make_customer

D = Decimal


def kol_table(figures):
    return {r.kol: (r.count, r.outstanding, r.share) for r in figures.kol_distribution}


def aging_table(figures):
    return {r.code: (r.count, r.outstanding, r.share) for r in figures.aging}


class TestHandComputedPortfolio:
    def test_every_figure(self, world):
        hand_portfolio(world.officer)
        figures = portfolio_figures(world.officer)
        assert figures.as_of == AS_OF
        assert figures.total_outstanding == D("1090000000.00")
        assert (figures.facility_count, figures.debtor_count) == (14, 5)
        assert kol_table(figures) == {
            1: (2, D("499999999.50"), D("0.4587")),
            2: (6, D("230000000.00"), D("0.2110")),
            3: (2, D("150000000.50"), D("0.1376")),
            4: (0, D("0.00"), D("0.0000")),
            5: (4, D("210000000.00"), D("0.1927")),
        }
        assert [r.name for r in figures.kol_distribution] == [
            "Current",
            "Special mention",
            "Substandard",
            "Doubtful",
            "Loss",
        ]
        assert (figures.npl_outstanding, figures.npl_ratio) == (D("360000000.50"), D("0.3303"))
        # LaR = Kol 2 (230 M) + restructured Kol 1 (200 M) + NPL (360 M + 0.50)
        assert (figures.lar_outstanding, figures.lar_ratio) == (D("790000000.50"), D("0.7248"))
        assert [(r.days, r.outstanding, r.ratio) for r in figures.par] == [
            (30, D("460000000.00"), D("0.4220")),  # 31..181 dpd; 30 dpd is not in
            (60, D("390000000.00"), D("0.3578")),  # 61..181; 60 is not in
            (90, D("260000000.00"), D("0.2385")),  # 91..181; 90 is not in
        ]
        assert figures.par_ratio(30) == D("0.4220")
        assert aging_table(figures) == {
            "current": (3, D("600000000.00"), D("0.5505")),
            "1_30": (2, D("30000000.00"), D("0.0275")),
            "31_60": (2, D("70000000.00"), D("0.0642")),
            "61_90": (2, D("130000000.00"), D("0.1193")),
            "91_120": (2, D("130000000.00"), D("0.1193")),
            "121_180": (2, D("115000000.00"), D("0.1055")),
            "over_180": (1, D("15000000.00"), D("0.0138")),
        }

    def test_amounts_are_decimal_not_float(self, world):
        hand_portfolio(world.officer)
        figures = portfolio_figures(world.officer)
        values = [figures.total_outstanding, figures.npl_ratio, figures.lar_outstanding]
        values += [r.outstanding for r in figures.kol_distribution + figures.aging]
        assert all(type(v) is Decimal for v in values)

    def test_other_dates_and_officers_are_left_out(self, world):
        hand_portfolio(world.officer)
        mine = make_facility(make_customer(world.officer))
        other = make_facility(make_customer(world.colleague))
        post_listing(EARLIER, [(mine, 5, "123")])
        post_listing(AS_OF, [(other, 200, "999")])
        figures = portfolio_figures(world.officer)
        assert figures.total_outstanding == D("1090000000.00")
        earlier = portfolio_figures(world.officer, as_of=EARLIER)
        assert (earlier.total_outstanding, earlier.facility_count) == (D("123.00"), 1)
        assert earlier.kol_distribution[1].count == 1 and earlier.par_ratio(30) == D("0")


class TestRules:
    def test_one_obligor_puts_a_current_facility_in_npl(self, world):
        debtor = make_customer(world.officer)
        post_listing(AS_OF, [(make_facility(debtor), 0, "300"), (make_facility(debtor), 91, "100")])
        figures = portfolio_figures(world.officer)
        assert figures.npl_outstanding == D("400.00") and figures.npl_ratio == D("1.0000")
        assert kol_table(figures)[3] == (2, D("400.00"), D("1.0000"))
        assert kol_table(figures)[1][0] == 0

    def test_restructured_current_is_loan_at_risk_not_npl(self, world):
        post_listing(
            AS_OF,
            [
                (make_facility(make_customer(world.officer), restructured=True), 0, "250"),
                (make_facility(make_customer(world.officer)), 0, "750"),
            ],
        )
        figures = portfolio_figures(world.officer)
        assert (figures.lar_outstanding, figures.lar_ratio) == (D("250.00"), D("0.2500"))
        assert figures.npl_ratio == D("0.0000")

    def test_restructured_facility_of_a_worse_debtor_counts_once_in_lar(self, world):
        debtor = make_customer(world.officer)
        post_listing(
            AS_OF,
            [
                (make_facility(debtor, restructured=True), 0, "100"),
                (make_facility(debtor), 5, "100"),
            ],
        )
        figures = portfolio_figures(world.officer)
        assert figures.lar_outstanding == D("200.00") and figures.lar_ratio == D("1.0000")

    @pytest.mark.parametrize(
        ("dpd", "par30", "par60", "par90"),
        [
            (30, "0.0000", "0.0000", "0.0000"),
            (31, "1.0000", "0.0000", "0.0000"),
            (60, "1.0000", "0.0000", "0.0000"),
            (61, "1.0000", "1.0000", "0.0000"),
            (90, "1.0000", "1.0000", "0.0000"),
            (91, "1.0000", "1.0000", "1.0000"),
        ],
    )
    def test_par_boundaries(self, world, dpd, par30, par60, par90):
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), dpd, "1000")])
        figures = portfolio_figures(world.officer)
        assert [r.ratio for r in figures.par] == [D(par30), D(par60), D(par90)]

    def test_file_kol_worse_than_dpd_drives_npl(self, world):
        facility = make_facility(make_customer(world.officer))
        post_listing(AS_OF, [(facility, 0, "100", 3)])
        figures = portfolio_figures(world.officer)
        assert figures.npl_ratio == D("1.0000") and aging_table(figures)["current"][0] == 1

    def test_ratios_are_rounded_half_up_to_four_places(self, world):
        post_listing(
            AS_OF,
            [
                (make_facility(make_customer(world.officer)), 91, "1"),
                (make_facility(make_customer(world.officer)), 0, "2"),
            ],
        )
        figures = portfolio_figures(world.officer)
        assert figures.npl_ratio == D("0.3333")
        assert kol_table(figures)[1][2] == D("0.6667")


class TestEmpty:
    def test_no_positions_gives_zeros_not_a_crash(self, world):
        figures = portfolio_figures(world.officer)
        assert figures.as_of is None
        assert figures.total_outstanding == D("0.00") and figures.facility_count == 0
        assert figures.npl_ratio == figures.lar_ratio == D("0.0000")
        assert all(r.ratio == 0 for r in figures.par)
        assert [r.count for r in figures.kol_distribution] == [0] * 5

    def test_a_date_without_positions_gives_zeros(self, world):
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 0, "100")])
        figures = portfolio_figures(world.officer, as_of=date(2020, 1, 31))
        assert figures.as_of == date(2020, 1, 31) and figures.total_outstanding == D("0.00")

    def test_zero_outstanding_portfolio_has_zero_ratios(self, world):
        post_listing(AS_OF, [(make_facility(make_customer(world.officer)), 100, "0")])
        figures = portfolio_figures(world.officer)
        assert figures.facility_count == 1 and figures.npl_ratio == D("0.0000")


class TestScope:
    @pytest.fixture
    def book(self, world):
        """One facility per officer on AS_OF: ao.budi 100, ao.sari 200 (JKT01), ao.dewi 400."""
        for officer, amount in ((world.officer, 100), (world.colleague, 200), (world.remote, 400)):
            post_listing(AS_OF, [(make_facility(make_customer(officer)), 0, amount)])

    def total(self, actor, **kw):
        return portfolio_figures(actor, **kw).total_outstanding

    def test_officer_sees_own_portfolio(self, world, book):
        figures = portfolio_figures(world.officer)
        assert figures.total_outstanding == D("100.00") and figures.scope == "Officer Ao.Budi"
        assert self.total(world.officer, officer_id=world.officer.id) == D("100.00")
        assert self.total(world.officer, branch_id=world.jkt.id) == D("100.00")

    @pytest.mark.parametrize("other", ["colleague", "remote"])
    def test_officer_asking_for_another_officer_is_not_found(self, world, book, other):
        with pytest.raises(NotFound):
            portfolio_figures(world.officer, officer_id=getattr(world, other).id)

    def test_officer_asking_for_another_branch_is_not_found(self, world, book):
        with pytest.raises(NotFound):
            portfolio_figures(world.officer, branch_id=world.bdg.id)

    def test_supervisor_sees_the_branch_and_its_officers(self, world, book):
        figures = portfolio_figures(world.supervisor)
        assert figures.total_outstanding == D("300.00") and figures.scope == "Branch JKT01"
        assert self.total(world.supervisor, branch_id=world.jkt.id) == D("300.00")
        assert self.total(world.supervisor, officer_id=world.colleague.id) == D("200.00")

    @pytest.mark.parametrize("ask", [{"branch": "bdg"}, {"officer": "remote"}])
    def test_supervisor_outside_their_branches_is_not_found(self, world, book, ask):
        kwargs = {"branch_id": world.bdg.id} if "branch" in ask else {"officer_id": world.remote.id}
        with pytest.raises(NotFound):
            portfolio_figures(world.supervisor, **kwargs)
        assert self.total(world.bdg_supervisor) == D("400.00")

    def test_admin_sees_the_bank_and_any_part(self, world, book):
        figures = portfolio_figures(world.admin)
        assert figures.total_outstanding == D("700.00") and figures.scope == "Bank-wide"
        assert self.total(world.admin, branch_id=world.bdg.id) == D("400.00")
        assert self.total(world.admin, officer_id=world.colleague.id) == D("200.00")
        assert portfolio_figures(world.admin, branch_id=world.jkt.id).scope == "Branch JKT01"

    @pytest.mark.parametrize("kwargs", [{"officer_id": 999999}, {"branch_id": 999999}])
    def test_unknown_officer_or_branch_is_not_found(self, world, kwargs):
        with pytest.raises(NotFound):
            portfolio_figures(world.admin, **kwargs)

    def test_a_supervisor_is_not_an_officer_filter(self, world):
        with pytest.raises(NotFound):
            portfolio_figures(world.admin, officer_id=world.supervisor.id)

    def test_positions_stay_with_the_officer_they_were_booked_to(self, world):
        customer = make_customer(world.officer)
        post_listing(AS_OF, [(make_facility(customer), 0, "100")])
        customer.officer_id = world.colleague.id  # reassigned after the listing
        from aoapp.extensions import db

        db.session.commit()
        assert self.total(world.officer) == D("100.00")
        assert self.total(world.colleague) == D("0.00")


class TestDates:
    def test_latest_date_is_per_scope(self, world):
        post_listing(EARLIER, [(make_facility(make_customer(world.officer)), 0, "1")])
        post_listing(AS_OF, [(make_facility(make_customer(world.colleague)), 0, "2")])
        assert portfolio_figures(world.officer).as_of == EARLIER
        assert portfolio_figures(world.supervisor).as_of == AS_OF

    def test_previous_as_of(self, world):
        facility = make_facility(make_customer(world.officer))
        post_listing(date(2024, 4, 30), [(facility, 0, "1")])
        post_listing(EARLIER, [(facility, 0, "1")])
        post_listing(AS_OF, [(facility, 0, "1")])
        assert previous_as_of(world.officer) == EARLIER
        assert previous_as_of(world.officer, EARLIER) == date(2024, 4, 30)
        assert previous_as_of(world.officer, date(2024, 4, 30)) is None
        assert previous_as_of(world.colleague) is None
        with pytest.raises(NotFound):
            previous_as_of(world.officer, officer_id=world.remote.id)
