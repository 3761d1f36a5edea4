"""A deposits listing with bad rows is refused whole, every error named by row and column (as the
file's headers say it), in the uploader's language; a failure mid-load changes nothing; imports of
one date, of either kind, run one at a time."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import serial
from aoapp.imports.deposits.loader import DepositLoader
from aoapp.imports.models import ImportStatus
from tests.support import deposit_listings as D
from tests.support import listings as L

AS_OF = date(2024, 6, 30)


def bad_rows(ao: str) -> list[dict]:
    return [
        D.line("T1", "CIF1", ao),
        D.line("T2", "CIF2", "NOBODY", product_code="KMK"),  # row 3
        D.line("T3", "CIF3", ao, product_code="GIRO", kind="tabungan", currency="USD"),
        D.line("P1", "CIF4", ao, product_code="DEP", maturity_date=None, aro=None),  # row 5
        D.line("T1", "CIF5", ao, status="frozen", open_date=date(2024, 7, 1)),
        D.line("T6", "CIF6", ao, maturity_date=date(2020, 1, 1), branch_code="XX99"),  # row 7
        D.line("T7", "CIF7", ao, balance="-5", tenor_months="twelve"),
    ]


EXPECTED = {
    "en": [
        (2, "account_no", "T1", "This account number appears more than once in the file."),
        (3, "officer_code", "NOBODY", "Unknown officer code: no officer has it."),
        (3, "product_code", "KMK", "Not a deposit product."),
        (4, "kind", "tabungan", "Product GIRO is a giro account."),
        (
            4,
            "currency",
            "USD",
            "Currency USD is not accepted: the bank imports accounts in IDR only "
            "(setting DEPOSIT_CURRENCIES).",
        ),
        (5, "maturity_date", "", "A deposito needs its maturity date."),
        (5, "aro", "", "A deposito needs Y or N: does it roll over automatically (ARO)?"),
        (6, "account_no", "T1", "This account number appears more than once in the file."),
        (
            6,
            "status",
            "frozen",
            "Use active, dormant, blocked or closed (aktif, pasif, blokir, tutup).",
        ),
        (7, "branch_code", "XX99", "Unknown branch code."),
        (7, "maturity_date", "2020-01-01", "Maturity date is before the open date."),
        (8, "balance", "-5", "Amounts cannot be negative."),
        (8, "tenor_months", "twelve", "Not a whole number of months (0–999)."),
    ],
}


class TestRowErrors:
    def test_every_error_by_row_and_column_and_nothing_changes(self, ao, world, tmp_path):
        before = D.counts()
        outcome = D.Importer(tmp_path, world.admin).csv(bad_rows(ao), AS_OF)
        assert outcome.record.status == ImportStatus.REJECTED
        found = [(e.row, e.column, e.value, e.message) for e in outcome.errors]
        assert found == EXPECTED["en"]
        assert outcome.record.shown_message == "13 error(s) on 7 row(s): nothing was imported."
        assert D.counts() == before

    def test_columns_are_named_as_the_file_names_them(self, ao, world, tmp_path):
        outcome = D.Importer(tmp_path, world.admin).csv(
            bad_rows(ao)[3:4], AS_OF, write={"headers": "id"}
        )
        assert [(e.row, e.column) for e in outcome.errors] == [
            (2, "tgl_jatuh_tempo"),
            (2, "aro"),
        ]

    def test_a_deposito_s_maturity_and_aro_are_only_required_of_a_deposito(
        self, ao, world, tmp_path
    ):
        rows = [D.line("T1", "CIF1", ao, aro="Y"), D.line("G1", "CIF1", ao, product_code="GIRO")]
        outcome = D.Importer(tmp_path, world.admin).csv(rows, AS_OF)
        assert outcome.ok, outcome.errors
        assert D.accounts()["T1"][6] is None  # a tabungan does not roll over: no ARO kept

    def test_the_errors_in_indonesian(self, ao, world, tmp_path):
        outcome = D.Importer(tmp_path, world.admin).run(
            D.write_csv(tmp_path / "bad.csv", bad_rows(ao), headers="id"),
            AS_OF,
            kind="deposits",
            locale="id",
        )
        found = [(e.row, e.column, e.message) for e in outcome.errors]
        assert found[:2] == [
            (2, "no_rekening", "Nomor rekening ini muncul lebih dari sekali dalam berkas."),
            (3, "kode_ao", "Kode AO tidak dikenal: tidak ada AO dengan kode ini."),
        ]
        assert found[2:] == [
            (3, "kode_produk", "Bukan produk simpanan."),
            (4, "jenis", "Produk GIRO adalah rekening giro."),
            (
                4,
                "mata_uang",
                "Mata uang USD tidak diterima: bank hanya mengimpor rekening dalam IDR "
                "(pengaturan DEPOSIT_CURRENCIES).",
            ),
            (5, "tgl_jatuh_tempo", "Deposito wajib memiliki tanggal jatuh tempo."),
            (5, "aro", "Deposito wajib diisi Y atau N: apakah diperpanjang otomatis (ARO)?"),
            (6, "no_rekening", "Nomor rekening ini muncul lebih dari sekali dalam berkas."),
            (
                6,
                "status",
                "Gunakan active, dormant, blocked atau closed (aktif, pasif, blokir, tutup).",
            ),
            (7, "kode_cabang", "Kode cabang tidak dikenal."),
            (7, "tgl_jatuh_tempo", "Tanggal jatuh tempo sebelum tanggal buka."),
            (8, "saldo", "Nominal tidak boleh negatif."),
            (8, "jangka_waktu", "Bukan jumlah bulan berupa bilangan bulat (0–999)."),
        ]


class TestAllOrNothing:
    def test_a_failure_in_the_middle_of_the_load_changes_nothing(
        self, ao, world, tmp_path, monkeypatch
    ):
        importer = D.Importer(tmp_path, world.admin)
        assert importer.csv([D.line("T1", "CIF1", ao)], date(2024, 5, 31)).ok
        before = D.counts()

        def broken(self):
            raise sa.exc.OperationalError("INSERT INTO deposit_positions …", {}, Exception("gone"))

        monkeypatch.setattr(DepositLoader, "_positions", broken)
        rows = [D.line("T1", "CIF1", ao, balance=Decimal("1")), D.line("T2", "CIF2", ao)]
        outcome = importer.csv(rows, AS_OF)
        assert outcome.record.status == ImportStatus.FAILED
        assert "changed nothing" in outcome.record.shown_message
        assert D.counts() == before
        monkeypatch.undo()
        assert importer.csv(rows, AS_OF).ok
        assert set(D.positions(AS_OF)) == {"T1", "T2"}


def test_imports_of_one_date_wait_for_each_other_whatever_their_kind(
    ao, world, tmp_path, monkeypatch
):
    held = []
    original = serial.hold

    def hold(connection, name, wait_seconds):
        held.append(name)
        return original(connection, name, wait_seconds)

    monkeypatch.setattr(serial, "hold", hold)
    D.Importer(tmp_path, world.admin).csv([D.line("T1", "CIF1", ao)], AS_OF)
    L.Importer(tmp_path, world.admin).csv([L.line("K1", "CIF1", ao)], AS_OF)
    dates = [name for name in held if name.startswith("import:")]
    assert dates == ["import:2024-06-30", "import:2024-06-30"]
