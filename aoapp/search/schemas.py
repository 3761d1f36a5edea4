"""The search's query arguments and its results, for the page and the API."""

from marshmallow import fields, validate

from aoapp.common.schemas import BaseSchema, Text
from aoapp.common.templating import label
from aoapp.search.labels import KIND_LABELS, MATCHED_LABELS
from aoapp.search.matching import MAX_LENGTH
from aoapp.search.services import DROPDOWN_LIMIT, PAGE_LIMIT, SearchResult


class SearchArgsSchema(BaseSchema):
    """`q`: the text typed; `limit`: how many results (8 in the header's list, at most 50)."""

    q = Text(load_default="", max_length=MAX_LENGTH, metadata={"description": "Text typed"})
    limit = fields.Integer(
        load_default=DROPDOWN_LIMIT,
        validate=validate.Range(min=1, max=PAGE_LIMIT),
        metadata={"description": "How many results, best first"},
    )


class SearchResultSchema(BaseSchema):
    """A customer or prospect found; labels in the caller's language."""

    class Meta:
        model = SearchResult

    kind = fields.String(metadata={"description": "customer or prospect"})
    kind_label = fields.Function(lambda r: str(KIND_LABELS[r.kind]))
    id = fields.Integer()
    name = fields.String()
    matched = fields.String(metadata={"description": "cif, account, nik, phone or name"})
    matched_label = fields.Function(lambda r: str(MATCHED_LABELS[r.matched]))
    matched_value = fields.String()
    exact = fields.Boolean()
    cif = fields.String(allow_none=True)
    account_no = fields.String(allow_none=True)
    officer = fields.String(allow_none=True)
    branch = fields.String(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": "a prospect's status"})
    status_label = fields.Function(lambda r: label(r.status) if r.status else None)
    url = fields.String(metadata={"description": "The record's page"})


class SearchAnswerSchema(BaseSchema):
    """The text searched and the results, best first."""

    q = fields.String()
    items = fields.List(fields.Nested(SearchResultSchema))
