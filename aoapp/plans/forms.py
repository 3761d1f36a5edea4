"""Account plan forms: rendering and CSRF only; plans/schemas.py holds the rules.

A plan's goals are a fixed number of rows (MAX_GOALS): a row whose kind is blank is left out, so
the form works without JavaScript. Amounts are typed as people write them (`Rp 2 M`, `500 jt`,
`2.000.000.000`), dates as `31/12/2026`.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from aoapp.common.forms import choices, enum_choices
from aoapp.plans.models import GoalKind, NeedTag
from aoapp.plans.schemas import MAX_GOALS

REVIEW_MONTHS = (
    (1, _l("Every month")),
    (3, _l("Every quarter")),
    (6, _l("Every 6 months")),
    (12, _l("Every year")),
)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GoalForm(Form):
    """One goal row (no CSRF of its own: the plan form carries it)."""

    kind = SelectField(_l("Goal"), choices=enum_choices(GoalKind, _l("— no goal —")))
    target = StringField(
        _l("Target"), render_kw={"placeholder": _l("Rp 2 M · 30 · giro"), "autocomplete": "off"}
    )
    due_date = StringField(
        _l("Due date"), render_kw={"placeholder": _l("30/06/2026"), "autocomplete": "off"}
    )
    text = StringField(_l("Action or note"))
    done = BooleanField(_l("Done"))


class PlanForm(FlaskForm):
    """The whole plan (field names equal PlanInputSchema's)."""

    version = HiddenField()
    needs = TextAreaField(_l("Needs"))
    need_tags = CheckboxesField(_l("Kinds of need"), choices=enum_choices(NeedTag))
    goals = FieldList(FormField(GoalForm), min_entries=MAX_GOALS, max_entries=MAX_GOALS)
    products = SelectMultipleField(_l("Planned products"), choices=[])
    risks = TextAreaField(_l("Risks"))
    next_step = TextAreaField(_l("Next step"))
    review_months = SelectField(
        _l("Review"), choices=choices([(str(months), text) for months, text in REVIEW_MONTHS])
    )
    next_review_date = StringField(
        _l("Next review"), render_kw={"placeholder": _l("30/06/2026"), "autocomplete": "off"}
    )

    def set_products(self, products) -> None:
        """The active products to plan."""
        self.products.choices = choices([(p.code, f"{p.name} ({p.code})") for p in products])


class CommentForm(FlaskForm):
    """A supervisor's comment on a plan."""

    text = TextAreaField(_l("Comment"))
