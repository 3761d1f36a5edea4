"""Validation rules and API shapes of reports: list filters, generation requests, the record."""

from flask import url_for
from flask_babel import gettext as _
from marshmallow import ValidationError, fields, post_load, validates_schema
from marshmallow.validate import OneOf

from aoapp.common.i18n import LOCALES
from aoapp.common.schemas import BaseSchema, Id, PageArgsSchema, Text, choice
from aoapp.errors import InvalidInput
from aoapp.kpis.periods import PERIOD_FORMS, Period, parse_day, parse_period, period_as_of
from aoapp.reports.models import Report, ReportKind, ReportReview, ReportScope
from aoapp.reports.periods import no_listing_message
from aoapp.reports.reviews import NOTE_MAX, review_of

PERIOD_HELP = (
    "A month (`2026-10`, `10/2026`, `Oktober 2026`, `Oct 2026`), a quarter (`2026Q3`, `Q3 2026`, "
    "`Kuartal III 2026`, `Triwulan 3 2026`, `TW III 2026`) or a range (`2026-10-01..2026-10-15`, "
    "`01/10/2026 - 15/10/2026`, `1-15 Oktober 2026`); month names in Indonesian or English, "
    "dates day first."
)
PERIOD_MAX = 60  # the longest period people write: `1 Oktober 2026 sampai 15 Desember 2026`


class PeriodField(fields.String):
    """A report period; loads as its Period (or, with `as_code`, its normalised code)."""

    def __init__(self, *, as_code: bool = False, **kwargs):
        self.as_code = as_code
        kwargs.setdefault("metadata", {}).update(
            {"description": PERIOD_HELP, "maxLength": PERIOD_MAX}
        )
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            if self.allow_none:
                return None
            raise ValidationError(_("This field is required."))
        if len(text) > PERIOD_MAX:
            raise ValidationError(str(PERIOD_FORMS))
        try:
            period = parse_period(text)
        except InvalidInput as error:
            raise ValidationError(error.message) from None
        return period.code if self.as_code else period


class Day(fields.Date):
    """A day as people type it: `15/10/2026` (day first), `2026-10-15`, `15 Oktober 2026`."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            try:
                return parse_day(value)
            except ValueError:
                raise ValidationError(_("Write a date: 15/10/2026 or 2026-10-15.")) from None
        return super()._deserialize(value, attr, data, **kwargs)


class ReportFilterSchema(PageArgsSchema):
    """Filters of the reports list (page and API); sort `period`, `generated_at`, `as_of`, `size`
    (`-` for descending; default `-period`)."""

    period = PeriodField(as_code=True, load_default=None, allow_none=True)
    kind = choice(ReportKind, load_default=None, allow_none=True)
    scope = choice(ReportScope, load_default=None, allow_none=True)
    branch_id = Id(load_default=None, allow_none=True)
    officer_id = Id(load_default=None, allow_none=True)
    customer_id = Id(load_default=None, allow_none=True)
    q = Text(
        load_default=None,
        allow_none=True,
        max_length=100,
        metadata={"description": "Part of the customer's CIF or name"},
    )


class ReportRequestSchema(BaseSchema):
    """Generate one report: a customer's (`customer_id`), or a portfolio of an officer
    (`officer_id`), a branch (`branch_id`) or the bank (neither; admins). Done reports are
    returned as they are unless `force`."""

    kind = choice(ReportKind, required=True)
    period = PeriodField(required=True)
    customer_id = Id(load_default=None, allow_none=True)
    officer_id = Id(load_default=None, allow_none=True)
    branch_id = Id(load_default=None, allow_none=True)
    force = fields.Boolean(load_default=False)
    lang = fields.String(
        load_default=None,
        allow_none=True,
        validate=OneOf(LOCALES),
        metadata={
            "description": "Language of the workbook, `id` or `en` (default: the bank's). Asked "
            "for a language, a report already made in another one is made again."
        },
    )

    @validates_schema
    def _one_subject(self, data, **kwargs):
        customer, officer, branch = (
            data.get(k) for k in ("customer_id", "officer_id", "branch_id")
        )
        if data.get("kind") == ReportKind.CUSTOMER:
            if customer is None:
                raise ValidationError(_("A customer report needs the customer."), "customer_id")
            if officer is not None or branch is not None:
                raise ValidationError(_("Give only the customer for a customer report."), "kind")
        elif data.get("kind") == ReportKind.PORTFOLIO:
            if customer is not None:
                raise ValidationError(
                    _("A portfolio report is not about one customer."), "customer_id"
                )
            if officer is not None and branch is not None:
                raise ValidationError(_("Give an officer or a branch, not both."), "branch_id")


PERIOD_KINDS = ("month", "quarter", "custom")


def scope_value(scope: str, record_id: int | None = None) -> str:
    """A choice of the scope select: `bank`, `branch:3`, `officer:12`."""
    return scope if record_id is None else f"{scope}:{record_id}"


class GenerateFormSchema(BaseSchema):
    """The Generate form of the reports page: kind, scope and the period picker.

    `scopes` are the scope choices the user's role allows (an officer: their own portfolio; a
    supervisor: an officer of their branches or a branch; an admin: any officer, any branch, the
    bank); anything else is refused on the field. The period comes from the picker: a month, a
    quarter or a custom range of two dates (`period_kind` says which), or, without `period_kind`,
    a period code (`2026-10`, as the API takes it). A period that holds no listing yet is refused
    with a plain message on the picker's field.
    """

    kind = choice(ReportKind, required=True)
    scope = fields.String(required=True)
    period_kind = fields.String(load_default=None, allow_none=True, validate=OneOf(PERIOD_KINDS))
    month = fields.String(load_default=None, allow_none=True)
    quarter = fields.String(load_default=None, allow_none=True)
    start = Day(load_default=None, allow_none=True)
    end = Day(load_default=None, allow_none=True)
    period = PeriodField(load_default=None, allow_none=True)
    lang = fields.String(load_default=None, allow_none=True, validate=OneOf(LOCALES))
    force = fields.Boolean(load_default=False)

    def __init__(self, *, scopes=(), **kwargs):
        super().__init__(**kwargs)
        self.scopes = frozenset(scopes)

    @validates_schema
    def _allowed_scope(self, data, **kwargs):
        if "scope" in data and data["scope"] not in self.scopes:
            raise ValidationError(_("Choose one of the scopes offered."), "scope")

    @validates_schema
    def _period_of_picker(self, data, **kwargs):
        field, period = _picked_period(data)
        if period_as_of(period) is None:
            raise ValidationError(no_listing_message(period), field)
        data["_period"] = period

    @post_load
    def _to_request(self, data, **kwargs):
        scope, _sep, record = data["scope"].partition(":")
        return {
            "kind": data["kind"],
            "period": data["_period"],
            "scope": scope,
            "officer_id": int(record) if scope == ReportScope.OFFICER else None,
            "branch_id": int(record) if scope == ReportScope.BRANCH else None,
            "lang": data["lang"],
            "force": data["force"],
        }


def _picked_period(data) -> tuple[str, Period]:
    """(field, period) of the picker's choice; a missing or unreadable one is refused there."""
    kind = data.get("period_kind")
    if kind is None:
        if data.get("period") is None:
            raise ValidationError(_("Choose a period."), "month")
        return "month", data["period"]
    if kind == "custom":
        start, end = data.get("start"), data.get("end")
        missing = {k: [_("Choose a date.")] for k in ("start", "end") if data.get(k) is None}
        if missing:
            raise ValidationError(missing)
        try:
            return "start", parse_period(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}")
        except InvalidInput as error:
            raise ValidationError(next(iter(error.errors.values())), "end") from None
    try:
        period = parse_period(data.get(kind) or "")
    except InvalidInput:
        period = None
    if period is None or period.kind != kind:
        raise ValidationError(_("Choose a period."), kind)
    return kind, period


def _name(user) -> str | None:
    return user.display_name if user is not None else None


class ReviewRequestSchema(BaseSchema):
    """Mark a customer's report of its period as reviewed, with an optional note."""

    note = Text(
        load_default="",
        allow_none=True,
        max_length=NOTE_MAX,
        metadata={"description": "What the supervisor found (the officer sees it)"},
    )


class ReviewSchema(BaseSchema):
    """A review of a customer's report of a period: who, when, the note."""

    class Meta:
        model = ReportReview

    id = fields.Integer()
    period = fields.String()
    report_id = fields.Integer(allow_none=True)
    reviewed_by_id = fields.Integer()
    reviewed_by_name = fields.Function(lambda r: _name(r.reviewed_by))
    reviewed_at = fields.DateTime()
    note = fields.String()


class _LatestReview(fields.Nested):
    """The report's latest review (`reviews.review_of`: attached to a listed page, else read)."""

    def get_value(self, obj, *_args, **_kwargs):
        return review_of(obj)


class ReportSchema(BaseSchema):
    """A generated report as the API returns it."""

    class Meta:
        model = Report

    id = fields.Integer()
    kind = fields.String()
    period = fields.String()
    period_label = fields.Function(lambda r: parse_period(r.period).label)
    period_start = fields.Date()
    period_end = fields.Date()
    as_of = fields.Date()
    scope = fields.String()
    customer_id = fields.Integer(allow_none=True)
    customer_cif = fields.Function(
        lambda r: r.customer.cif if r.customer else None, allow_none=True
    )
    customer_name = fields.Function(
        lambda r: r.customer.name if r.customer else None, allow_none=True
    )
    officer_id = fields.Integer(allow_none=True)
    officer_name = fields.Function(lambda r: _name(r.officer), allow_none=True)
    branch_id = fields.Integer(allow_none=True)
    branch_code = fields.Function(lambda r: r.branch.code if r.branch else None, allow_none=True)
    filename = fields.String()
    lang = fields.String(metadata={"description": "Language of the workbook: `id` or `en`"})
    size = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String()
    generated_by_id = fields.Integer(allow_none=True)
    generated_by_name = fields.Function(lambda r: _name(r.generated_by), allow_none=True)
    generated_at = fields.DateTime()
    download_url = fields.Function(
        lambda r: url_for("reports_api.ReportDownload", report_id=r.id),
        metadata={"type": "string"},
    )
    review = _LatestReview(
        ReviewSchema,
        allow_none=True,
        metadata={"description": "The latest review of the customer's period (null: none)"},
    )
