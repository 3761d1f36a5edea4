"""One-tap contact links of the agenda: a `tel:` link and WhatsApp with a polite Indonesian text.

A collection follow-up offers them only inside the collection window in the customer's local time
(or the hours the customer agreed to): outside it the item carries the refusal (`item.collection`:
why, and the next allowed time) and no links (POJK 22/2023 art. 62(2)).
"""

from datetime import datetime
from urllib.parse import quote

from aoapp.common.dates import bank_now
from aoapp.common.money import format_idr
from aoapp.customers.consent import contact_state
from aoapp.followups.models import Purpose

# What the officer writes, by purpose; {greeting} {name} {officer} {bank} {account} are filled in.
BODIES = {
    Purpose.COLLECTION: (
        "kami dari {bank} ingin mengingatkan tunggakan angsuran kredit Anda{account} yang sudah "
        "jatuh tempo. Mohon kesediaan Bapak/Ibu untuk segera melakukan pembayaran.{promise} "
        "Apabila sudah membayar, mohon abaikan pesan ini. Terima kasih."
    ),
    Purpose.PRODUCT_OFFER: (
        "saya {officer} dari {bank}. Kami ingin menyampaikan penawaran produk yang mungkin sesuai "
        "dengan kebutuhan Bapak/Ibu. Kapan waktu yang tepat bagi kami untuk menjelaskannya? "
        "Terima kasih."
    ),
    Purpose.RELATIONSHIP: (
        "saya {officer} dari {bank}. Semoga Bapak/Ibu sekeluarga dalam keadaan sehat. Apakah ada "
        "yang dapat kami bantu terkait layanan perbankan Bapak/Ibu? Terima kasih."
    ),
    Purpose.RETENTION: (
        "saya {officer} dari {bank}. Terima kasih atas kepercayaan Bapak/Ibu menyimpan dana di "
        "bank kami. Kami ingin menyampaikan penawaran terbaik untuk simpanan Bapak/Ibu. Kapan "
        "waktu yang tepat bagi kami untuk menghubungi Bapak/Ibu? Terima kasih."
    ),
    Purpose.COMPLAINT: (
        "saya {officer} dari {bank}. Kami ingin menindaklanjuti pengaduan yang Bapak/Ibu "
        "sampaikan dan mohon maaf atas ketidaknyamanannya. Kapan kami dapat menghubungi "
        "Bapak/Ibu? Terima kasih."
    ),
    Purpose.DOCUMENT_REQUEST: (
        "saya {officer} dari {bank}. Kami mohon bantuan Bapak/Ibu untuk melengkapi dokumen yang "
        "diperlukan untuk fasilitas kredit Anda{account}. Dokumen dapat dikirim melalui WhatsApp "
        "ini atau kami ambil langsung. Terima kasih."
    ),
    Purpose.MONITORING: (
        "saya {officer} dari {bank}. Kami berencana melakukan kunjungan monitoring ke usaha "
        "Bapak/Ibu dalam waktu dekat. Mohon informasikan waktu yang sesuai. Terima kasih."
    ),
}


def greeting(now: datetime | None = None) -> str:
    """Selamat pagi/siang/sore/malam by the hour in the bank's time zone."""
    hour = (now or bank_now()).hour
    if 4 <= hour < 11:
        return "pagi"
    if 11 <= hour < 15:
        return "siang"
    if 15 <= hour < 18:
        return "sore"
    return "malam"


def whatsapp_text(item, officer_name: str, bank_name: str, now: datetime | None = None) -> str:
    """The pre-filled WhatsApp message for an agenda item, chosen by its purpose."""
    body = BODIES.get(item.purpose, BODIES[Purpose.RELATIONSHIP])
    account = f" (rekening {item.facility.account_no})" if item.facility else ""
    promise = ""
    if item.promise is not None and item.promise.state == "pending":
        promise = (
            f" Sesuai janji Bapak/Ibu, pembayaran sebesar {format_idr(item.promise.amount)} "
            f"pada tanggal {item.promise.promised_date.strftime('%d/%m/%Y')}."
        )
    text = body.format(bank=bank_name, officer=officer_name, account=account, promise=promise)
    return f"Selamat {greeting(now)} Bapak/Ibu {item.party_name}, {text}"


def contact_links(item, officer_name: str, bank_name: str, now: datetime | None = None) -> dict:
    """`tel` and `whatsapp` URLs of the item's party (empty when no phone is known, and for a
    collection follow-up outside the collection window: `item.collection` says why)."""
    if item.collection_customer is not None:
        item.collection = contact_state(item.collection_customer, now)
        if not item.collection.allowed:
            return {}
    if not item.phone:
        return {}
    text = whatsapp_text(item, officer_name, bank_name, now)
    return {
        "tel": f"tel:+{item.phone}",
        "whatsapp": f"https://wa.me/{item.phone}?text={quote(text)}",
    }


def add_links(agenda, officer_name: str, bank_name: str, now: datetime | None = None):
    """Attach the contact links to every item of an agenda; returns the agenda."""
    for _code, _title, items in agenda.groups():
        for item in items:
            item.links = contact_links(item, officer_name, bank_name, now)
    return agenda
