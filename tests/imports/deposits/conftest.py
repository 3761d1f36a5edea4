"""The deposits listing tests' officer and import, shared by their modules."""

import pytest

from tests.support import deposit_listings as D
from tests.support import listings as L


@pytest.fixture
def ao(world):
    """The officer code of ao.budi (JKT01); the deposit products (and KMK) in the catalogue."""
    D.catalogue()
    return world.officer.officer_code


@pytest.fixture
def load(tmp_path, world):
    """Import rows as a deposits listing (as the admin) and insist it succeeded."""
    return L.succeeding(D.Importer(tmp_path, world.admin))
