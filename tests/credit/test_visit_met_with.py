"""Who was met on a monitoring visit: optional, trimmed, at most 120 characters; on the form,
the visit page, the customer page, the audit and the API."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError

from aoapp.audit.models import AuditEntry
from aoapp.common.dates import bank_today
from aoapp.credit.models import MonitoringVisit
from aoapp.credit.visits import services as service
from aoapp.credit.visits.schemas import VisitInputSchema
from aoapp.extensions import db
from tests.support import credit_visits as h
from tests.support.factories import make_customer

API = "/api/v1/monitoring-visits"
MET = "Bapak Darsono (pemilik)"


@pytest.fixture
def customer(world):
    return make_customer(world.officer, name="Toko Sumber Rejeki")


def _load(customer, **extra):
    return VisitInputSchema().load({"customer": customer.id, "risk_rating": "adequate", **extra})


class TestSchemaAndService:
    def test_trimmed_stored_and_audited(self, world, customer):
        data = _load(customer, met_with=f"  {MET}  ")
        assert data["met_with"] == MET
        visit = service.record_visit(h.user(world.officer), data)
        db.session.expire_all()
        assert db.session.get(MonitoringVisit, visit.id).met_with == MET
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "monitoringvisit", AuditEntry.entity_id == visit.id
            )
        )
        assert entry.after["met_with"] == MET

    def test_optional(self, world, customer):
        data = _load(customer)
        assert data["met_with"] == ""
        visit = service.record_visit(h.user(world.officer), data)
        assert visit.met_with == ""

    def test_120_characters_pass_121_are_refused_with_a_field_message(self, customer):
        assert _load(customer, met_with="x" * 120)["met_with"] == "x" * 120
        with pytest.raises(ValidationError) as refused:
            _load(customer, met_with="x" * 121)
        assert refused.value.messages == {"met_with": ["At most 120 characters."]}

    def test_a_correction_is_audited(self, world, customer):
        visit = h.visit(customer, world.officer, visit_date=bank_today(), met_with="istri debitur")
        service.update_visit(h.user(world.officer), visit, {"met_with": MET})
        entry = db.session.scalar(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "monitoringvisit",
                AuditEntry.entity_id == visit.id,
                AuditEntry.action == "update",
            )
        )
        assert (entry.before["met_with"], entry.after["met_with"]) == ("istri debitur", MET)


class TestPages:
    def _form(self, **overrides):
        data = {
            "facility": "",
            "visit_date": (bank_today() - timedelta(days=1)).isoformat(),
            "met_with": f" {MET} ",
            "risk_rating": "adequate",
        }
        data.update(overrides)
        return data

    def test_form_records_it_and_pages_show_it(self, client, auth, world, customer):
        auth.login("ao.budi")
        form = client.get(f"/visits/new?customer={customer.id}").get_data(as_text=True)
        assert 'name="met_with"' in form and "Who was met" in form
        assert 'placeholder="e.g. Mr Darsono (owner), the wife"' in form
        response = auth.post(f"/visits/new?customer={customer.id}", self._form())
        assert response.status_code == 302
        visit = db.session.scalar(sa.select(MonitoringVisit))
        assert visit.met_with == MET
        detail = client.get(f"/visits/{visit.id}").get_data(as_text=True)
        assert f'<dd class="col-sm-9" data-met-with>{MET}</dd>' in detail
        page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert "Who was met" in page and MET in page
        edit = client.get(f"/visits/{visit.id}/edit").get_data(as_text=True)
        assert f'value="{MET}"' in edit

    def test_too_long_is_shown_on_its_field(self, client, auth, world, customer):
        auth.login("ao.budi")
        response = auth.post(f"/visits/new?customer={customer.id}", self._form(met_with="x" * 121))
        assert response.status_code == 422
        assert "At most 120 characters." in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(MonitoringVisit.id))) == 0

    def test_indonesian_label_and_placeholder(self, client, auth, world, customer):
        h.user(world.officer).locale = "id"
        db.session.commit()
        auth.login("ao.budi")
        form = client.get(f"/visits/new?customer={customer.id}").get_data(as_text=True)
        assert "Yang ditemui" in form
        assert 'placeholder="mis. Bapak Darsono (pemilik), istri debitur"' in form


class TestApi:
    def test_round_trip(self, api, world, customer):
        client = api(world.officer)
        body = {
            "customer": customer.id,
            "visit_date": (bank_today() - timedelta(days=1)).isoformat(),
            "risk_rating": "weak",
            "met_with": "  istri debitur ",
        }
        response = client.post(API, json=body)
        assert response.status_code == 201, response.json
        url = f"{API}/{response.json['id']}"
        assert client.get(url).json["met_with"] == "istri debitur"
        assert client.patch(url, json={"met_with": MET}).json["met_with"] == MET
        assert client.get(url).json["met_with"] == MET

    def test_too_long_names_the_field(self, api, world, customer):
        body = {"customer": customer.id, "risk_rating": "weak", "met_with": "x" * 121}
        response = api(world.officer).post(API, json=body)
        assert response.status_code == 422
        errors = response.json["errors"]
        assert errors.get("json", errors)["met_with"] == ["At most 120 characters."]
