"""Word lists of the crawls (tests/i18n/test_crawl*.py): common words of the other language
that must not show on a page, in a workbook or in an API error of one language."""

import re

from tests.support.i18n import visible_text

# Common English words (matched as whole words, case-sensitive where capitalised).
ENGLISH = (
    "the",
    "The",
    "and",
    "of",
    "with",
    "Suggested",
    "suggested",
    "Promise",
    "promise",
    "overdue",
    "listing",
    "days past due",
    "day past due",
    "none",
    "None",
    "closed",
    "Closed",
    "broken",
    "was",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "June",
    "July",
    "August",
    "October",
    "December",
    "Save",
    "Cancel",
    "Delete",
    "Search",
    "Next",
    "Previous",
    "Back",
    "Edit",
    "Add",
    "Yes",
    "No",
    "Customer",
    "Customers",
    "Prospect",
    "Follow-up",
    "follow-up",
    "Planned",
    "planned",
    "Done",
    "Open",
    "open",
    "pending",
    "Pending",
    "kept",
    "Kept",
    "visit",
    "call",
    "Call",
    "Visit",
    "Report",
    "Reports",
    "Settings",
    "Profile",
    "Logout",
    "Log out",
    "Sign in",
    "Download",
    "Upload",
    "Officer",
    "Supervisor",
    "Branch",
    "Today",
    "today",
    "Yesterday",
    "week",
    "month",
    "year",
    "Name",
    "Date",
    "Amount",
    "Notes",
    "notes",
    "Reason",
    "reason",
    "Outcome",
    "because",
    "please",
    "Please",
    "could not",
    "not found",
    "required",
)
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")

# Texts that look English but are not to be translated: proper nouns, brands, codes, test data
# (the factories name records `Customer 4`, `Prospect 5`, `Product KMK`).
NOT_ENGLISH_RE = re.compile(r"\b(Customer|Prospect|Product) [A-Z0-9]+\b|\bNo\. ")
NOT_ENGLISH = (
    "Charged twice for the March instalment",  # a complaint's description typed in the test
    "Charged twice",
    "Account Officer",  # the job title Indonesian banks use (Account Officer (AO))
    "Bahasa Indonesia",
    "English",
    "Jakarta Sudirman",
    "Bandung Dago",
    "Pameran UMKM",
)

# Common Indonesian words (whole words, case-sensitive where capitalised) that must not show on a
# page in English.
INDONESIAN = (
    "dan",
    "yang",
    "untuk",
    "dengan",
    "tidak",
    "Tidak",
    "belum",
    "Belum",
    "sudah",
    "Sudah",
    "pada",
    "dari",
    "atau",
    "akan",
    "nasabah",
    "Nasabah",
    "tunggakan",
    "Tunggakan",
    "jatuh tempo",
    "Jatuh tempo",
    "daftar nominatif",
    "Daftar nominatif",
    "tindak lanjut",
    "Tindak lanjut",
    "janji bayar",
    "Janji bayar",
    "kunjungan",
    "Kunjungan",
    "Laporan",
    "Cabang",
    "Pengaturan",
    "Keluar",
    "Simpan",
    "Batal",
    "Hapus",
    "Cari",
    "Kembali",
    "Ubah",
    "Tambah",
    "Unduh",
    "Unggah",
    "Nama",
    "Tanggal",
    "Jumlah",
    "Catatan",
    "Alasan",
    "Hasil",
    "Direncanakan",
    "direncanakan",
    "Selesai",
    "selesai",
    "Terbuka",
    "terbuka",
    "Menunggu",
    "Ditepati",
    "ditepati",
    "Hari ini",
    "hari ini",
    "Kemarin",
    "hari",
    "minggu",
    "bulan",
    "tahun",
    "karena",
    "silakan",
    "Silakan",
    "wajib",
    "tidak ditemukan",
    "Senin",
    "Selasa",
    "Rabu",
    "Kamis",
    "Jumat",
    "Sabtu",
    "Minggu",
    "Januari",
    "Februari",
    "Maret",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "Oktober",
    "Desember",
    "Agt",
    "Okt",
    "Des",
)
INDONESIAN_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, INDONESIAN)) + r")(?![\w-])")
# Texts typed by people or names that look Indonesian on an English page: proper nouns.
NOT_INDONESIAN = ("Bahasa Indonesia", "Jakarta Sudirman", "Bandung Dago", "Pameran UMKM")


def english_in(text: str) -> set[str]:
    """The common English words in a text (known names taken out)."""
    text = NOT_ENGLISH_RE.sub(" ", text)
    for name in NOT_ENGLISH:
        text = text.replace(name, " ")
    return set(ENGLISH_RE.findall(text))


def english_words(page: str) -> set[str]:
    """The common English words on a page's visible text (known names taken out)."""
    return english_in(visible_text(page))


def indonesian_words(page: str) -> set[str]:
    """The common Indonesian words on a page's visible text (text people typed taken out)."""
    text = visible_text(without_user_text(page))
    for name in NOT_INDONESIAN:
        text = text.replace(name, " ")
    return set(INDONESIAN_RE.findall(text))


USER_TEXT_RE = re.compile(
    r"<(?P<tag>\w+)(?=[^>]*\b(?:data-user-text\b|lang=\"id\"))[^>]*>.*?</(?P=tag)>", flags=re.S
)


def without_user_text(page: str) -> str:
    """A page without the elements that show text people typed (marked `data-user-text`) or an
    Indonesian term named as such (marked `lang="id"`)."""
    return USER_TEXT_RE.sub(" ", page)
