"""The officer figures (KPIs): the one list behind every place that shows them.

`FIGURES` lists, in order, every KPI of kpis/officers.OfficerKpis with its label, kind, how a
totals row gets it and its definition. Everything else reads it:

- kpis/officers.py: the ratios of a row and the totals row (`total`);
- reports/portfolio/columns.py: the KPI columns of the portfolio workbook's Officers sheet;
- dashboards/schemas.py: the KPI fields of the team dashboard API's rows;
- dashboards/columns.py: the KPI columns of the team table, each in a column group.

The funding and relationship figures (DPK … retention) are funding/figures.py's and
funding/relationship.py's, booked to the officer; without a deposits listing on or before the
period's end they are empty (0 and None).

The dataclass OfficerKpis still names its fields itself (a dataclass needs them);
tests/reports/test_figures.py proves they are these keys, in this order, of these kinds.

In the definitions, the period is the report's or the dashboard's (a month on the dashboards),
and the as-of date the last loan listing date within it (kpis/officers.py).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# Kinds of figure
COUNT = "count"  # an int
AMOUNT = "amount"  # money: a Decimal with 2 places
RATIO = "ratio"  # a Decimal fraction with 4 places (0.1234 = 12.34 %), or None
AVERAGE = "average"  # a Decimal with 4 places that is no share (2.5000 products per customer)

SUM = "sum"  # the totals row holds the sum of the officers' values


@dataclass(frozen=True)
class RatioOfSums:
    """A ratio: `numerator` / (the sum of the `denominator` figures), 4 places half-up; `empty`
    when that sum is 0. Each row's ratio is computed from its own figures, the totals row's from
    the summed figures (never a sum or mean of the officers' ratios)."""

    numerator: str
    denominator: tuple[str, ...]
    empty: Decimal | None


Total = Literal["sum"] | RatioOfSums | None  # None: the totals row leaves the figure empty


@dataclass(frozen=True)
class Figure:
    """One officer KPI.

    `key`: the OfficerKpis attribute, the API field and the column key; `label`: its one name in
    headers everywhere; `kind`: COUNT, AMOUNT, RATIO or AVERAGE; `total`: how the totals row gets it;
    `definition`: how it is computed; `in_tables`: a column of the workbook's Officers sheet and
    of the team table (False: in the KPIs, the totals and the API only).
    """

    key: str
    label: LazyString
    kind: str
    total: Total
    definition: LazyString
    in_tables: bool = True


FIGURES = (
    Figure(
        "debtors",
        _l("Debtors"),
        COUNT,
        SUM,
        _l(
            "Distinct customers with a facility booked to the officer on the as-of date "
            "(within the portfolio shown)."
        ),
    ),
    Figure(
        "facilities",
        _l("Facilities"),
        COUNT,
        SUM,
        _l("Facilities booked to the officer on the as-of date."),
    ),
    Figure(
        "outstanding",
        _l("Outstanding"),
        AMOUNT,
        SUM,
        _l("Outstanding of the facilities booked to the officer on the as-of date."),
    ),
    Figure(
        "npl_outstanding",
        _l("NPL outstanding"),
        AMOUNT,
        SUM,
        _l(
            "Outstanding of the officer's facilities with an effective (debtor) Kol of 3 to 5 "
            "on the as-of date."
        ),
    ),
    Figure(
        "npl_ratio",
        _l("NPL ratio"),
        RATIO,
        RatioOfSums("npl_outstanding", ("outstanding",), Decimal("0.0000")),
        _l(
            "NPL outstanding / outstanding, 4 decimal places rounded half up; 0 when nothing "
            "is outstanding."
        ),
    ),
    Figure(
        "par30_outstanding",
        _l("PAR 30 outstanding"),
        AMOUNT,
        SUM,
        _l(
            "Outstanding of the officer's facilities more than 30 days past due (DPD > 30) on "
            "the as-of date."
        ),
        # Not a column: the tables show PAR 30 as the ratio, as the dashboard cards do.
        in_tables=False,
    ),
    Figure(
        "par30_ratio",
        _l("PAR 30"),
        RATIO,
        RatioOfSums("par30_outstanding", ("outstanding",), Decimal("0.0000")),
        _l(
            "Outstanding more than 30 days past due / outstanding, 4 decimal places rounded "
            "half up; 0 when nothing is outstanding."
        ),
    ),
    Figure(
        "downgrades",
        _l("Downgrades"),
        COUNT,
        SUM,
        _l(
            "Facilities of the officer on the as-of date whose effective Kol is worse than on "
            "the facility's previous listing."
        ),
    ),
    Figure(
        "prospects_collected",
        _l("Prospects collected"),
        COUNT,
        SUM,
        _l("Prospects the officer owns that were collected (created) during the period."),
    ),
    Figure(
        "prospects_converted",
        _l("Prospects converted"),
        COUNT,
        SUM,
        _l("Of the prospects collected, those converted into a customer by the end of the period."),
    ),
    Figure(
        "conversion_rate",
        _l("Conversion rate"),
        RATIO,
        RatioOfSums("prospects_converted", ("prospects_collected",), None),
        _l("Prospects converted / prospects collected; empty when none were collected."),
    ),
    Figure(
        "introductions",
        _l("Introductions"),
        COUNT,
        SUM,
        _l("Product introductions the officer made during the period."),
    ),
    Figure(
        "followups_done",
        _l("Follow-ups done"),
        COUNT,
        SUM,
        _l("Follow-ups the officer owns that were done during the period."),
    ),
    Figure(
        "followups_overdue",
        _l("Follow-ups overdue"),
        COUNT,
        SUM,
        _l(
            "Follow-ups the officer owns planned for a day before the as-of date and not done "
            "by the end of that date: still planned, or done only later. Cancelled and missed "
            "follow-ups never count."
        ),
    ),
    Figure(
        "ptp_kept",
        _l("PTP kept"),
        COUNT,
        SUM,
        _l(
            "Promises to pay recorded by the officer whose deadline falls in the period, judged "
            "kept by the promise rule; pending promises count in neither kept nor broken."
        ),
    ),
    Figure(
        "ptp_broken",
        _l("PTP broken"),
        COUNT,
        SUM,
        _l(
            "Promises to pay recorded by the officer whose deadline falls in the period, judged "
            "broken by the promise rule; pending promises count in neither kept nor broken."
        ),
    ),
    Figure(
        "ptp_kept_rate",
        _l("PTP kept rate"),
        RATIO,
        RatioOfSums("ptp_kept", ("ptp_kept", "ptp_broken"), None),
        _l("PTP kept / (PTP kept + PTP broken); empty when there is neither."),
    ),
    Figure(
        "dpk",
        _l("DPK"),
        AMOUNT,
        SUM,
        _l("Giro, tabungan and deposito booked to the officer on the last deposits listing."),
    ),
    Figure(
        "casa",
        _l("CASA"),
        AMOUNT,
        SUM,
        _l("Giro and tabungan balances within the DPK."),
        in_tables=False,
    ),
    Figure(
        "casa_ratio",
        _l("CASA ratio"),
        RATIO,
        RatioOfSums("casa", ("dpk",), None),
        _l("(Giro + tabungan) / DPK, 4 decimal places rounded half up; empty without funds."),
    ),
    Figure(
        "relationship_customers",
        _l("Customers holding products"),
        COUNT,
        SUM,
        _l("Customers with a facility, funds or a recorded service booked to the officer."),
        in_tables=False,
    ),
    Figure(
        "products_held",
        _l("Products held"),
        COUNT,
        SUM,
        _l(
            "The distinct product categories those customers hold at the bank (credit by "
            "subtype, deposits by kind, each recorded service), summed over the customers."
        ),
        in_tables=False,
    ),
    Figure(
        "cross_sell_ratio",
        _l("Products per customer"),
        AVERAGE,
        RatioOfSums("products_held", ("relationship_customers",), None),
        _l(
            "Products held / customers holding products (the cross-sell ratio), 4 decimal "
            "places rounded half up; empty without customers."
        ),
    ),
    Figure(
        "customers_start",
        _l("Customers at the start"),
        COUNT,
        SUM,
        _l("Customers holding anything booked to the officer the day before the period."),
        in_tables=False,
    ),
    Figure(
        "customers_retained",
        _l("Customers retained"),
        COUNT,
        SUM,
        _l("Of the customers at the start, those still holding anything at the bank at its end."),
        in_tables=False,
    ),
    Figure(
        "retention_rate",
        _l("Retention rate"),
        RATIO,
        RatioOfSums("customers_retained", ("customers_start",), None),
        _l("Customers retained / customers at the start; empty without customers at the start."),
        in_tables=False,
    ),
)

TABLE_FIGURES = tuple(figure for figure in FIGURES if figure.in_tables)
BY_KEY = {figure.key: figure for figure in FIGURES}
