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
    ("KMK", "Kredit Modal Kerja", "credit", "working_capital", "Working capital loan."),
    ("KI", "Kredit Investasi", "credit", "investment", "Investment loan for machines, premises."),
    ("KUR", "Kredit Usaha Rakyat", "credit", "kur", "Government-subsidised micro business loan."),
    ("KPR", "Kredit Pemilikan Rumah", "credit", "mortgage", "Home mortgage."),
    ("KKB", "Kredit Kendaraan Bermotor", "credit", "vehicle", "Car and motorbike loan."),
    ("MULTIGUNA", "Kredit Multiguna", "credit", "personal", "Personal loan for employees."),
    ("TABUNGAN", "Tabungan", "deposit", None, "Savings account."),
    ("DEPOSITO", "Deposito Berjangka", "deposit", None, "Time deposit, 1 to 12 months."),
    ("GIRO", "Giro", "deposit", None, "Current account for businesses."),
    ("MBANKING", "Mobile Banking", "service", None, "Mobile banking application."),
]

# Officer username → (number used in keys, NIK region code: province + regency).
OFFICERS = {"ao.budi": (1, "3174"), "ao.sari": (2, "3171"), "ao.dewi": (3, "3273")}

# name, type, segment, NIK birth (day, month, year; day + 40 for women), products held
CUSTOMERS = [
    ("Ahmad Hidayat", "individual", "micro", (12, 3, 78), ["TABUNGAN", "KUR"]),
    ("Siti Rahmawati", "individual", "small", (45, 7, 85), ["TABUNGAN", "KMK", "MBANKING"]),
    ("CV Maju Bersama", "company", "small", None, ["GIRO", "KMK"]),
    ("Agus Prasetyo", "individual", "consumer", (3, 11, 90), ["TABUNGAN", "KPR"]),
    ("PT Sinar Abadi", "company", "medium", None, ["GIRO", "KI", "DEPOSITO"]),
    ("Nur Aini", "individual", "micro", (62, 1, 95), ["TABUNGAN"]),
]

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
    "rejected": "Income could not be verified; no business licence yet.",
    "lost": "Took a working capital loan from another bank at a lower rate.",
}

# prospect number or ("customer", number), product, place, outcome, days ago, explanation
INTRODUCTIONS = [
    (5, "KI", "client_office", "interested", 10, "Explained tenor, collateral and the rate."),
    (6, "KUR", "phone", "needs_time", 5, "Explained KUR eligibility and the subsidised rate."),
    (("customer", 1), "MBANKING", "branch", "applied", 20, "Showed the mobile banking app."),
    (("customer", 4), "KKB", "phone", "not_interested", 8, "Offered a car loan for the family."),
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


def prospect_phone(officer_no: int, number: int) -> str:
    """Phone (the natural key with the owner) of an officer's n-th demo prospect."""
    return f"62812{officer_no}{number:07d}"


def converted_cif(officer_no: int, number: int) -> str:
    """CIF given to a won demo prospect."""
    return f"001{officer_no:02d}9{number:04d}"


def credit_need(millions: int) -> Decimal:
    """An amount in millions of rupiah."""
    return Decimal(millions) * 1_000_000
