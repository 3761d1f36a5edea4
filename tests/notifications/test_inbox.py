"""The bell and the notifications page and API: each user's own notifications only, texts in
the reader's language, marked read with CSRF-protected forms (or the API)."""

import re

from tests.support import digest as d
from tests.support.i18n import speak_indonesian


def bell(page: str) -> str | None:
    """The unread count under the bell, if shown."""
    found = re.search(r'class="badge[^"]*unread-count">([^<]+)<', page)
    return found.group(1) if found else None


class TestTheBellAndThePage:
    def test_the_bell_counts_my_unread_and_the_page_shows_them_in_my_language(
        self, client, auth, world
    ):
        d.notification(world.officer)
        d.notification(world.officer, sections=(("today_followups", 1),))
        d.notification(world.colleague)
        auth.login("ao.budi")
        page = client.get("/dashboard/").get_data(as_text=True)
        assert bell(page) == "2"
        assert 'aria-label="Notifications: 2 unread"' in page
        listed = client.get("/notifications/").get_data(as_text=True)
        assert listed.count('id="notification-') == 2
        assert "Daily digest, Dec 8, 2026" in listed
        assert "2 overdue follow-ups · 1 promise broken" in listed
        speak_indonesian(auth)
        listed = client.get("/notifications/").get_data(as_text=True)
        assert "Ringkasan harian, 8 Des 2026" in listed
        assert "2 tindak lanjut terlambat · 1 janji bayar diingkari" in listed
        assert 'aria-label="Notifikasi: 2 belum dibaca"' in listed

    def test_marking_read_one_then_all(self, client, auth, world):
        first = d.notification(world.officer)
        d.notification(world.officer)
        auth.login("ao.budi")
        opened = auth.post(f"/notifications/{first.id}/read", {"open": "1"})
        assert opened.status_code == 302 and opened.headers["Location"].endswith("/agenda/")
        assert bell(client.get("/notifications/").get_data(as_text=True)) == "1"
        assert auth.post("/notifications/read-all").status_code == 302
        page = client.get("/notifications/").get_data(as_text=True)
        assert bell(page) is None and "Mark all as read" not in page

    def test_changes_need_the_csrf_token_and_my_own_notification(self, client, auth, world):
        mine = d.notification(world.officer)
        theirs = d.notification(world.colleague)
        auth.login("ao.budi")
        assert client.post(f"/notifications/{mine.id}/read").status_code == 400
        assert client.post("/notifications/read-all").status_code == 400
        assert auth.post(f"/notifications/{theirs.id}/read").status_code == 404
        auth.post("/notifications/read-all")  # mine only
        assert d.notifications(world.colleague)[0].read_at is None
        assert d.notifications(world.officer)[0].read_at is not None


class TestTheApi:
    def test_my_notifications_with_the_unread_count_in_the_asked_language(self, api, world):
        first = d.notification(world.supervisor, sections=(("escalations", 3),))
        d.notification(world.officer)
        me = api(world.supervisor)
        listed = me.get("/api/v1/notifications", headers={"Accept-Language": "id"}).json
        assert listed["unread"] == 1 and listed["total"] == 1
        [item] = listed["items"]
        assert item["title"] == "Ringkasan harian, 8 Des 2026"
        assert item["body"] == "3 eskalasi menunggu"
        assert (item["endpoint"], item["bank_day"], item["unread"]) == (
            "agenda.team",
            "2026-12-08",
            True,
        )
        read = me.post(f"/api/v1/notifications/{first.id}/read")
        assert read.status_code == 200 and read.json["unread"] is False
        assert me.get("/api/v1/notifications", query_string={"unread": "true"}).json["total"] == 0
        assert me.post("/api/v1/notifications/read-all").json == {"unread": 0}

    def test_another_users_notification_is_not_found(self, api, world):
        theirs = d.notification(world.officer)
        admin = api(world.admin)  # not even an admin reads another's
        assert admin.post(f"/api/v1/notifications/{theirs.id}/read").status_code == 404
        assert admin.get("/api/v1/notifications").json["items"] == []
