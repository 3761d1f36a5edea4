"""The targets page: the supervisor's bulk editor (save, errors beside cells, copy last month,
month navigation, closed months), the officer's read-only view, scoping and CSRF."""

import re
from datetime import date
from decimal import Decimal as D

import sqlalchemy as sa

from aoapp.audit.models import AuditEntry
from aoapp.extensions import db
from aoapp.targets import services
from aoapp.targets.models import Target
from tests.support.factories import make_target, make_user
from tests.support.targets import millions, october

METRICS = (
    "new_customers",
    "new_disbursement",
    "outstanding_growth",
    "max_npl_ratio",
    "followups_done",
    "introductions",
)


def month_code(month: date) -> str:
    return f"{month:%Y-%m}"


def grid(rows: list[tuple[object, dict]]) -> dict:
    """The grid's form fields: one row per (officer, {metric: text})."""
    data = {}
    for index, (officer, cells) in enumerate(rows):
        data[f"rows-{index}-officer_id"] = str(officer.id)
        for key in METRICS:
            data[f"rows-{index}-{key}"] = cells.get(key, "")
    return data


def targets() -> dict[str, Target]:
    db.session.expire_all()
    return {t.officer.username: t for t in db.session.scalars(sa.select(Target))}


def officer_rows(body: str) -> list[str]:
    return re.findall(r'<tr data-officer="([^"]+)"', body)


class TestSupervisorPage:
    def test_one_row_per_active_officer_of_the_branch_by_name(self, client, auth, world):
        make_user("ao.zaki", "officer", "JKT01").full_name = "Agus Zaki"
        retired = make_user("ao.pensiun", "officer", "JKT01")
        retired.active = False
        db.session.commit()
        auth.login("spv.jkt")
        response = client.get("/targets/")
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert officer_rows(body) == ["ao.zaki", "ao.budi", "ao.sari"]  # Agus, Ao.Budi, Ao.Sari
        assert services.month_label(services.current_month()) in body
        assert 'id="save-targets"' in body and 'id="copy-last-month"' in body
        assert 'href="/targets/"' in body  # the nav item

    def test_saving_the_grid(self, client, auth, world):
        make_target(world.colleague, services.current_month(), new_customers=2, introductions=9)
        auth.login("spv.jkt")
        month = month_code(services.current_month())
        data = grid(
            [
                (
                    world.officer,
                    {
                        "new_customers": "3",
                        "new_disbursement": "1.500.000.000",
                        "max_npl_ratio": "3,5",
                        "followups_done": "80",
                    },
                ),
                (world.colleague, {}),  # cleared
            ]
        )
        url = f"/targets/?month={month}&branch={world.jkt.id}"
        response = auth.post(url, data, follow_redirects=True)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "saved: 1 set, 0 changed, 1 cleared." in body
        saved = targets()
        assert list(saved) == ["ao.budi"]
        budi = saved["ao.budi"]
        assert (budi.new_customers, budi.new_disbursement, budi.max_npl_ratio) == (
            3,
            D("1500000000.00"),
            D("0.0350"),
        )
        assert (budi.followups_done, budi.outstanding_growth) == (80, None)
        assert 'value="1.500.000.000"' in body and 'value="3.5"' in body  # shown as typed
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) >= 2

    def test_a_wrong_cell_saves_nothing_and_is_marked_beside_the_field(self, client, auth, world):
        auth.login("spv.jkt")
        data = grid(
            [
                (world.officer, {"new_customers": "4", "max_npl_ratio": "120"}),
                (world.colleague, {"new_disbursement": "-5", "followups_done": "banyak"}),
            ]
        )
        response = auth.post("/targets/", data)
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Nothing was saved" in body
        for field, message in (
            ("rows-0-max_npl_ratio", "Must be at most 100 %."),
            ("rows-1-new_disbursement", "Must be zero or more."),
            ("rows-1-followups_done", "Not a number."),
        ):
            pattern = rf'class="[^"]*is-invalid[^"]*"[^>]*name="{field}"[^>]*>\s*<div class="invalid-feedback d-block">{re.escape(message)}</div>'
            assert re.search(pattern, body), field
        assert 'name="rows-0-new_customers" type="text" value="4"' in body  # entries kept
        assert targets() == {}

    def test_a_row_of_another_branch_is_refused(self, client, auth, world):
        auth.login("spv.jkt")
        data = grid([(world.officer, {"new_customers": "1"}), (world.remote, {})])
        assert auth.post("/targets/", data).status_code == 409
        assert targets() == {}

    def test_copy_last_month(self, client, auth, world):
        now = services.current_month()
        make_target(world.officer, services.add_months(now, -1), new_customers=3)
        make_target(world.colleague, services.add_months(now, -1), new_customers=4)
        make_target(world.colleague, now, new_customers=7)
        auth.login("spv.jkt")
        response = auth.post(f"/targets/copy?month={month_code(now)}", follow_redirects=True)
        body = response.get_data(as_text=True)
        assert "targets of 1 officer." in body
        db.session.expire_all()
        this_month = db.session.scalars(sa.select(Target).where(Target.month == now))
        assert {t.officer.username: t.new_customers for t in this_month} == {
            "ao.budi": 3,
            "ao.sari": 7,
        }
        again = auth.post(f"/targets/copy?month={month_code(now)}", follow_redirects=True)
        assert "Nothing copied" in again.get_data(as_text=True)

    def test_month_navigation(self, client, auth, world):
        auth.login("spv.jkt")
        body = client.get("/targets/?month=2027-01").get_data(as_text=True)
        assert "January 2027" in body
        assert f'href="/targets/?month=2026-12&amp;branch={world.jkt.id}"' in body
        assert f'href="/targets/?month=2027-02&amp;branch={world.jkt.id}"' in body

    def test_a_bad_month_falls_back_to_this_month_with_a_warning(self, client, auth, world):
        auth.login("spv.jkt")
        for month in ("2026-13", "9999-12", "0000-01", "oktober"):
            body = client.get(f"/targets/?month={month}").get_data(as_text=True)
            assert "is not a month" in body
            assert services.month_label(services.current_month()) in body

    def test_a_closed_month_is_read_only(self, client, auth, world):
        closed = services.add_months(services.current_month(), -2)
        make_target(world.officer, closed, new_disbursement=millions(500), max_npl_ratio=D("0.04"))
        auth.login("spv.jkt")
        body = client.get(f"/targets/?month={month_code(closed)}").get_data(as_text=True)
        assert "is closed" in body and 'id="save-targets"' not in body
        assert 'name="rows-0-new_customers"' not in body  # values as text, no inputs
        assert "IDR 500,000,000" in body and "4.00 %" in body
        response = auth.post(
            f"/targets/?month={month_code(closed)}",
            grid([(world.officer, {"new_customers": "1"})]),
        )
        assert response.status_code == 422
        assert "can no longer be changed" in response.get_data(as_text=True)
        assert targets()["ao.budi"].new_customers is None

    def test_achievement_so_far(self, client, auth, world):
        book = october(world)
        make_target(
            book.budi,
            date(2026, 10, 1),
            new_customers=4,
            new_disbursement=millions(250),
            outstanding_growth=millions(500),
            max_npl_ratio=D("0.0500"),
            followups_done=3,
            introductions=4,
        )
        make_target(
            book.sari,
            date(2026, 10, 1),
            new_customers=1,
            outstanding_growth=millions(200),
            max_npl_ratio=D("0.0300"),
            followups_done=2,
            introductions=0,
        )
        auth.login("spv.jkt")
        body = client.get("/targets/?month=2026-10").get_data(as_text=True)
        rows = dict(re.findall(r'<tr[^>]*data-officer="([^"]+)"(.*?)</tr>', body, re.S))
        # the hand-computed figures of tests/targets/test_achievement.py
        assert 'data-overall="0.6771"' in rows["ao.budi"]
        assert 'data-overall="0.9000"' in rows["ao.sari"]
        assert 'data-overall="0.7229"' in rows["total"]
        assert re.search(r'data-achievement="0.5624"', rows["ao.budi"])  # the NPL ceiling
        assert 'so far <span class="money">IDR 300,000,000</span>' in rows["ao.budi"]
        assert "from the listing of Oct 31, 2026" in body


class TestScope:
    def test_a_supervisor_cannot_open_another_branch(self, client, auth, world):
        auth.login("spv.jkt")
        assert client.get(f"/targets/?branch={world.bdg.id}").status_code == 404
        assert client.get("/targets/?branch=abc").status_code == 404
        url = f"/targets/?branch={world.bdg.id}"
        assert auth.post(url, grid([(world.remote, {"new_customers": "1"})])).status_code == 404
        assert auth.post(f"/targets/copy?branch={world.bdg.id}").status_code == 404
        assert targets() == {}

    def test_an_admin_sets_any_branch(self, client, auth, world):
        auth.login("admin")
        body = client.get(f"/targets/?branch={world.bdg.id}").get_data(as_text=True)
        assert officer_rows(body) == ["ao.dewi"]
        url = f"/targets/?branch={world.bdg.id}"
        response = auth.post(url, grid([(world.remote, {"introductions": "12"})]))
        assert response.status_code == 302
        assert targets()["ao.dewi"].introductions == 12

    def test_an_officer_sees_only_their_own_targets_read_only(self, client, auth, world):
        now = services.current_month()
        make_target(world.officer, now, new_customers=5)
        make_target(world.colleague, now, new_customers=8)
        auth.login("ao.budi")
        response = client.get("/targets/")
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert officer_rows(body) == ["ao.budi"]
        assert 'data-target="5"' in body and 'id="save-targets"' not in body
        assert 'href="/targets/"' not in body  # no nav item for officers
        own = grid([(world.officer, {"new_customers": "9"})])
        assert auth.post("/targets/", own).status_code == 403
        assert auth.post("/targets/copy").status_code == 403
        assert targets()["ao.budi"].new_customers == 5


class TestCsrf:
    def test_a_post_without_the_token_is_refused(self, client, auth, world):
        auth.login("spv.jkt")
        response = client.post("/targets/", data=grid([(world.officer, {"new_customers": "1"})]))
        assert response.status_code == 400
        assert client.post("/targets/copy").status_code == 400
        assert targets() == {}
