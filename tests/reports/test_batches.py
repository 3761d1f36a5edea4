"""Customer reports above the page's inline limit are made in the background (RQ on the local
Redis): the batch is recorded and audited, its status endpoint shows the progress to its owner
only, and links to the reports once the jobs have run."""

from datetime import timedelta

import sqlalchemy as sa
from rq import SimpleWorker
from rq.utils import utcformat

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import utcnow
from aoapp.extensions import db
from aoapp.reports import batches
from aoapp.reports.models import ReportBatch
from tests.reports.conftest import PERIOD, report_rows
from tests.support.html import html_id_problems
from tests.support.i18n import speak_indonesian


def _queue_branch(app, auth, world, monkeypatch):
    """spv.jkt (logged in) asks for the 4 customer reports of JKT01 with an inline limit of 2."""
    monkeypatch.setitem(app.config, "REPORTS_WEB_INLINE_LIMIT", 2)
    return auth.post(
        "/reports/generate",
        {
            "kind": "customer",
            "scope": f"branch:{world.jkt.id}",
            "period_kind": "month",
            "month": PERIOD,
        },
    )


def _batches() -> list[ReportBatch]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ReportBatch).order_by(ReportBatch.id)))


def _work(queue) -> None:
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


class TestQueuedFromThePage:
    def test_the_batch_is_queued_audited_and_shown(
        self, app, client, auth, book, world, redis_queue, monkeypatch
    ):
        auth.login("spv.jkt")
        response = _queue_branch(app, auth, world, monkeypatch)
        assert response.status_code == 302
        (batch,) = _batches()
        assert response.headers["Location"].endswith(f"/reports/#batch-{batch.id}")
        assert (batch.user_id, batch.period, batch.scope, batch.branch_id, batch.total) == (
            world.supervisor.id,
            PERIOD,
            "branch",
            world.jkt.id,
            4,
        )
        assert redis_queue.count == 4 and report_rows() == []
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.entity_type == "reportbatch")
        )
        assert entry.action == "create" and entry.after["total"] == 4
        assert entry.actor_id == world.supervisor.id

        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "4 customer reports of June 2024 are being made in the background" in html
        assert f'id="batch-{batch.id}"' in html and "0 of 4 reports made…" in html
        assert f'href="/reports/batches/{batch.id}"' in html  # the page without JavaScript
        assert html_id_problems(html) == []

        status = client.get(f"/reports/batches/{batch.id}/status").get_json()
        assert (status["done"], status["total"], status["percent"]) == (0, 4, 0)
        assert status["finished"] is False and status["links"] == []

        # The same request while it runs queues nothing more.
        again = _queue_branch(app, auth, world, monkeypatch)
        assert again.status_code == 302 and len(_batches()) == 1 and redis_queue.count == 4

    def test_the_worker_makes_the_reports_and_the_status_links_to_them(
        self, app, client, auth, book, world, redis_queue, monkeypatch
    ):
        auth.login("spv.jkt")
        _queue_branch(app, auth, world, monkeypatch)
        (batch,) = _batches()
        _work(redis_queue)

        assert len(report_rows()) == 4
        status = client.get(f"/reports/batches/{batch.id}/status").get_json()
        assert (status["done"], status["failed"], status["percent"]) == (4, 0, 100)
        assert status["finished"] is True
        assert status["text"] == "Finished: 4 of 4 reports made."
        urls = [link["url"] for link in status["links"]]
        query = f"period={PERIOD}&kind=customer&branch_id={world.jkt.id}"
        assert urls == [f"/reports/?{query}", f"/reports/zip?{query}"]
        listed = client.get(urls[0]).get_data(as_text=True)
        assert listed.count('data-report="') == 4

        page = client.get(f"/reports/batches/{batch.id}").get_data(as_text=True)
        assert 'http-equiv="refresh"' not in page and f'href="/reports/?{query}' in page.replace(
            "&amp;", "&"
        )

    def test_a_batch_is_its_owners_only(
        self, app, client, auth, book, world, redis_queue, monkeypatch
    ):
        auth.login("spv.jkt")
        _queue_branch(app, auth, world, monkeypatch)
        (batch,) = _batches()
        page = client.get(f"/reports/batches/{batch.id}").get_data(as_text=True)
        assert 'http-equiv="refresh"' in page  # refreshes itself while the jobs run
        assert html_id_problems(page) == []
        auth.logout()
        for username in ("ao.budi", "spv.bdg", "admin"):
            auth.login(username)
            assert client.get(f"/reports/batches/{batch.id}/status").status_code == 404
            assert client.get(f"/reports/batches/{batch.id}").status_code == 404
            auth.logout()


class TestCounting:
    def test_each_job_counts_itself_and_the_last_closes_the_batch(self, world):
        batch = ReportBatch(
            user_id=world.supervisor.id, period=PERIOD, scope="bank", lang="en", total=3
        )
        db.session.add(batch)
        db.session.commit()
        batches.count_job(batch.id, made=True)
        batches.count_job(batch.id, made=False)
        status = batches.get_batch(world.supervisor, batch.id)
        assert (status.done, status.failed, status.finished, status.percent) == (1, 1, False, 66)
        batches.count_job(batch.id, made=True)
        status = batches.get_batch(world.supervisor, batch.id)
        assert (status.done, status.failed, status.finished, status.percent) == (2, 1, True, 100)

    def test_a_failing_job_is_counted_failed_and_stays_failed_on_the_queue(
        self, app, book, world, redis_queue
    ):
        batch = ReportBatch(user_id=world.admin.id, period=PERIOD, scope="bank", lang="en", total=1)
        db.session.add(batch)
        db.session.commit()
        redis_queue.enqueue(batches.run_batch_job, batch.id, 999999, PERIOD)  # no such customer
        _work(redis_queue)
        status = batches.get_batch(world.admin, batch.id)
        assert (status.done, status.failed, status.finished) == (0, 1, True)
        assert redis_queue.failed_job_registry.count == 1


def _age(batch_id: int, minutes: float) -> None:
    """The batch's last sign of life, `minutes` ago."""
    db.session.execute(
        sa.update(ReportBatch)
        .where(ReportBatch.id == batch_id)
        .values(heartbeat_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


STOPPED = (
    "Stopped: the worker stopped responding after {done} of {total} reports were made. "
    "Generate them again to make the rest."
)


class TestStoppedBatches:
    """A batch whose workers died (killed, or Redis emptied) is shown stopped after
    REPORTS_BATCH_STALE_MINUTES (5) without a sign of life, and can be asked for again."""

    def test_jobs_no_worker_runs_stop_the_batch_and_it_can_be_asked_again(
        self, app, client, auth, book, world, redis_queue, monkeypatch
    ):
        auth.login("spv.jkt")
        _queue_branch(app, auth, world, monkeypatch)
        (batch,) = _batches()
        _age(batch.id, 4)
        assert client.get(f"/reports/batches/{batch.id}/status").get_json()["finished"] is False
        _age(batch.id, 6)
        status = client.get(f"/reports/batches/{batch.id}/status").get_json()
        assert (status["finished"], status["stopped"], status["links"]) == (True, True, [])
        assert status["text"] == STOPPED.format(done=0, total=4)
        page = client.get(f"/reports/batches/{batch.id}").get_data(as_text=True)
        assert 'http-equiv="refresh"' not in page and "progress-bar bg-danger" in page

        again = _queue_branch(app, auth, world, monkeypatch)
        assert again.status_code == 302 and len(_batches()) == 2 and redis_queue.count == 8

    def test_a_job_killed_in_its_run_stops_the_batch_once_the_others_have_run(
        self, client, auth, world
    ):
        batch = ReportBatch(
            user_id=world.supervisor.id, period=PERIOD, scope="bank", lang="en", total=3
        )
        db.session.add(batch)
        db.session.commit()
        batches.count_job(batch.id, made=True)
        batches.count_job(batch.id, made=True)  # the third job's worker was killed
        _age(batch.id, 6)
        auth.login("spv.jkt")
        status = client.get(f"/reports/batches/{batch.id}/status").get_json()
        assert (status["stopped"], status["done"], status["percent"]) == (True, 2, 66)
        assert status["text"] == STOPPED.format(done=2, total=3)
        assert [link["label"] for link in status["links"]] == [
            "Open the reports",
            "Download all (ZIP)",
        ]
        index = client.get("/reports/").get_data(as_text=True)
        assert STOPPED.format(done=2, total=3) in index
        speak_indonesian(auth)
        assert client.get(f"/reports/batches/{batch.id}/status").get_json()["text"] == (
            "Berhenti: pekerja latar berhenti merespons setelah 2 dari 3 laporan dibuat. "
            "Buat laporannya lagi untuk membuat sisanya."
        )

    def test_jobs_waiting_for_a_live_worker_keep_the_batch_a_dead_worker_does_not(
        self, app, client, auth, book, world, redis_queue, monkeypatch
    ):
        auth.login("spv.jkt")
        _queue_branch(app, auth, world, monkeypatch)
        (batch,) = _batches()
        _age(batch.id, 6)
        worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
        worker.register_birth()  # busy elsewhere: alive, its heartbeat fresh
        try:
            status = client.get(f"/reports/batches/{batch.id}/status").get_json()
            assert status["finished"] is False
            dead_since = utcnow() - timedelta(minutes=6)
            redis_queue.connection.hset(worker.key, "last_heartbeat", utcformat(dead_since))
            assert client.get(f"/reports/batches/{batch.id}/status").get_json()["stopped"]
        finally:
            worker.register_death()

    def test_each_job_renews_the_heartbeat_as_it_starts_and_as_it_counts(
        self, app, world, monkeypatch
    ):
        batch = ReportBatch(user_id=world.admin.id, period=PERIOD, scope="bank", lang="en", total=2)
        db.session.add(batch)
        db.session.commit()
        _age(batch.id, 4)
        seen = []

        def generate(customer_id, period_code, force, lang):
            seen.append(utcnow() - batches.get_batch(world.admin, batch.id).heartbeat_at)
            return None

        monkeypatch.setattr(batches, "generate_customer_report_job", generate)
        batches.run_batch_job(batch.id, 1, PERIOD)
        assert seen[0] < timedelta(seconds=5)  # renewed before the report is made
        _age(batch.id, 4)
        batches.count_job(batch.id, made=False)
        assert utcnow() - batches.get_batch(world.admin, batch.id).heartbeat_at < timedelta(
            seconds=5
        )
