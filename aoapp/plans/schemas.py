"""Account plan schemas: the plan as the API and the form send it (one set of rules), and as the
API answers it (each goal with its kind, target, current value and state)."""

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from aoapp.common.schemas import BaseSchema, Money, Text, Typed, Version, choice
from aoapp.customers.holdings import CATEGORIES
from aoapp.plans.models import GoalKind, GoalState, NeedTag

MAX_GOALS = 6  # a plan fits on one phone screen
MAX_PRODUCTS = 6
MAX_DPD = 999
# Dates as people write them: 31/12/2026, 31-12-2026, 31.12.2026 (and ISO, as the API sends).
PEOPLES_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class PlanDay(fields.Date):
    """A date: ISO from the API; from the form also day/month/year (31/12/2026)."""

    reads_typed = True

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, Typed) and not value.strip():  # a blank form field
            if self.allow_none:
                return None
            raise ValidationError(_("This field is required."))
        if isinstance(value, Typed) and (found := PEOPLES_DATE.match(value.strip())):
            day, month, year = (int(part) for part in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValidationError(_("Not a valid date.")) from None
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(_("Not a valid date (use DD/MM/YYYY).")) from None


def _target(kind: str, value) -> dict:
    """The goal's target read by its kind (InvalidInput-like ValidationError on `target`)."""
    blank = value is None or (isinstance(value, str) and not value.strip())
    if kind == GoalKind.ACTION:
        return {}
    if blank:
        raise ValidationError({"target": [_("Give the goal's target.")]})
    if kind in (GoalKind.OUTSTANDING_AT_LEAST, GoalKind.DPK_AT_LEAST):
        try:
            amount = Money()._deserialize(value, "target", {})
        except ValidationError as error:
            raise ValidationError({"target": error.messages}) from None
        if amount <= 0:
            raise ValidationError({"target": [_("The target must be more than zero.")]})
        return {"amount": amount}
    if kind == GoalKind.MAX_DPD:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or int(text) > MAX_DPD:
            message = _("Give the most days past due allowed, 0 to %(most)s.", most=MAX_DPD)
            raise ValidationError({"target": [message]})
        return {"dpd": int(text)}
    if not isinstance(value, str):
        raise ValidationError({"target": [_("Give a product code or a kind of product.")]})
    text = value.strip()
    if text.lower() in CATEGORIES:
        return {"category": text.lower()}
    return {"product_code": text.upper()}


class AccountPlanGoalInputSchema(BaseSchema):
    """One goal: its kind, target (by kind), due date, and for an action its text and mark."""

    kind = choice(GoalKind, required=True)
    target = fields.Raw(
        load_default=None,
        allow_none=True,
        metadata={
            "type": "string",
            "description": (
                "outstanding_at_least, dpk_at_least: an amount in rupiah (a decimal string, "
                'e.g. "2000000000"); max_dpd: the most days past due allowed ("30"); '
                'holds_product: a product code ("GIRO-BIZ") or a kind of product (giro, '
                "tabungan, deposito, credit, service); action: not used."
            ),
        },
    )
    due_date = PlanDay(load_default=None, allow_none=True)
    text = Text(max_length=200, load_default=None, allow_none=True)
    done = fields.Boolean(load_default=False)

    @validates_schema
    def _action_text(self, data, **_kwargs):
        if data.get("kind") == GoalKind.ACTION and not data.get("text"):
            raise ValidationError({"text": [_("Say what will be done.")]})

    @post_load
    def _read_target(self, data, **_kwargs):
        values = {"amount": None, "dpd": None, "category": None, "product_code": None}
        values |= _target(data["kind"], data.pop("target", None))
        if data["kind"] != GoalKind.ACTION:
            data["done"] = False
        return {**data, **values, "text": data.get("text") or ""}


class AccountPlanInputSchema(BaseSchema):
    """The current year's plan as sent: it replaces the stored one whole (goals, products)."""

    needs = Text(max_length=1000, load_default="", allow_none=True)
    need_tags = fields.List(
        choice(NeedTag), load_default=list, validate=validate.Length(max=len(NeedTag))
    )
    risks = Text(max_length=1000, load_default="", allow_none=True)
    next_step = Text(max_length=500, load_default="", allow_none=True)
    review_months = fields.Integer(
        load_default=3,
        validate=validate.Range(min=1, max=12, error=_l("Review every 1 to 12 months.")),
        metadata={"description": "Months between reviews (default 3: quarterly)."},
    )
    next_review_date = PlanDay(
        load_default=None,
        allow_none=True,
        metadata={"description": "Default: the last review (or the plan's start) plus cadence."},
    )
    products = fields.List(
        fields.String(validate=validate.Length(max=20)),
        load_default=list,
        validate=validate.Length(max=MAX_PRODUCTS),
        metadata={"description": "Codes of the products the plan means to offer."},
    )
    goals = fields.List(
        fields.Nested(AccountPlanGoalInputSchema),
        load_default=list,
        validate=validate.Length(max=MAX_GOALS),
    )
    version = Version()

    @post_load
    def _clean(self, data, **_kwargs):
        for name in ("needs", "risks", "next_step"):
            data[name] = data.get(name) or ""
        data["need_tags"] = sorted(set(data["need_tags"]), key=list(NeedTag).index)
        data["products"] = list(dict.fromkeys(code.strip().upper() for code in data["products"]))
        return data


class AccountPlanCommentInputSchema(BaseSchema):
    """A supervisor's comment on a plan."""

    text = Text(required=True, max_length=1000)


# --- Answers ------------------------------------------------------------------------------------


class AccountPlanGoalSchema(BaseSchema):
    """A goal with its computed progress."""

    kind = choice(GoalKind)
    target = fields.String(
        allow_none=True,
        metadata={"description": "Amount (decimal string), DPD limit, product code or kind."},
    )
    current = fields.String(
        allow_none=True,
        metadata={
            "description": (
                "Today's value: an amount (decimal string), the worst DPD now, held or "
                "not_held (holds_product), done or not_done (action)."
            )
        },
    )
    state = choice(GoalState)
    due_date = fields.Date()
    as_of = fields.Date(allow_none=True, metadata={"description": "The listing read."})
    text = fields.String()
    done = fields.Boolean()


class AccountPlanIntroductionSchema(BaseSchema):
    """An introduction made for a planned product."""

    id = fields.Integer()
    introduced_on = fields.Date()
    outcome = fields.String()


class AccountPlanProductSchema(BaseSchema):
    """A planned product and the introductions made of it to the customer."""

    code = fields.String()
    name = fields.String()
    held = fields.Boolean()
    introductions = fields.List(fields.Nested(AccountPlanIntroductionSchema))


class AccountPlanCommentSchema(BaseSchema):
    """A supervisor's comment."""

    id = fields.Integer()
    author = fields.String()
    text = fields.String()
    created_at = fields.DateTime()


class AccountPlanSchema(BaseSchema):
    """The customer's current plan, goals with their progress."""

    id = fields.Integer()
    customer_id = fields.Integer()
    year = fields.Integer()
    starts_on = fields.Date()
    needs = fields.String()
    need_tags = fields.List(fields.String())
    risks = fields.String()
    next_step = fields.String()
    review_months = fields.Integer()
    next_review_date = fields.Date()
    last_reviewed_on = fields.Date(allow_none=True)
    review_overdue = fields.Boolean()
    review_follow_up_id = fields.Integer(allow_none=True)
    goals = fields.List(fields.Nested(AccountPlanGoalSchema))
    products = fields.List(fields.Nested(AccountPlanProductSchema))
    comments = fields.List(fields.Nested(AccountPlanCommentSchema))
    version = fields.Integer()
    updated_at = fields.DateTime()
