"""The demo bank: branches, users, products, and per-officer customers and prospects.

Every record has a natural key (branch code, username, product code, CIF, owner + phone), so
seeding twice finds what exists and creates only what is missing. Identity numbers are valid
(NIK: province, birth date; NPWP: 15 digits; phones: Indonesian mobiles) and unique.
"""

from decimal import Decimal

DEFAULT_PASSWORD = "demo-password-1"

BRANCHES = [("JKT01", "Jakarta Sudirman"), ("BDG01", "Bandung Dago")]

USERS = [
    {"username": "admin", "role": "admin", "full_name": "Administrator"},
    {
        "username": "spv.jkt",
        "role": "supervisor",
        "full_name": "Rina Wijaya",
        "supervises": ["JKT01"],
    },
    {
        "username": "ao.budi",
        "role": "officer",
        "full_name": "Budi Santoso",
        "branch_code": "JKT01",
        "officer_code": "AO001",
    },
    {
        "username": "ao.sari",
        "role": "officer",
        "full_name": "Sari Lestari",
        "branch_code": "JKT01",
        "officer_code": "AO002",
    },
    {
        "username": "ao.dewi",
        "role": "officer",
        "full_name": "Dewi Kartika",
        "branch_code": "BDG01",
        "officer_code": "AO101",
    },
]

# code, name, kind, credit subtype, description
PRODUCTS = [
    ("KMK", "Kredit Modal Kerja", "credit", "working_capital", "Kredit modal kerja untuk usaha."),
    ("KI", "Kredit Investasi", "credit", "investment", "Kredit investasi untuk mesin, gedung."),
    ("KUR", "Kredit Usaha Rakyat", "credit", "kur", "Kredit usaha mikro bersubsidi pemerintah."),
    ("KPR", "Kredit Pemilikan Rumah", "credit", "mortgage", "Kredit pemilikan rumah."),
    ("KKB", "Kredit Kendaraan Bermotor", "credit", "vehicle", "Kredit mobil dan sepeda motor."),
    ("MULTIGUNA", "Kredit Multiguna", "credit", "personal", "Kredit serbaguna bagi karyawan."),
    ("TABUNGAN", "Tabungan", "deposit", None, "Rekening tabungan."),
    ("DEPOSITO", "Deposito Berjangka", "deposit", None, "Deposito berjangka 1 sampai 12 bulan."),
    ("GIRO", "Giro", "deposit", None, "Rekening giro untuk badan usaha."),
    ("MBANKING", "Mobile Banking", "service", None, "Aplikasi mobile banking."),
]
# The deposit products' kind of funds (products.deposit_type).
DEPOSIT_TYPES = {"TABUNGAN": "tabungan", "DEPOSITO": "deposito", "GIRO": "giro"}
CREDIT_CODES = frozenset(code for code, _n, kind, *_rest in PRODUCTS if kind == "credit")

# Officer username → (number used in keys, NIK region code: province + regency).
OFFICERS = {"ao.budi": (1, "3174"), "ao.sari": (2, "3171"), "ao.dewi": (3, "3273")}

# type, segment, NIK birth (day, month, year; day + 40 for women), products held by hand
# (deposits, services), credit on the listing (product, plafond in juta, tenor in months).
CUSTOMERS = [
    ("individual", "micro", (12, 3, 78), ["TABUNGAN"], ("KUR", 80, 36)),
    ("individual", "small", (45, 7, 85), ["TABUNGAN", "MBANKING"], ("KMK", 400, 24)),
    ("company", "small", None, ["GIRO"], ("KMK", 900, 24)),
    ("individual", "consumer", (3, 11, 90), ["TABUNGAN"], ("KPR", 650, 180)),
    ("company", "medium", None, ["GIRO", "DEPOSITO"], ("KI", 3000, 84)),
    ("individual", "micro", (62, 1, 95), ["TABUNGAN"], None),
]
# The names of each officer's hand-entered customers (same order and gender as CUSTOMERS).
CUSTOMER_NAMES = {
    1: [
        "Ahmad Hidayat",
        "Siti Rahmawati",
        "CV Maju Bersama",
        "Agus Prasetyo",
        "PT Sinar Abadi",
        "Nur Aini",
    ],
    2: [
        "Darto Sugiarto",
        "Ratna Sari Dewi",
        "CV Karya Logam Utama",
        "Yoga Pratama",
        "PT Duta Kemas Indah",
        "Melati Anggraini",
    ],
    3: [
        "Ujang Sopian",
        "Euis Komalasari",
        "CV Parahyangan Tekstil",
        "Ridwan Hakim",
        "PT Priangan Boga Lestari",
        "Nenden Sukaesih",
    ],
}

# name, business, area, source, referrer (customer number or free text), target status,
# reason, product interest, credit need, days since collected, follow-up in days
PROSPECTS = [
    ("Joko Susilo", "Warung sembako", "Tebet", "walk_in", None, "new", None, "KUR", 25, 2, 0),
    (
        "Wati Kusuma",
        "Laundry",
        "Setiabudi",
        "referral",
        "Pak RT Haji Somad",
        "new",
        None,
        "KUR",
        15,
        6,
        -2,
    ),
    (
        "Hendra Gunawan",
        "Bengkel motor",
        "Kuningan",
        "event",
        None,
        "contacted",
        None,
        "KMK",
        150,
        12,
        3,
    ),
    ("Lina Marlina", "Katering", "Menteng", "referral", 1, "contacted", None, "KMK", 80, 9, 5),
    (
        "Rudi Hartono",
        "Toko bangunan",
        "Pancoran",
        "social_media",
        None,
        "interested",
        None,
        "KI",
        500,
        20,
        1,
    ),
    ("Dian Puspita", "Salon", "Tebet", "referral", 2, "interested", None, "KUR", 40, 18, -1),
    (
        "Bambang Irawan",
        "Percetakan",
        "Senayan",
        "existing_customer",
        None,
        "applied",
        None,
        "KMK",
        300,
        30,
        4,
    ),
    ("Yanti Susanti", "Toko kue", "Karet", "referral", 1, "won", None, "KUR", 60, 45, None),
    (
        "Eko Saputra",
        "Ojek online",
        "Mampang",
        "flyer",
        None,
        "rejected",
        "not_eligible",
        "KKB",
        120,
        35,
        None,
    ),
    (
        "Fitri Handayani",
        "Butik",
        "Blok M",
        "other",
        None,
        "lost",
        "chose_competitor",
        "KMK",
        200,
        40,
        None,
    ),
]

NOTES = {
    "rejected": "Penghasilan tidak dapat diverifikasi; belum punya izin usaha (NIB).",
    "lost": "Mengambil kredit modal kerja di bank lain dengan bunga lebih rendah.",
}
# The names (and areas) of the prospects of officers 2 and 3; officer 1's are in PROSPECTS.
PROSPECT_NAMES = {
    2: [
        "Sugeng Riyadi",
        "Tini Suhartini",
        "Irfan Hakim",
        "Sulastri Ningsih",
        "Made Arsana",
        "Lusi Oktaviani",
        "Gatot Subagyo",
        "Nia Kurniati",
        "Rizal Fahmi",
        "Anita Permatasari",
    ],
    3: [
        "Dadan Ramdani",
        "Iis Rohaeti",
        "Asep Saepudin",
        "Yeti Rohayati",
        "Engkos Kosasih",
        "Rina Nurhayati",
        "Usep Supriatna",
        "Dewi Sartika Putri",
        "Aep Saepuloh",
        "Lilis Suryani",
    ],
}
BANDUNG_AREAS = ("Dago", "Cihampelas", "Buah Batu", "Antapani", "Sukajadi", "Cicendo")

# prospect number or ("customer", number), product, place, outcome, days ago, explanation
INTRODUCTIONS = [
    (5, "KI", "client_office", "interested", 10, "Menjelaskan tenor, agunan dan suku bunga."),
    (6, "KUR", "phone", "needs_time", 5, "Menjelaskan syarat KUR dan bunga bersubsidi."),
    (("customer", 1), "MBANKING", "branch", "applied", 20, "Memperagakan aplikasi mobile banking."),
    (("customer", 4), "KKB", "phone", "not_interested", 8, "Menawarkan kredit mobil keluarga."),
]

STATUS_STEPS = {
    "new": [],
    "contacted": ["contacted"],
    "interested": ["contacted", "interested"],
    "applied": ["contacted", "interested", "applied"],
    "won": ["contacted", "interested", "applied"],
    "rejected": ["contacted", "rejected"],
    "lost": ["contacted", "interested", "lost"],
}


def nik(region: str, officer_no: int, birth: tuple[int, int, int], serial: int) -> str:
    """A valid NIK: region (4), district (2), birth day/month/year (6), serial (4)."""
    day, month, year = birth
    return f"{region}{officer_no:02d}{day:02d}{month:02d}{year:02d}{serial:04d}"


def customer_keys(officer_no: int, number: int) -> dict:
    """CIF, phone and NPWP of an officer's n-th demo customer."""
    return {
        "cif": f"001{officer_no:02d}{number:05d}",  # 10 digits: the bank's default CIF_PATTERN
        "phone": f"62813{officer_no}{number:07d}",
        "npwp": f"01{officer_no}{number:03d}456789000",
    }


def customer_name(officer_no: int, number: int) -> str:
    """Name of an officer's n-th hand-entered customer."""
    return CUSTOMER_NAMES[officer_no][number - 1]


def prospect_name(officer_no: int, number: int) -> str:
    """Name of an officer's n-th prospect (each officer has people of their own)."""
    if officer_no in PROSPECT_NAMES:
        return PROSPECT_NAMES[officer_no][number - 1]
    return PROSPECTS[number - 1][0]


def prospect_area(officer_no: int, number: int) -> str:
    """Area of an officer's n-th prospect: Jakarta's for the Jakarta officers, Bandung's else."""
    if officer_no == 3:
        return BANDUNG_AREAS[number % len(BANDUNG_AREAS)]
    return PROSPECTS[number - 1][2]


def prospect_phone(officer_no: int, number: int) -> str:
    """Phone (the natural key with the owner) of an officer's n-th demo prospect."""
    return f"62812{officer_no}{number:07d}"


def converted_cif(officer_no: int, number: int) -> str:
    """CIF given to a won demo prospect."""
    return f"001{officer_no:02d}9{number:04d}"


def credit_need(millions: int) -> Decimal:
    """An amount in millions of rupiah."""
    return Decimal(millions) * 1_000_000
