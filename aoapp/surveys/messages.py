"""The WhatsApp message that carries a survey's link: polite Indonesian, the customer's language
with the bank (as the agenda's messages), naming the bank and nothing of the customer's affairs."""

from datetime import date

from aoapp.common.identity import whatsapp_url
from aoapp.surveys.models import Reason

ABOUT = {
    Reason.COMPLAINT_RESOLVED: "penanganan pengaduan Bapak/Ibu",
    Reason.VISIT: "kunjungan kami",
    Reason.RENEWAL: "proses perpanjangan fasilitas Bapak/Ibu",
}
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def invitation_text(bank_name: str, reason: str, url: str, until: date) -> str:
    """The message: what the survey is about, its link, and the last day it is open."""
    about = ABOUT.get(reason, ABOUT[Reason.VISIT])
    day = f"{until.day} {MONTHS[until.month - 1]} {until.year}"
    return (
        f"Yth. Bapak/Ibu, terima kasih telah menjadi nasabah {bank_name}. Kami ingin mengetahui "
        f"pendapat Bapak/Ibu tentang {about}. Mohon luangkan waktu kurang dari satu menit untuk "
        f"mengisi survei singkat berikut: {url} (berlaku sampai {day}). Terima kasih."
    )


def whatsapp_link(phone: str | None, text: str) -> str | None:
    """wa.me link to the customer's number (62…) with the message; None without a number."""
    return whatsapp_url(phone, text) if phone else None
