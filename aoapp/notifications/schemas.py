"""API shapes of notifications: texts rendered in the request's language (Accept-Language)."""

from marshmallow import fields

from aoapp.common.schemas import BaseSchema, PageArgsSchema
from aoapp.notifications.models import Notification


class NotificationArgsSchema(PageArgsSchema):
    """`unread` (only those not read yet), `page`, `per_page`."""

    unread = fields.Boolean(load_default=False)


class NotificationSchema(BaseSchema):
    """One notification as its reader sees it."""

    class Meta:
        model = Notification

    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    endpoint = fields.String(allow_none=True, metadata={"description": "the page it leads to"})
    bank_day = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    unread = fields.Boolean()


class NotificationPageSchema(BaseSchema):
    """A page of the caller's notifications, and how many are unread in all."""

    items = fields.List(fields.Nested(NotificationSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()
    unread = fields.Integer()


class UnreadSchema(BaseSchema):
    """How many of the caller's notifications are unread."""

    unread = fields.Integer()
