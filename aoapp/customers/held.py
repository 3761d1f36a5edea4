"""Products held: what a customer holds (customers.holdings, read for the API) and the products
the assigned officer records by hand (only those no listing covers); each change one transaction."""

from flask_babel import gettext as _

from aoapp.audit import services as audit
from aoapp.common.transaction import unit_of_work
from aoapp.customers.holdings import Holding, holdings, is_covered
from aoapp.customers.models import Customer, ProductHolding
from aoapp.customers.services import get_customer, require_officer_owner
from aoapp.errors import Conflict, InvalidInput, NotFound
from aoapp.extensions import db
from aoapp.products.services import active_product


def customer_holdings(actor, customer_id) -> list[Holding]:
    """What a customer the user may see holds now (customers.holdings), or NotFound."""
    return holdings(get_customer(actor, customer_id))


@unit_of_work()
def add_holding(actor, customer: Customer, data: dict) -> ProductHolding:
    """Record a product the customer holds that no listing covers (assigned officer), audited:
    credit and deposits are the listings' alone."""
    require_officer_owner(actor, customer)
    values = dict(data)
    product = active_product(values.pop("product"))
    if is_covered(product):
        message = _(
            "%(product)s comes from the core-banking listings: record by hand only products "
            "no listing covers.",
            product=product.name,
        )
        raise InvalidInput(message, {"product": [message]})
    if any(h.product_id == product.id for h in customer.holdings):
        raise Conflict(
            _(
                "%(customer)s already holds %(product)s.",
                customer=customer.name,
                product=product.name,
            ),
            {"product": [_("The customer already holds this product.")]},
        )
    holding = ProductHolding(customer_id=customer.id, product_id=product.id, **values)
    db.session.add(holding)
    audit.record(actor, holding, "create", None, audit.snapshot(holding))
    return holding


@unit_of_work()
def remove_holding(actor, customer: Customer, holding_id: int) -> None:
    """Remove a hand record made by mistake, or one a listing now covers (assigned officer),
    audited."""
    require_officer_owner(actor, customer)
    holding = next((h for h in customer.holdings if h.id == holding_id), None)
    if holding is None:
        raise NotFound()
    audit.record(actor, holding, "delete", audit.snapshot(holding), None)
    customer.holdings.remove(holding)
