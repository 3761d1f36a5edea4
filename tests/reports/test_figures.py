"""The registry of officer figures (kpis/figures.py) is what every place shows: the KPIs'
dataclass, the totals, the portfolio workbook's Officers sheet, the team dashboard API and the
team table; in English and in Indonesian."""

import html as markup
import re
import types
import typing
from dataclasses import fields
from decimal import Decimal

import pytest
from flask_babel import force_locale
from marshmallow import fields as mfields
from openpyxl import load_workbook

from aoapp.credit.figures import resolve_scope
from aoapp.customers.models import Customer
from aoapp.dashboards.schemas import TeamRowSchema
from aoapp.extensions import db
from aoapp.kpis import officers as kpis
from aoapp.kpis.figures import (
    AMOUNT,
    AVERAGE,
    BY_KEY,
    COUNT,
    FIGURES,
    RATIO,
    SUM,
    TABLE_FIGURES,
    RatioOfSums,
)
from aoapp.kpis.officers import OfficerKpis, kpi_totals
from aoapp.reports.portfolio.columns import FIGURE_KINDS
from aoapp.reports.portfolio.workbook import portfolio_workbook
from aoapp.reports.sheets import number_formats
from tests.support.funding import deposit, post_deposits
from tests.support.i18n import speak_indonesian
from tests.support.reports_portfolio import OCT31, OCTOBER, column, header_row, table, write
from tests.support.reports_portfolio import october_book as build_october

IDENTITY = ("officer_id", "username", "name", "branch_code")  # who the row is, not a figure
TEAM_EXTRAS = ("complaints_open", "complaints_overdue", "target_achievement")  # not KPIs
KEYS = [figure.key for figure in FIGURES]
PYTHON_TYPES = {COUNT: int, AMOUNT: Decimal, RATIO: Decimal, AVERAGE: Decimal}
RATIOS = (RATIO, AVERAGE)  # computed from other figures, empty when there is nothing to rate


def labels(lang: str, figures=TABLE_FIGURES) -> list[str]:
    with force_locale(lang):
        return [str(figure.label) for figure in figures]


class TestRegistry:
    def test_the_dataclass_fields_are_the_registry_keys_in_order(self):
        names = [f.name for f in fields(OfficerKpis)]
        assert tuple(names[: len(IDENTITY)]) == IDENTITY
        assert names[len(IDENTITY) :] == KEYS

    def test_the_dataclass_field_types_are_the_kinds(self):
        hints = typing.get_type_hints(OfficerKpis)
        for figure in FIGURES:
            hint = hints[figure.key]
            wanted = PYTHON_TYPES[figure.kind]
            if isinstance(hint, types.UnionType):  # a ratio may be None: nothing to rate
                assert figure.kind in RATIOS and set(hint.__args__) == {wanted, type(None)}
            else:
                assert hint is wanted, figure.key

    def test_keys_and_labels_are_unique_and_every_figure_is_defined(self):
        assert len(set(KEYS)) == len(KEYS)
        for lang in ("en", "id"):
            assert len(set(labels(lang, FIGURES))) == len(FIGURES), lang
        for figure in FIGURES:  # each says how it is computed, in both languages
            with force_locale("en"):
                english = str(figure.definition)
            with force_locale("id"):
                assert english and str(figure.definition) != english, figure.key

    def test_totals_name_figures_of_the_registry(self):
        for figure in FIGURES:
            if figure.kind in RATIOS:
                assert isinstance(figure.total, RatioOfSums), figure.key
                spec = figure.total
                assert {spec.numerator, *spec.denominator} <= set(KEYS)
                assert all(BY_KEY[k].total == SUM for k in (spec.numerator, *spec.denominator))
            else:
                assert figure.total == SUM, figure.key

    def test_the_totals_row_follows_the_registry(self):
        a = kpis.kpis_row(
            1, "a", "A", "X", {"outstanding": Decimal("100.00"), "ptp_kept": 1, "ptp_broken": 1}
        )
        b = kpis.kpis_row(
            2,
            "b",
            "B",
            "X",
            {
                "outstanding": Decimal("300.00"),
                "ptp_kept": 2,
                "par30_outstanding": Decimal("200.00"),
                "prospects_collected": 4,
            },
        )
        # Each row's ratios of its own figures, the figures left out at their defaults.
        assert (a.ptp_kept_rate, a.par30_ratio, a.conversion_rate) == (
            Decimal("0.5000"),
            Decimal("0.0000"),
            None,
        )
        assert (b.par30_ratio, b.conversion_rate, b.debtors) == (
            Decimal("0.6667"),
            Decimal("0.0000"),
            0,
        )
        total = kpi_totals([a, b])
        assert total.outstanding == Decimal("400.00") and total.ptp_kept == 3
        assert total.par30_ratio == Decimal("0.5000")  # 200 / 400: a ratio of the sums
        assert total.ptp_kept_rate == Decimal("0.7500")  # 3 / (3 + 1)
        assert total.conversion_rate == Decimal("0.0000")  # 0 of 4 collected
        assert total.npl_ratio == Decimal("0.0000")
        empty = kpi_totals([])
        assert (empty.npl_ratio, empty.conversion_rate, empty.ptp_kept_rate) == (
            Decimal("0.0000"),
            None,
            None,
        )

    def test_par30_is_shown_as_the_ratio(self):
        shown = {figure.key: str(figure.label) for figure in TABLE_FIGURES}
        assert shown["par30_ratio"] == "PAR 30" and "par30_outstanding" not in shown
        hidden = [f.key for f in FIGURES if not f.in_tables]
        assert hidden == [
            "par30_outstanding",
            "casa",
            "relationship_customers",
            "products_held",
            "customers_start",
            "customers_retained",
            "retention_rate",
        ]
        assert {"dpk", "casa_ratio", "cross_sell_ratio"} <= set(shown)


class TestWorkbook:
    @pytest.fixture
    def october(self, world, tmp_path):
        book = build_october(world, tmp_path)
        # A tabungan of one of ao.budi's debtors, so the funding columns hold numbers too.
        customer = db.session.get(Customer, book.facilities["A-F1"].customer_id)
        post_deposits(OCT31, [(deposit(customer, "T-F1"), 10)])
        return book

    @pytest.mark.parametrize("lang", ["en", "id"])
    def test_officers_sheet_kpi_headers_are_the_registry_labels(
        self, october, world, tmp_path, lang
    ):
        with force_locale(lang):
            scope = resolve_scope(world.supervisor, None, world.jkt.id)
            workbook = portfolio_workbook(scope, OCTOBER, OCT31, "Bank Contoh")
            path = write(workbook, tmp_path / f"portfolio-{lang}.xlsx")
            officers = next(sheet for sheet in workbook.ready().sheets if sheet.key == "Officers")
            first = str(officers.columns[0].header)  # AO code / Kode AO
            name = str(officers.name)  # Officers / Pejabat (AO)
        ws = load_workbook(path)[name]
        headers, rows = table(ws, first)
        assert rows  # three officers of JKT01
        kpi_headers = headers[3 : 3 + len(TABLE_FIGURES)]
        assert kpi_headers == labels(lang)
        assert headers[3 + len(TABLE_FIGURES)] == (
            "Target achievement" if lang == "en" else "Pencapaian target"
        )
        for figure in TABLE_FIGURES:
            cells = column(ws, first, str(labels(lang, [figure])[0]))
            formats = {cell.number_format for cell in cells if cell.value is not None}
            kind = FIGURE_KINDS[figure.kind]
            assert formats == {number_formats(lang)[kind]}, figure.key
        assert header_row(ws, first) > 1  # title lines above the table


class TestTeamDashboard:
    def test_the_api_schema_fields_are_the_registry_keys(self):
        declared = list(TeamRowSchema._declared_fields)
        assert tuple(declared[: len(IDENTITY)]) == IDENTITY
        assert declared[len(IDENTITY) : -len(TEAM_EXTRAS)] == KEYS
        assert tuple(declared[-len(TEAM_EXTRAS) :]) == TEAM_EXTRAS
        for figure in FIGURES:
            field = TeamRowSchema._declared_fields[figure.key]
            if figure.kind == COUNT:
                assert type(field) is mfields.Integer, figure.key
            else:
                assert type(field) is mfields.Decimal and field.as_string, figure.key
                places = 2 if figure.kind == AMOUNT else 4
                assert field.places == Decimal(10) ** -places, figure.key
                assert field.allow_none is (figure.kind in RATIOS), figure.key

    def test_the_api_rows_carry_every_figure(self, world, api):
        response = api(world.supervisor).get("/api/v1/dashboard/team")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        for row in [*body["officers"], body["totals"]]:
            assert set(row) == {*IDENTITY, *KEYS, *TEAM_EXTRAS}
        assert body["officers"]  # the supervisor's officers, even without a listing

    def test_the_team_tables_kpi_headers_are_the_registry_labels(self, client, auth, world):
        auth.login("spv.jkt")
        for lang in ("en", "id"):
            if lang == "id":
                speak_indonesian(auth)
            response = client.get("/dashboard/team")
            assert response.status_code == 200
            page = response.get_data(as_text=True)
            thead = page[page.index('id="team-table"') : page.index("</thead>")]
            found = re.findall(r'<th scope="col"[^>]*data-key="(\w+)">([^<]*)</th>', thead)
            headers = [(key, markup.unescape(text)) for key, text in found]
            kpi = headers[: len(TABLE_FIGURES)]
            assert kpi == list(zip([f.key for f in TABLE_FIGURES], labels(lang), strict=True))
            assert [key for key, _text in headers[len(TABLE_FIGURES) :]] == list(TEAM_EXTRAS)
