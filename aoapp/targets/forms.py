"""The targets grid: WTForms renders the cells and carries CSRF; targets/schemas.py holds the
rules, and `load()` copies its errors beside each cell."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from wtforms import FieldList, Form, FormField, HiddenField, StringField

from aoapp.common.forms import copy_errors
from aoapp.targets.schemas import METRIC_FIELDS, TargetCellsSchema

MAX_ROWS = 500  # far above a branch's officers; a bigger post is not a grid of ours
PERCENTS = ("max_npl_ratio", "casa_ratio", "retention_rate")  # fractions shown as percents
AMOUNTS = ("new_disbursement", "outstanding_growth", "dpk_growth")
# The grid's column headers (and its cells' labels), by metric.
HEADERS = {
    "new_customers": _l("New customers"),
    "new_disbursement": _l("New disbursement (Rp)"),
    "outstanding_growth": _l("Outstanding growth (Rp)"),
    "max_npl_ratio": _l("Max NPL ratio (%)"),
    "followups_done": _l("Follow-ups done"),
    "introductions": _l("Introductions"),
    "dpk_growth": _l("DPK growth (Rp)"),
    "casa_ratio": _l("CASA ratio (%)"),
    "cross_sell_ratio": _l("Products per customer"),
    "retention_rate": _l("Retention rate (%)"),
}


def cell_text(key: str, value) -> str:
    """A stored target as the grid shows it: amounts grouped (1.500.000), the ratios in %."""
    if value is None:
        return ""
    if key in PERCENTS:
        percent = (Decimal(value) * 100).normalize()
        return f"{percent:f}"
    if key == "cross_sell_ratio":
        return f"{Decimal(value).normalize():f}"
    if key in AMOUNTS:
        amount = Decimal(value)
        whole = int(amount)
        text = f"{abs(whole):,}".replace(",", ".")
        cents = abs(amount) - abs(whole)
        if cents:
            text += f",{int(cents * 100):02d}"
        return ("-" if amount < 0 else "") + text
    return str(value)


class TargetRowForm(Form):
    """One officer's targets (no CSRF of its own: the grid carries it)."""

    officer_id = HiddenField()
    new_customers = StringField(HEADERS["new_customers"])
    new_disbursement = StringField(HEADERS["new_disbursement"])
    outstanding_growth = StringField(HEADERS["outstanding_growth"])
    max_npl_ratio = StringField(HEADERS["max_npl_ratio"])
    followups_done = StringField(HEADERS["followups_done"])
    introductions = StringField(HEADERS["introductions"])
    dpk_growth = StringField(HEADERS["dpk_growth"])
    casa_ratio = StringField(HEADERS["casa_ratio"])
    cross_sell_ratio = StringField(HEADERS["cross_sell_ratio"])
    retention_rate = StringField(HEADERS["retention_rate"])

    def metric_fields(self) -> list:
        """The cells, in the order of the metrics."""
        return [self[key] for key in METRIC_FIELDS]


class TargetGridForm(FlaskForm):
    """A branch's officers' targets for one month, one row per officer."""

    rows = FieldList(FormField(TargetRowForm), max_entries=MAX_ROWS)

    @classmethod
    def for_officers(cls, officers, targets: dict) -> "TargetGridForm":
        """The grid filled with the officers' stored targets (empty cells: no target)."""
        data = []
        for officer in officers:
            target = targets.get(officer.id)
            row = {"officer_id": str(officer.id)}
            for key in METRIC_FIELDS:
                row[key] = cell_text(key, getattr(target, key) if target else None)
            data.append(row)
        return cls(formdata=None, data={"rows": data})

    def posted_officer_ids(self) -> list[int | None]:
        """The officer id of each posted row (None when unreadable)."""
        ids = []
        for entry in self.rows:
            text = (entry.form.officer_id.data or "").strip()
            ids.append(int(text) if text.isdigit() and len(text) < 10 else None)
        return ids

    def load(self) -> dict[int, dict] | None:
        """Every row validated by the schema (officer id → values); None when a cell is wrong,
        with the messages beside the wrong cells."""
        schema = TargetCellsSchema()
        rows, valid = {}, True
        for officer_id, entry in zip(self.posted_officer_ids(), self.rows, strict=True):
            raw = {key: entry.form[key].data or "" for key in METRIC_FIELDS}
            try:
                rows[officer_id] = schema.load(raw)
            except ValidationError as error:
                copy_errors(entry.form, error.normalized_messages())
                valid = False
        return rows if valid else None


class CopyForm(FlaskForm):
    """The "Copy last month" button (CSRF only)."""
