"""The API's money field rounds half-up to two places, as DOMAIN.md requires."""

from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError

from aoapp.common.schemas import Money


class AmountSchema(Schema):
    amount = Money()


@pytest.mark.parametrize(
    ("sent", "loaded"),
    [
        ("1000000.005", Decimal("1000000.01")),  # half-even would give .00
        ("0.125", Decimal("0.13")),
        ("0.124", Decimal("0.12")),
        ("1500000", Decimal("1500000.00")),
    ],
)
def test_amounts_round_half_up(sent, loaded):
    assert AmountSchema().load({"amount": sent})["amount"] == loaded


def test_negative_amounts_are_refused():
    with pytest.raises(ValidationError) as error:
        AmountSchema().load({"amount": "-1"})
    assert error.value.messages == {"amount": ["Must be zero or more."]}
