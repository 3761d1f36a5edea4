"""Customers API: list (scoped, filtered, paginated), create, read, update, reassign, holdings."""

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from aoapp.common.schemas import page_schema
from aoapp.customers import held, services
from aoapp.customers.schemas import (
    CustomerDetailSchema,
    CustomerFilterSchema,
    CustomerInputSchema,
    CustomerPatchSchema,
    CustomerSchema,
    HoldingsSchema,
    ReassignSchema,
)

customers_blp = Blueprint(
    "customers_api", __name__, url_prefix="/customers", description="Customers"
)

CustomerPageSchema = page_schema(CustomerSchema, "CustomerPage")


@customers_blp.route("")
class Customers(MethodView):
    """The customers the caller may see."""

    decorators = [login_required]

    @customers_blp.arguments(CustomerFilterSchema, location="query", unknown=RAISE)
    @customers_blp.response(200, CustomerPageSchema)
    def get(self, filters):
        """List customers (filters: segment, officer, customer_type, q; sort; page, per_page)."""
        return services.list_customers(current_user, filters, filters["per_page"])

    @customers_blp.arguments(CustomerInputSchema)
    @customers_blp.response(201, CustomerSchema)
    def post(self, data):
        """Enter a customer by hand (officers; assigned to the caller)."""
        return services.create_customer(current_user, data)


@customers_blp.route("/<id:customer_id>")
class CustomerResource(MethodView):
    """One customer."""

    decorators = [login_required]

    @customers_blp.response(200, CustomerDetailSchema)
    def get(self, customer_id):
        """Read a customer, with its debtor Kol (`collectibility`) and its facilities."""
        return services.get_customer_detail(current_user, customer_id)

    @customers_blp.arguments(CustomerPatchSchema(partial=True), required=False)
    @customers_blp.response(200, CustomerSchema)
    def patch(self, data, customer_id):
        """Change some of a customer's fields (the assigned officer only)."""
        customer = services.get_customer(current_user, customer_id)
        return services.update_customer(current_user, customer, data)


@customers_blp.route("/<id:customer_id>/reassign")
class CustomerReassign(MethodView):
    """Move a customer to another officer of its branch."""

    decorators = [login_required]

    @customers_blp.arguments(ReassignSchema)
    @customers_blp.response(200, CustomerSchema)
    def post(self, data, customer_id):
        """Reassign to `officer` (an officer id; supervisors of the branch and admins)."""
        customer = services.get_customer(current_user, customer_id)
        return services.reassign(current_user, customer, data["officer"])


@customers_blp.route("/<id:customer_id>/holdings")
class CustomerHoldings(MethodView):
    """What one customer holds."""

    decorators = [login_required]

    @customers_blp.response(200, HoldingsSchema)
    def get(self, customer_id):
        """What the customer holds now: active facilities (`loan_listing`), open deposit accounts
        (`deposit_listing`) and products no listing covers, recorded by hand (`manual`)."""
        return {"items": held.customer_holdings(current_user, customer_id)}
