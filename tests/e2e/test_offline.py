"""A day without signal, in a real browser: the agenda opened online is saved on the phone; two
outcomes and a visit logged offline wait in the queue, arrive once each when the signal returns,
and the queue says when; a record changed meanwhile is shown as a conflict to resolve; logging
out leaves nothing on the phone."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from aoapp.audit.models import AuditEntry
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits.models import VisitPhoto
from aoapp.extensions import db
from aoapp.followups.models import FollowUp, PromiseToPay
from aoapp.offline.models import IdempotencyKey
from tests.support import followups as h
from tests.support import photos
from tests.support.browser import sign_in

STORAGE = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map(d => d.name),
})"""

# Every entry of the queue is sent: what the logout checks before it asks anything.
ALL_SENT = "async user => (await AoQueue.all(user)).every(entry => entry.status === 'sent')"
QUEUE_STATE = """async user => ({
  entries: typeof AoQueue === "undefined"
    ? null : (await AoQueue.all(user)).map(entry => [entry.kind, entry.status]),
  forgotten: document.documentElement.getAttribute("data-offline-forgotten"),
})"""


def open_agenda_online(page, base: str, username: str = "ao.budi", saved: int = 6) -> None:
    """Sign in and open the agenda: the service worker saves the day's pages."""
    sign_in(page, base, username)
    page.goto(f"{base}/agenda/")
    ready = page.locator("html[data-offline-ready]")
    expect(ready).to_have_count(1, timeout=15000)
    assert int(ready.get_attribute("data-offline-ready")) >= saved  # agenda, queue, forms…


def log_out_from_the_menu(page) -> None:
    """Open the phone's menu and tap "Log out" once the menu has finished opening: while it
    slides open (Bootstrap's `collapsing`), a tap can land beside the moving button, and on a
    busy machine Playwright's click did (no submit, no logout: seen in CI)."""
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav.collapse.show")).to_be_visible()
    page.get_by_role("button", name="Log out").click()


def log_outcome(page, base: str, call, outcome: str, **fields) -> None:
    """Open the saved outcome form of `call` (from the agenda) and save it."""
    page.goto(f"{base}/followups/{call.id}/complete?next=/agenda/")
    expect(page.locator(".offline-copy")).to_be_visible()  # the copy saved this morning
    page.select_option("#outcome", outcome)
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    page.get_by_role("button", name="Save outcome").click()
    page.wait_for_url(re.compile(r".*/agenda/\?queued=.*"))
    expect(page.locator(".offline-queued")).to_be_visible()


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def completions(followup) -> int:
    return count(
        AuditEntry,
        AuditEntry.entity_type == "followup",
        AuditEntry.entity_id == followup.id,
        AuditEntry.action == "complete",
    )


class TestADayWithoutSignal:
    def test_logged_offline_sent_once_when_the_signal_returns_then_logout_clears(
        self, live_server, phone, world
    ):
        customer, facility = h.debtor(world.officer, name="Toko Sinar Terang")
        collection = h.followup(world.officer, facility=facility, channel="visit")
        other, _facility = h.debtor(world.officer, name="UD Makmur")
        relationship = h.followup(world.officer, customer=other, planned_date=h.days(-1))
        context = phone.context
        open_agenda_online(phone, live_server)
        expect(phone.locator("#queue-indicator")).to_be_hidden()  # nothing logged yet

        context.set_offline(True)
        promised = h.days(5)
        log_outcome(
            phone,
            live_server,
            collection,
            "promised_to_pay",
            notes="Janji bayar setelah panen",
            promised_amount="750,000",
            promised_date=promised.isoformat(),
        )
        log_outcome(phone, live_server, relationship, "reached", notes="Usaha lancar")
        # The agenda saved this morning marks what waits in the queue.
        for call in (collection, relationship):
            card = phone.locator(f"article[data-kind='follow_up'][data-id='{call.id}']")
            expect(card.locator(".offline-in-queue")).to_have_text("in the queue")
        phone.goto(f"{live_server}/visits/new?customer={customer.id}")
        phone.select_option("#risk_rating", "adequate")
        phone.fill("#findings", "Stok cukup, toko ramai")
        shop_front = {"name": "toko.jpg", "mimeType": "image/jpeg", "buffer": photos.camera_jpeg()}
        phone.set_input_files("#photos", files=[shop_front])
        phone.wait_for_function("document.querySelector('#photos').dataset.shrunk === '1'")
        phone.get_by_role("button", name="Save").click()
        phone.wait_for_url(re.compile(rf".*/customers/{customer.id}\?queued=.*"))
        expect(phone.locator("#queue-indicator")).to_have_text("Queue (3)")
        width, inner = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width <= inner  # the header keeps the phone's width with the button shown
        assert count(FollowUp, FollowUp.status == "done") == count(MonitoringVisit) == 0

        phone.goto(f"{live_server}/offline/queue")
        expect(phone.locator(".queue-entry")).to_have_count(3)
        expect(phone.locator(".queue-entry .queue-status")).to_have_text(["waiting"] * 3)

        context.set_offline(False)  # the signal returns: the page sends the queue
        expect(phone.locator("#queue-indicator")).to_have_text("Queue (0)", timeout=15000)
        phone.reload()
        statuses = phone.locator(".queue-entry .queue-status")
        expect(statuses).to_have_count(3)
        for text in statuses.all_inner_texts():
            assert re.fullmatch(r"sent at \d\d[.:]\d\d( [AP]M)?", text), text
        visit = phone.locator(".queue-entry[data-kind='visit-record'] a")
        expect(visit).to_have_attribute("href", re.compile(r"/visits/\d+$"))

        assert completions(collection) == completions(relationship) == 1
        promise = db.session.scalar(sa.select(PromiseToPay))
        assert (str(promise.promised_amount), promise.promised_date) == ("750000.00", promised)
        assert count(MonitoringVisit, MonitoringVisit.findings == "Stok cukup, toko ramai") == 1
        # The photo went after its visit, shrunk on the phone to the long side's 1,600 px.
        [photo] = db.session.scalars(sa.select(VisitPhoto)).all()
        assert max(photo.width, photo.height) == 1600
        assert count(IdempotencyKey) == 4  # two outcomes, the visit, its photo

        # Sent again (the phone was not sure the first send arrived): answered, not logged twice.
        phone.evaluate(
            """async user => {
              for (const entry of await AoQueue.all(user)) {
                entry.status = "waiting"; entry.result = null; await AoQueue.put(user, entry);
              }
              await AoQueue.sendAll(user);
            }""",
            str(world.officer.id),
        )
        assert completions(collection) == completions(relationship) == 1
        assert count(MonitoringVisit) == 1 and count(VisitPhoto) == 1

        # Nothing waits (a send the page started on its own has ended): logout asks nothing.
        expect(phone.locator("#queue-indicator")).to_have_text("Queue (0)", timeout=15000)
        phone.wait_for_function(ALL_SENT, arg=str(world.officer.id), timeout=15000)
        before = phone.evaluate(STORAGE)
        assert any(name.startswith("aoapp-pages-u") for name in before["caches"])
        assert before["databases"] == [f"aoapp-queue-u{world.officer.id}"]
        asked = []  # a question would stop the logout (Playwright dismisses it)
        phone.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        log_out_from_the_menu(phone)
        try:
            phone.wait_for_url("**/login")
        except PlaywrightTimeout:  # seen now and then in CI: say what the page was doing
            state = phone.evaluate(QUEUE_STATE, str(world.officer.id))
            pytest.fail(f"no logout: asked {asked}, at {phone.url}, queue {state}")
        assert asked == []
        assert phone.evaluate(STORAGE) == {"caches": [], "databases": []}

    def test_a_logout_does_not_wait_on_storage_that_never_answers(self, live_server, phone, world):
        """A database held open elsewhere can hold its deletion back: the logout goes on after
        its limit (offline.js LOGOUT_WAIT_MS), and the saved pages are gone all the same."""
        open_agenda_online(phone, live_server, saved=2)  # the agenda and the queue
        assert any(name.startswith("aoapp-pages-u") for name in phone.evaluate(STORAGE)["caches"])
        phone.evaluate("indexedDB.deleteDatabase = () => ({})")  # a request that never ends
        log_out_from_the_menu(phone)
        phone.wait_for_url("**/login", timeout=15000)
        assert phone.evaluate(STORAGE)["caches"] == []

    def test_a_record_changed_meanwhile_is_shown_as_a_conflict_to_resolve(
        self, live_server, phone, world
    ):
        _customer, facility = h.debtor(world.officer, name="CV Berkah")
        call = h.followup(world.officer, facility=facility)
        open_agenda_online(phone, live_server)
        phone.context.set_offline(True)
        log_outcome(phone, live_server, call, "not_reached", notes="Tidak diangkat")
        # Meanwhile the officer's laptop moved the call: its version is now 2.
        db.session.execute(
            sa.update(FollowUp)
            .where(FollowUp.id == call.id)
            .values(version=FollowUp.version + 1, planned_date=h.days(0) + timedelta(0))
        )
        db.session.commit()

        phone.context.set_offline(False)
        phone.goto(f"{phone.url.split('/agenda')[0]}/offline/queue")
        entry = phone.locator(".queue-entry")
        expect(entry.locator(".queue-status")).to_have_text("conflict", timeout=15000)
        expect(entry.locator(".queue-message")).to_contain_text("changed by someone else")
        assert (
            "Not reached" in entry.locator(f"#yours-{entry.get_attribute('data-key')}").inner_text()
        )
        now = entry.locator(".queue-compare dl").nth(1).inner_text()
        assert "Planned" in now
        assert entry.get_by_role("link", name="Open the record").get_attribute("href") == (
            f"/followups/{call.id}"
        )
        assert completions(call) == 0

        entry.get_by_role("button", name="Send again on the current version").click()
        expect(entry.locator(".queue-status")).to_have_text(re.compile(r"^sent at "))
        db.session.expire_all()
        done = db.session.get(FollowUp, call.id)
        assert (done.status, done.outcome, done.version) == ("done", "not_reached", 3)
        assert completions(call) == 1

        # The session ends without a logout; a colleague logs in on the same phone: the first
        # page of hers drops every page saved for him.
        phone.context.clear_cookies()
        open_agenda_online(phone, live_server, "ao.sari", saved=2)  # her agenda and queue
        caches = phone.evaluate(STORAGE)["caches"]
        assert f"aoapp-pages-u{world.colleague.id}" in caches
        assert not [name for name in caches if name == f"aoapp-pages-u{world.officer.id}"]
        expect(phone.locator("#queue-indicator")).to_be_hidden()  # his queue is not hers
