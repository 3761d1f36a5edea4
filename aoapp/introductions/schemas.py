"""Validation rules and API shapes for introductions."""

from marshmallow import fields

from aoapp.common.dates import bank_today
from aoapp.common.schemas import BaseSchema, Day, Id, PageArgsSchema, Text, choice
from aoapp.introductions.models import Introduction, IntroductionOutcome, IntroductionPlace


class IntroductionUpdateSchema(BaseSchema):
    """What was presented, where, and how the client responded (the subject never changes).

    The API loads it with partial=True for PATCH; the HTML form submits every field.
    """

    product = Text(required=True, max_length=20)  # product code
    introduced_on = fields.Date(load_default=bank_today)
    place = choice(IntroductionPlace, required=True)
    explanation = Text(load_default="", max_length=4000)
    understood = fields.Boolean(load_default=False)
    outcome = choice(IntroductionOutcome, required=True)
    follow_up_date = fields.Date(allow_none=True, load_default=None)
    campaign_id = Id(
        allow_none=True,
        load_default=None,
        metadata={"description": "A campaign that runs in the branch of the subject's officer."},
    )


class IntroductionInputSchema(IntroductionUpdateSchema):
    """A new introduction, to exactly one prospect or one customer (by id)."""

    prospect = Id(allow_none=True, load_default=None)
    customer = Id(allow_none=True, load_default=None)


class IntroductionFilterSchema(PageArgsSchema):
    """Filters of the introductions list."""

    prospect = Id(load_default=None, allow_none=True)
    customer = Id(load_default=None, allow_none=True)
    outcome = choice(IntroductionOutcome, load_default=None, allow_none=True)
    product = fields.String(load_default=None, allow_none=True)  # product code
    officer = Id(load_default=None, allow_none=True)
    campaign = Id(load_default=None, allow_none=True)
    date_from = Day(
        data_key="from",
        load_default=None,
        allow_none=True,
        metadata={"description": "Introduced on or after this day."},
    )
    date_to = Day(
        data_key="to",
        load_default=None,
        allow_none=True,
        metadata={"description": "Introduced on or before this day."},
    )


class IntroductionSchema(BaseSchema):
    """An introduction as the API returns it."""

    class Meta:
        model = Introduction

    id = fields.Integer()
    prospect = fields.Integer(allow_none=True, attribute="prospect_id")
    customer = fields.Integer(allow_none=True, attribute="customer_id")
    product = fields.Function(lambda i: i.product.code)
    product_name = fields.Function(lambda i: i.product.name)
    officer = fields.Integer(attribute="officer_id")
    introduced_on = fields.Date()
    place = fields.String()
    explanation = fields.String()
    understood = fields.Boolean()
    outcome = fields.String()
    follow_up_date = fields.Date(allow_none=True)
    campaign_id = fields.Integer(allow_none=True)
    campaign_name = fields.Function(lambda i: i.campaign.name if i.campaign else None)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
