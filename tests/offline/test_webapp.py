"""The installable web app's server side: manifest, service worker, queue page, what the pages
give the offline scripts, and logout clearing the phone."""

import html
import json
import re

from tests.support import followups as h

OFFLINE_ENTRY = re.compile(r'name="offline_entry" value="([^"]+)"')
WARM = re.compile(r"id=\"offline-warm\" hidden data-urls='([^']+)'")


class TestInstallable:
    def test_the_manifest_opens_the_agenda_with_the_apps_icons(self, client):
        response = client.get("/manifest.webmanifest")
        assert response.status_code == 200
        assert response.mimetype == "application/manifest+json"
        manifest = response.json
        assert (manifest["name"], manifest["start_url"], manifest["display"]) == (
            "aoapp",
            "/agenda/",
            "standalone",
        )
        assert manifest["theme_color"] == "#0d6efd"
        sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
        assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
        for icon in manifest["icons"]:
            assert client.get(icon["src"]).status_code == 200

    def test_the_service_worker_is_served_from_the_root(self, client):
        response = client.get("/sw.js")
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert response.headers["Service-Worker-Allowed"] == "/"
        script = response.get_data(as_text=True)
        assert re.search(r'var VERSION = "[0-9a-f]{12}";', script)
        assert 'importScripts("/static/offline/queue-store.js");' in script
        for asset in re.search(r"var ASSETS = (\[.*?\]);", script).group(1).strip("[]").split(","):
            assert client.get(json.loads(asset)).status_code == 200, asset

    def test_pages_name_their_user_and_load_the_offline_scripts(self, client, auth, world):
        assert "X-Aoapp-User" not in client.get("/login").headers
        auth.login("ao.budi")
        page = client.get("/agenda/")
        assert page.headers["X-Aoapp-User"] == str(world.officer.id)
        text = page.get_data(as_text=True)
        assert f'<meta name="aoapp-user" content="{world.officer.id}">' in text
        assert 'rel="manifest" href="/manifest.webmanifest"' in text
        assert 'id="queue-indicator" href="/offline/queue" hidden' in text
        assert "X-Aoapp-User" not in client.get("/static/app.css").headers


class TestTheQueueSide:
    def test_the_queue_page_and_the_session_for_its_sends(self, client, auth, world):
        assert client.get("/offline/session").status_code == 302  # to the login page
        auth.login("ao.budi")
        assert 'id="offline-queue"' in client.get("/offline/queue").get_data(as_text=True)
        state = client.get("/offline/session").json
        assert state["user"] == world.officer.id and len(state["csrf_token"]) > 20

    def test_the_outcome_form_carries_what_the_queue_needs(self, client, auth, world):
        _customer, facility = h.debtor(world.officer, name="Toko Sinar")
        call = h.followup(world.officer, facility=facility)
        auth.login("ao.budi")
        page = client.get(f"/followups/{call.id}/complete?next=/agenda/").get_data(as_text=True)
        assert 'name="idempotency_key" value="" data-offline-key' in page
        entry = json.loads(html.unescape(OFFLINE_ENTRY.search(page).group(1)))
        assert entry["user"] == world.officer.id
        assert entry["api"] == f"/api/v1/followups/{call.id}/complete"
        assert entry["record_api"] == f"/api/v1/followups/{call.id}"
        assert entry["back"] == "/agenda/"
        assert entry["label"] == "Outcome · Toko Sinar · Collection"
        assert entry["labels"]["outcome"] == "Outcome"
        assert entry["choices"]["outcome"]["promised_to_pay"] == "Promised to pay"
        assert entry["choices"]["status"]["done"] == "Done"
        assert entry["resend_if"] == {"status": "planned"}

    def test_the_visit_form_queues_to_the_visits_api_with_its_customer(self, client, auth, world):
        customer, _facility = h.debtor(world.officer)
        auth.login("ao.budi")
        page = client.get(f"/visits/new?customer={customer.id}").get_data(as_text=True)
        entry = json.loads(html.unescape(OFFLINE_ENTRY.search(page).group(1)))
        assert entry["api"] == "/api/v1/monitoring-visits"
        assert entry["extra"] == {"customer": customer.id}
        assert entry["result_url"] == "/visits/{id}"
        assert entry["files_api"] == "/api/v1/monitoring-visits/{id}/photos"

    def test_the_agenda_lists_todays_and_overdue_pages_to_save(self, client, auth, world):
        customer, facility = h.debtor(world.officer)
        today = h.followup(world.officer, facility=facility)
        late = h.followup(world.officer, customer=customer, planned_date=h.days(-2))
        later = h.followup(world.officer, customer=customer, planned_date=h.days(3))
        auth.login("ao.budi")
        page = client.get("/agenda/").get_data(as_text=True)
        urls = json.loads(html.unescape(WARM.search(page).group(1)))
        for followup in (today, late):
            assert f"/followups/{followup.id}/complete?next=/agenda/" in urls
            assert f"/followups/{followup.id}" in urls
        assert f"/followups/{later.id}" not in urls  # the next 7 days wait for their day
        assert {"/agenda/", "/offline/queue", f"/customers/{customer.id}"} <= set(urls)
        assert f"/visits/new?customer={customer.id}" in urls
        assert len(urls) == len(set(urls))


def test_logging_out_clears_the_phones_copies(client, auth, world):
    auth.login("ao.budi")
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"storage"'  # not "cache": nothing is cached
    assert response.headers["Cache-Control"] == "no-store"
