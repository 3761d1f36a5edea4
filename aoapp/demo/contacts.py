"""Demo follow-ups with the hand-entered customers and prospects, and complaints in every status.

Dates are relative to today, so the agenda has something overdue, something today and something
in the coming days whenever the demo is loaded. Natural keys never contain a date.
"""

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import current_app

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.common.workdays import add_working_days
from aoapp.complaints.models import Complaint
from aoapp.customers.models import Customer
from aoapp.demo import data
from aoapp.demo.collection import local_time
from aoapp.extensions import db
from aoapp.followups.models import FollowUpStatus
from aoapp.prospects.models import Prospect

# (party: "c" customer / "p" prospect, number), purpose, channel, days from today, time,
# outcome (None: still planned), notes.
CONTACTS = [
    (("c", 1), "relationship", "whatsapp", -60, None, "reached", "Ucapan selamat Lebaran; menanyakan rencana renovasi toko."),
    (("c", 2), "product_offer", "visit", -40, (10, 0), "interested", "Menawarkan mobile banking untuk pembayaran toko; minta diperagakan."),
    (("c", 5), "monitoring", "visit", -25, (9, 30), "reached", "Pabrik berjalan dua shift; agunan dalam kondisi baik."),
    (("c", 3), "document_request", "email", -15, None, "not_reached", "Meminta laporan keuangan tahun lalu; belum ada jawaban."),
    (("c", 3), "document_request", "whatsapp", -2, None, None, "Tagih laporan keuangan tahun lalu untuk review tahunan."),
    (("c", 2), "product_offer", "meeting", 0, (10, 0), None, "Peragaan mobile banking di toko."),
    (("c", 6), "relationship", "call", 1, (14, 0), None, "Telepon sambutan: tabungan dibuka bulan lalu."),
    (("c", 1), "complaint", "call", 1, None, None, "Telepon balik soal keluhan biaya yang terpotong."),
    (("c", 5), "monitoring", "visit", 3, (9, 0), None, "Kunjungan pemantauan triwulanan: stok dan agunan."),
    (("c", 4), "relationship", "call", 5, None, None, "Telepon ulang tahun KPR; tanyakan rencana membeli mobil."),
    (("p", 4), "relationship", "call", -9, None, "reached", "Memperkenalkan bank; usaha katering untuk dua kantor."),
    (("p", 6), "product_offer", "whatsapp", -5, None, "interested", "Mengirim brosur KUR; tertarik, masih pikir-pikir."),
    (("p", 1), "relationship", "call", 0, (11, 0), None, "Telepon pertama setelah datang langsung ke cabang."),
    (("p", 5), "product_offer", "visit", -1, (15, 0), None, "Presentasi kredit investasi di toko."),
    (("p", 3), "product_offer", "whatsapp", 2, None, None, "Kirim simulasi angsuran kredit modal kerja."),
    (("p", 7), "document_request", "whatsapp", 4, None, None, "Ambil NIB untuk kelengkapan pengajuan."),
]  # fmt: skip

# Per officer number: customer number, category, channel, priority, received days ago, status,
# description, text (the escalation reason or the resolution). Every complaint is its own.
COMPLAINTS = {
    1: [
        (1, "billing", "branch", "normal", 3, "open", "Biaya administrasi tabungan terpotong dua kali bulan ini.", None),
        (2, "interest_rate", "call", "high", 25, "in_progress", "Suku bunga KMK naik tanpa pemberitahuan tertulis.", None),
        (3, "collection_conduct", "whatsapp", "urgent", 8, "escalated", "Penagih pihak ketiga menelepon mitra usaha soal angsuran yang sudah dibayar.", "Perilaku penagih pihak ketiga; perlu keputusan supervisor."),
        (4, "service", "email", "low", 30, "resolved", "Menunggu 90 menit di cabang untuk rekening koran KPR.", "Rekening koran dikirim lewat email; sudah meminta maaf dan menjelaskan nomor antrean."),
        (5, "data", "letter", "normal", 60, "closed", "Alamat perusahaan di rekening koran masih alamat lama.", "Alamat diperbaiki di core banking; rekening koran baru dikirim."),
    ],
    2: [
        (1, "billing", "call", "normal", 3, "open", "Kartu debit dikenai biaya tahunan padahal dijanjikan gratis.", None),
        (2, "interest_rate", "branch", "high", 25, "in_progress", "Bunga KMK tidak turun setelah suku bunga acuan BI turun.", None),
        (3, "collection_conduct", "whatsapp", "urgent", 8, "escalated", "Penagih mengirim pesan ke karyawan CV soal angsuran pemilik.", "Penagih menghubungi pihak ketiga; supervisor memutuskan tindakannya."),
        (4, "service", "email", "low", 30, "resolved", "Permohonan perubahan tanggal angsuran KPR tidak dijawab dua minggu.", "Tanggal angsuran baru disetujui dan dikirim; nasabah sudah dihubungi."),
        (5, "data", "letter", "normal", 60, "closed", "Nama direktur di data perusahaan belum diperbarui.", "Akta perubahan diterima; data pengurus diperbarui."),
    ],
    3: [
        (1, "billing", "branch", "normal", 3, "open", "Transfer ke bank lain gagal tetapi saldo terpotong Rp 6.500.", None),
        (2, "interest_rate", "call", "high", 25, "in_progress", "Bunga KMK dihitung dari plafon, bukan dari baki debet.", None),
        (3, "collection_conduct", "whatsapp", "urgent", 8, "escalated", "Petugas datang menagih pukul 21.00 ke rumah pemilik CV, padahal angsuran lancar.", "Kunjungan di luar jam penagihan; perlu ditangani supervisor."),
        (4, "service", "email", "low", 30, "resolved", "Aplikasi mobile banking terkunci setelah ganti ponsel.", "Akses dibuka kembali di cabang; cara aktivasi sudah dijelaskan."),
        (5, "data", "letter", "normal", 60, "closed", "NPWP perusahaan di sistem salah satu digit.", "NPWP diperbaiki sesuai kartu; surat konfirmasi dikirim."),
    ],
}  # fmt: skip


def _customer(officer_no: int, number: int) -> Customer | None:
    cif = data.customer_keys(officer_no, number)["cif"]
    return db.session.scalar(sa.select(Customer).where(Customer.cif == cif))


def _prospect(officer: User, officer_no: int, number: int) -> Prospect | None:
    phone = data.prospect_phone(officer_no, number)
    stmt = sa.select(Prospect).where(Prospect.owner_id == officer.id, Prospect.phone == phone)
    return db.session.scalar(stmt)


def seed_contacts(rec, officer: User, officer_no: int, today: date) -> None:
    """Relationship, offer, monitoring and document follow-ups, done and planned."""
    for (kind, number), purpose, channel, offset, at, outcome, notes in CONTACTS:
        if kind == "c":
            party = _customer(officer_no, number)
            key = {"customer_id": party.id if party else None}
        else:
            party = _prospect(officer, officer_no, number)
            key = {"prospect_id": party.id if party else None}
        if party is None:
            continue
        day = today + timedelta(days=offset)
        values = {**key, "purpose": purpose, "channel": channel, "planned_date": day}
        values.update(notes=notes, planned_time=time(*at) if at else None)
        if outcome is not None:
            values.update(
                status=FollowUpStatus.DONE,
                outcome=outcome,
                done_at=local_time(day, *(at or (10, 0))),
            )
        rec.followup(officer, values)


def _complaint_values(officer: User, customer: Customer, row, today: date) -> dict:
    _n, category, channel, priority, ago, status, description, text = row
    received_day = today - timedelta(days=ago)
    received_at = local_time(received_day, 9, 15)
    due = add_working_days(received_day, current_app.config["COMPLAINT_DUE_WORKING_DAYS"])
    values = {
        "customer_id": customer.id,
        "officer_id": customer.officer_id or officer.id,
        "branch_id": customer.branch_id,
        "channel": channel,
        "category": category,
        "priority": priority,
        "description": description,
        "received_at": received_at,
        "due_date": due,
        "status": status,
        "created_by_id": officer.id,
        "created_at": received_at,
    }
    if status == "escalated":
        values.update(
            escalated_at=local_time(today - timedelta(days=2), 14),
            escalated_by_id=officer.id,
            escalation_reason=text,
        )
    if status in ("resolved", "closed"):
        values.update(
            resolution=text,
            resolved_at=local_time(received_day + timedelta(days=4), 16),
            resolved_by_id=officer.id,
        )
    if status == "closed":
        values["closed_at"] = local_time(received_day + timedelta(days=9), 11)
    return values


def seed_complaints(rec, officer: User, officer_no: int, today: date) -> None:
    """One complaint in each status; the in-progress one is past its due date."""
    for row in COMPLAINTS[officer_no]:
        customer = _customer(officer_no, row[0])
        if customer is None:
            continue
        exists = db.session.scalar(
            sa.select(Complaint.id).where(
                Complaint.customer_id == customer.id,
                Complaint.category == row[1],
                Complaint.description == row[6],
            )
        )
        if exists:
            rec.present["complaints"] += 1
            continue
        complaint = Complaint(**_complaint_values(officer, customer, row, today))
        db.session.add(complaint)
        audit.record(officer, complaint, "create", None, audit.snapshot(complaint))
        rec.created["complaints"] += 1
