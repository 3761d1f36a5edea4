"""POST /api/v1/handovers and reading handovers back: the answer's shape, the change file's
URL and contents, scope (404 out of it), and refusals with field messages."""

import csv
import io

import pytest

from tests.handovers.conftest import TODAY
from tests.support.handovers import request

pytestmark = pytest.mark.today(TODAY)


def test_a_supervisor_hands_over_and_reads_the_change_file(api, world, book):
    client = api(world.supervisor)
    response = client.post(
        "/api/v1/handovers",
        json=request(world.officer, world.colleague, [book.shop, book.house], note="Pindah"),
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"id", "moved", "change_file"} and body["moved"] == 2
    assert body["change_file"] == f"/api/v1/handovers/{body['id']}/change-file"
    download = client.get(body["change_file"])
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [(r["cif"], r["account_no"]) for r in rows] == [
        ("0001001", "0100001"),
        ("0001001", "0200001"),
    ]
    assert {(r["old_officer_code"], r["new_officer_code"]) for r in rows} == {
        (world.officer.officer_code, world.colleague.officer_code)
    }
    detail = client.get(f"/api/v1/handovers/{body['id']}").json
    assert [(c["cif"], c["core_status"]) for c in detail["customers"]] == [
        ("0001003", "pending"),  # by name: Rumah Makan Ibu, Toko Maju
        ("0001001", "pending"),
    ]
    assert detail["followup_count"] == 1 and detail["note"] == "Pindah"
    listed = client.get("/api/v1/handovers").json
    assert [h["id"] for h in listed["items"]] == [body["id"]]


def test_out_of_scope_is_404_and_refusals_say_which_field(api, world, book):
    made = api(world.admin).post(
        "/api/v1/handovers", json=request(world.officer, world.colleague, [book.farm])
    )
    url = f"/api/v1/handovers/{made.json['id']}"
    other = api(world.bdg_supervisor)
    assert other.get(url).status_code == 404
    assert other.get(f"{url}/change-file").status_code == 404
    assert other.get("/api/v1/handovers").json["items"] == []
    assert api(world.officer).get(url).status_code == 404
    refused = other.post("/api/v1/handovers", json=request(world.officer, world.remote))
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"from_officer"}
    officer = api(world.officer).post(
        "/api/v1/handovers", json=request(world.officer, world.colleague)
    )
    assert officer.status_code == 403
    bad = api(world.admin).post(
        "/api/v1/handovers", json={"from_officer": world.officer.id, "to_officer": "x", "extra": 1}
    )
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"to_officer", "extra"}
