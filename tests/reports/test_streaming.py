"""How the portfolio workbook's long tables are read and written fast: batches of the driver's
tuples past SQLAlchemy's result (PostgreSQL), no JIT for those queries, and the cycle collector
paused while a streamed workbook is written."""

import gc
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from aoapp.auth.models import Branch
from aoapp.credit.figures import resolve_scope
from aoapp.extensions import db
from aoapp.kpis.periods import judging_day
from aoapp.reports.package import HybridWriter
from aoapp.reports.portfolio.prefetch import partitions
from aoapp.reports.portfolio.rows import delinquent_query, facilities_query
from aoapp.reports.rust_writer import paused_gc
from aoapp.reports.sheets import Column, Sheet, Workbook
from tests.support.reports_portfolio import OCT31, OCTOBER
from tests.support.reports_portfolio import october_book as build_october

DAY = date(2026, 10, 31)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def seven_branches():
    db.session.execute(
        sa.insert(Branch), [{"code": f"B{n}", "name": f"Cabang {n}"} for n in range(7)]
    )
    db.session.commit()
    return [f"B{n}" for n in range(7)]


class TestPartitions:
    @pytest.mark.parametrize("batch", [2, 3, 6, 7, 10])
    def test_plain_batches_hold_every_row_once_in_order(self, seven_branches, batch):
        stmt = sa.select(Branch.code, sa.literal(DAY, sa.Date)).order_by(Branch.code)
        with db.engine.connect() as connection:
            found = list(partitions(connection, stmt, batch, plain=True))
        assert [row[0] for rows in found for row in rows] == seven_branches
        assert all(0 < len(rows) <= batch for rows in found)
        assert {row[1] for rows in found for row in rows} == {DAY}  # a date on SQLite too
        if _postgresql():  # the driver's tuples, not SQLAlchemy's Rows
            assert {type(row) for rows in found for row in rows} == {tuple}

    def test_the_long_tables_plain_rows_are_sqlalchemys(self, world, tmp_path):
        build_october(world, tmp_path)
        scope = resolve_scope(world.admin)
        for stmt in (
            facilities_query(scope, OCT31),
            delinquent_query(scope, OCT31, judging_day(OCTOBER)),
        ):
            expected = [tuple(row) for row in db.session.execute(stmt)]
            with db.engine.connect() as connection:
                plain = [
                    row for rows in partitions(connection, stmt, 2, plain=True) for row in rows
                ]
            assert plain == expected and len(expected) > 2
            assert [list(map(type, row)) for row in plain] == [
                list(map(type, row)) for row in expected
            ]

    def test_the_queries_run_without_jit_on_postgresql_for_their_transaction_only(self):
        if not _postgresql():
            pytest.skip("PostgreSQL's JIT")
        stmt = sa.select(sa.func.current_setting("jit"))
        with db.engine.connect() as connection:
            default = connection.scalar(stmt)
            connection.rollback()
            ((setting,),) = (row for rows in partitions(connection, stmt, 10) for row in rows)
            assert setting == "off"
            connection.rollback()
            assert connection.scalar(stmt) == default


class TestPausedGc:
    def test_the_collector_is_off_while_a_streamed_workbook_is_written(self, tmp_path):
        seen = []

        def rows():
            for n in range(3):
                seen.append(gc.isenabled())
                yield (f"A{n}", n)

        sheet = Sheet(
            name="Rows", title=["Rows"], columns=[Column("a", "A"), Column("n", "N", "int")]
        )
        sheet.rows = rows()
        assert gc.isenabled()
        HybridWriter().write(Workbook([sheet]), str(tmp_path / "rows.xlsx"))
        assert seen == [False, False, False]
        assert gc.isenabled()

    def test_two_writers_at_once_share_one_pause(self):
        entered, release = threading.Event(), threading.Event()
        left = threading.Event()

        def other():
            with paused_gc():
                entered.set()
                release.wait(5)
            left.set()

        thread = threading.Thread(target=other)
        with paused_gc():
            thread.start()
            assert entered.wait(5)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other writer is still writing
        release.set()
        assert left.wait(5)
        thread.join(5)
        assert gc.isenabled()

    def test_a_collector_turned_off_by_someone_else_stays_off(self):
        gc.disable()
        try:
            with paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()
        finally:
            gc.enable()
