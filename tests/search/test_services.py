"""The header search at the service level: every way of matching, the order, the limit, scope."""

import pytest

from aoapp.customers.models import ProductHolding
from aoapp.extensions import db
from aoapp.search.matching import read_query
from aoapp.search.services import DROPDOWN_LIMIT, search
from tests.support.credit import make_facility
from tests.support.customers import user
from tests.support.factories import make_customer, make_product, make_prospect


def found(actor, text, limit=DROPDOWN_LIMIT):
    """(kind, name, matched) of each result, in order."""
    return [(r.kind, r.name, r.matched) for r in search(user(actor), text, limit=limit)]


def names(actor, text, limit=DROPDOWN_LIMIT):
    return [r.name for r in search(user(actor), text, limit=limit)]


class TestReadingTheText:
    @pytest.mark.parametrize("text", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
    def test_the_three_ways_of_writing_a_phone_are_one_number(self, text):
        assert read_query(text).phone_prefix == "6281234567890"

    def test_a_cif_like_text_is_no_phone(self):
        query = read_query("cif0000012")
        assert query.phone_prefix is None
        assert query.identifiers == ("cif0000012", "CIF0000012")

    def test_a_short_number_is_no_phone(self):
        assert read_query("0812").phone_prefix is None
        assert read_query("08123").phone_prefix == "628123"

    def test_sixteen_digits_are_a_nik_even_with_spaces(self):
        assert read_query("3201 0115 0690 0001").nik == "3201011506900001"
        assert read_query("320101150690000").nik is None

    def test_one_character_finds_nothing(self, world):
        make_customer(world.officer, name="A")
        assert read_query(" a ").is_empty
        assert found(world.officer, "a") == []

    def test_the_words_lose_case_accents_and_punctuation(self):
        assert read_query("  Dédé  Ma'ruf-Amin ").words == ("dede", "maruf", "amin")


class TestNames:
    def test_word_prefixes_find_a_name_case_and_accents_aside(self, world):
        make_customer(world.officer, name="Siti Nurhaliza")
        make_customer(world.officer, name="Sitompul Hartono")
        make_customer(world.officer, name="Dédé Suparman")
        assert names(world.officer, "sit nur") == ["Siti Nurhaliza"]
        assert names(world.officer, "NUR sit") == ["Siti Nurhaliza"]
        assert names(world.officer, "dede") == ["Dédé Suparman"]
        assert names(world.officer, "suparmán") == ["Dédé Suparman"]

    def test_a_word_must_start_a_word_of_the_name(self, world):
        make_customer(world.officer, name="Siti Nurhaliza")
        assert names(world.officer, "haliza") == []
        assert names(world.officer, "iti") == []

    def test_ranked_exact_name_then_whole_prefix_then_first_word_then_any_word(self, world):
        for name in (
            "Budi Santoso Raharjo",  # first word, another word later
            "Rahmat Budi Santoso",  # words start later words only
            "Budi Santosa",  # the whole text starts the name
            "Budi Santoso",  # exactly the text
            "Budiman Sa Tan",  # first word; "santoso" starts no word
        ):
            make_customer(world.officer, name=name)
        assert names(world.officer, "budi santos") == [
            "Budi Santosa",
            "Budi Santoso",
            "Budi Santoso Raharjo",
            "Rahmat Budi Santoso",
        ]
        results = search(user(world.officer), "Budi Santoso")
        assert [(r.name, r.exact) for r in results[:2]] == [
            ("Budi Santoso", True),
            ("Budi Santoso Raharjo", False),
        ]

    def test_customers_and_prospects_merge_by_name(self, world):
        make_customer(world.officer, name="Wati Kusuma")
        make_prospect(world.officer, name="Wati Amalia", status="contacted")
        results = search(user(world.officer), "wati")
        assert [(r.kind, r.name) for r in results] == [
            ("prospect", "Wati Amalia"),
            ("customer", "Wati Kusuma"),
        ]
        assert results[0].status == "contacted" and results[0].cif is None
        assert results[0].officer == "Ao.Budi" and results[0].branch == "Jakarta Sudirman"

    def test_the_limit_keeps_the_best(self, world):
        for n in range(12):
            make_customer(world.officer, name=f"Ani Lestari {n:02d}")
        make_customer(world.officer, name="Ani")
        assert names(world.officer, "ani", limit=3) == ["Ani", "Ani Lestari 00", "Ani Lestari 01"]
        assert len(names(world.officer, "ani")) == DROPDOWN_LIMIT


class TestNumbers:
    def test_cif_exact_first_then_cifs_starting_with_it(self, world):
        make_customer(world.officer, name="Prefix Dua", cif="0000012345")
        make_customer(world.officer, name="Exact", cif="000001234")
        make_customer(world.officer, name="Other", cif="0000099999")
        results = search(user(world.officer), "000001234")
        assert [(r.name, r.matched, r.exact) for r in results] == [
            ("Exact", "cif", True),
            ("Prefix Dua", "cif", False),
        ]

    def test_a_cif_typed_in_lower_case(self, world):
        make_customer(world.officer, name="Toko Sinar", cif="CIF0000012")
        assert found(world.officer, "cif0000012") == [("customer", "Toko Sinar", "cif")]

    def test_a_cif_like_text_never_matches_phones_by_a_few_digits(self, world):
        make_customer(world.officer, name="Phone Holder", cif="X-1", phone="6281200000012")
        assert found(world.officer, "cif0000012") == []

    def test_account_numbers_of_facilities_and_holdings(self, world):
        loan = make_customer(world.officer, name="Debitur Kredit")
        saver = make_customer(world.officer, name="Penabung")
        make_facility(loan, "0013001")
        product = make_product("TAB", kind="deposit", subtype=None)
        db.session.add(
            ProductHolding(customer_id=saver.id, product_id=product.id, account_no="00130019")
        )
        db.session.commit()
        results = search(user(world.officer), "0013001")
        assert [(r.name, r.matched, r.account_no, r.exact) for r in results] == [
            ("Debitur Kredit", "account", "0013001", True),
            ("Penabung", "account", "00130019", False),
        ]

    def test_nik_exactly(self, world):
        make_customer(world.officer, name="Pemilik NIK", nik="3201011506900777")
        make_prospect(world.officer, name="Calon NIK", nik="3201011506900778")
        assert found(world.officer, "3201011506900777") == [("customer", "Pemilik NIK", "nik")]
        assert found(world.officer, "3201 0115 0690 0778") == [("prospect", "Calon NIK", "nik")]
        assert found(world.officer, "320101150690077") == []  # 15 digits: no NIK

    @pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
    def test_a_phone_however_written(self, world, typed):
        make_customer(world.officer, name="Pak Telepon", phone="6281234567890")
        make_prospect(world.officer, name="Bu Telepon", phone="6281234567891")
        results = search(user(world.officer), typed)
        assert [(r.name, r.matched, r.matched_value, r.exact) for r in results] == [
            ("Pak Telepon", "phone", "0812-3456-7890", True),
        ]

    def test_the_start_of_a_phone(self, world):
        make_customer(world.officer, name="Pak Telepon", phone="6281234567890")
        make_prospect(world.officer, name="Bu Telepon", phone="6281234567891")
        assert found(world.officer, "0812 3456 78") == [
            ("customer", "Pak Telepon", "phone"),
            ("prospect", "Bu Telepon", "phone"),
        ]

    def test_exact_numbers_before_starts_before_names(self, world):
        make_customer(world.officer, name="Awal", cif="77001")
        make_customer(world.officer, name="Persis", cif="7700")
        make_customer(world.officer, name="Toko 7700 Jaya", cif="A-2")
        make_customer(world.officer, name="Blok A7700", cif="B-1")
        make_customer(world.officer, name="Zaenal", cif="A7700-1")
        assert names(world.officer, "7700") == ["Persis", "Awal"]  # no letter: not a name
        assert found(world.officer, "a7700") == [
            ("customer", "Zaenal", "cif"),
            ("customer", "Blok A7700", "name"),
        ]

    def test_a_customer_found_twice_is_listed_once(self, world):
        customer = make_customer(world.officer, name="Dua Kali", cif="5550001")
        make_facility(customer, "5550001")
        assert found(world.officer, "5550001") == [("customer", "Dua Kali", "cif")]


class TestScope:
    @pytest.fixture
    def cast(self, world):
        """The same name, NIK-like and phone-like data in three portfolios."""
        mine = make_customer(world.officer, name="Rina Mine", cif="900001", nik="3201011506900901")
        colleague = make_customer(world.colleague, name="Rina Colleague", cif="900002")
        remote = make_customer(
            world.remote,
            name="Rina Remote",
            cif="900003",
            nik="3201011506900903",
            phone="6281299990003",
        )
        make_facility(remote, "900003-ACC")
        make_prospect(
            world.remote, name="Rina Prospek Remote", phone="6281299990004", nik="3201011506900904"
        )
        make_prospect(world.officer, name="Rina Prospek Mine")
        return mine, colleague, remote

    def test_an_officer_sees_only_the_own_portfolio(self, world, cast):
        assert names(world.officer, "rina") == ["Rina Mine", "Rina Prospek Mine"]
        assert names(world.officer, "9000") == ["Rina Mine"]

    @pytest.mark.parametrize(
        "text",
        [
            "Rina Remote",
            "900003",
            "900003-ACC",
            "3201011506900903",
            "0812-9999-0003",
            "3201011506900904",
            "0812 9999 0004",
            "Rina Prospek Remote",
        ],
    )
    def test_another_officers_records_are_absent_whatever_is_typed(self, world, cast, text):
        assert found(world.officer, text) == []

    def test_a_supervisor_sees_the_branch(self, world, cast):
        assert names(world.supervisor, "rina") == [
            "Rina Colleague",
            "Rina Mine",
            "Rina Prospek Mine",
        ]

    def test_an_admin_sees_everything(self, world, cast):
        assert len(names(world.admin, "rina")) == 5
        assert names(world.admin, "0812-9999-0003") == ["Rina Remote"]
