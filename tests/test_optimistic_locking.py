"""Concurrent edits of the same prospect or customer: the second save is refused, nothing lost."""

import re

import pytest
import sqlalchemy as sa

from aoapp.customers import services as customer_services
from aoapp.customers.models import Customer
from aoapp.errors import Conflict
from aoapp.extensions import db
from aoapp.prospects import services as prospect_services
from aoapp.prospects.models import Prospect
from tests.prospects.conftest import form_data as prospect_form
from tests.support.customers import form_data as customer_form
from tests.support.factories import make_customer, make_prospect

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')
STALE = "Someone else changed this"


def _version_in(page: str) -> int:
    return int(VERSION_RE.search(page).group(1))


def _bump(model, record_id: int, **values) -> None:
    """Another user's save, committed in its own transaction."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(model)
            .where(model.id == record_id)
            .values(version=model.version + 1, **values)
        )


@pytest.mark.parametrize("kind", ["customer", "prospect"])
class TestEditForms:
    def _setup(self, kind, world):
        if kind == "customer":
            record = make_customer(world.officer, name="Old Name")
            url = f"/customers/{record.id}/edit"
            data = customer_form(cif=record.cif, nik=record.nik, name="Mine")
            return Customer, record, url, data
        record = make_prospect(world.officer, name="Old Name")
        return Prospect, record, f"/prospects/{record.id}/edit", prospect_form(name="Mine")

    def test_second_save_is_refused_and_both_versions_survive(self, client, auth, world, kind):
        model, record, url, data = self._setup(kind, world)
        record_id = record.id
        auth.login("ao.budi")
        opened = _version_in(client.get(url).get_data(as_text=True))
        assert opened == 1
        _bump(model, record_id, name="Theirs")  # a colleague's save lands first

        response = auth.post(url, {**data, "version": str(opened)})

        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert STALE in page
        assert 'value="Mine"' in page  # the officer's entries are kept in the form
        assert _version_in(page) == 2  # saving again is a deliberate save on the current data
        db.session.expire_all()
        assert db.session.get(model, record_id).name == "Theirs"

        again = auth.post(url, {**data, "version": "2"})
        assert again.status_code == 302
        db.session.expire_all()
        stored = db.session.get(model, record_id)
        assert (stored.name, stored.version) == ("Mine", 3)

    def test_save_on_the_current_version_goes_through(self, client, auth, world, kind):
        model, record, url, data = self._setup(kind, world)
        auth.login("ao.budi")
        version = _version_in(client.get(url).get_data(as_text=True))
        assert auth.post(url, {**data, "version": str(version)}).status_code == 302
        db.session.expire_all()
        assert db.session.get(model, record.id).version == version + 1


class TestApi:
    def test_customer_patch_with_a_stale_version_is_409(self, api, world):
        customer = make_customer(world.officer, name="Old Name")
        _bump(Customer, customer.id, name="Theirs")
        response = api(world.officer).patch(
            f"/api/v1/customers/{customer.id}", json={"name": "Mine", "version": 1}
        )
        assert response.status_code == 409
        assert STALE in response.json["errors"]["version"][0]
        db.session.expire_all()
        assert db.session.get(Customer, customer.id).name == "Theirs"

        ok = api(world.officer).patch(
            f"/api/v1/customers/{customer.id}", json={"name": "Mine", "version": 2}
        )
        assert ok.status_code == 200 and ok.json["version"] == 3

    def test_prospect_patch_with_a_stale_version_is_409(self, api, world):
        prospect = make_prospect(world.officer, name="Old Name")
        _bump(Prospect, prospect.id, name="Theirs")
        response = api(world.officer).patch(
            f"/api/v1/prospects/{prospect.id}", json={"name": "Mine", "version": 1}
        )
        assert response.status_code == 409
        assert "version" in response.json["errors"]
        ok = api(world.officer).patch(
            f"/api/v1/prospects/{prospect.id}", json={"name": "Mine", "version": 2}
        )
        assert ok.status_code == 200 and ok.json["version"] == 3


class TestRaceBetweenReadAndWrite:
    """Both saves passed the version check; the database refuses the later UPDATE."""

    def test_customer(self, world):
        customer = make_customer(world.officer, name="Old Name")
        db.session.refresh(customer)
        _bump(Customer, customer.id, name="Theirs")  # lands after our read, before our write
        with pytest.raises(Conflict) as refused:
            customer_services.update_customer(world.officer, customer, {"name": "Mine"})
        assert "version" in refused.value.errors
        db.session.expire_all()
        assert db.session.get(Customer, customer.id).name == "Theirs"

    def test_prospect(self, world):
        prospect = make_prospect(world.officer, name="Old Name")
        db.session.refresh(prospect)
        _bump(Prospect, prospect.id, name="Theirs")
        with pytest.raises(Conflict):
            prospect_services.update_prospect(world.officer, prospect, {"name": "Mine"})
        db.session.expire_all()
        assert db.session.get(Prospect, prospect.id).name == "Theirs"
