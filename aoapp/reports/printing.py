"""How every report sheet prints, and how its charts label their axes: one place for both
writers (and any new sheet).

A sheet prints on A4 landscape, one page wide (as many pages tall as it needs), its title and
table header repeated on every page, under a header with the bank, the branch or scope and the
period, and over a footer with the sheet's name and `Page x of y`. Long texts wrap in columns of
bounded width, so one long cell (a commentary) never shrinks the whole page to fit.
"""

from flask_babel import gettext as _

from aoapp.reports.sheets import MONEY, Workbook

A4 = 9  # Excel's paper size code
MIN_WIDTH, MAX_WIDTH = 8, 50  # fitted column widths (characters)
FACT_LABEL_WIDTH, FACT_VALUE_WIDTH = 36, 90  # a facts block: label and (wrapped) value columns
HEADER_LIMIT = 250  # Excel refuses a header or footer longer than 255 characters

# Chart value axes in rupiah, scaled: Indonesian jt (juta), M (miliar), T (triliun); English
# M (million), B (billion), T (trillion). Each trailing comma divides by 1,000.
AXIS_MONEY = {
    "id": '[>=1000000000000]"Rp "#,##0.0,,,,"T";[>=1000000000]"Rp "#,##0.0,,,"M";"Rp "#,##0,,"jt"',
    "en": '[>=1000000000000]"Rp "#,##0.0,,,,"T";[>=1000000000]"Rp "#,##0.0,,,"B";"Rp "#,##0,,"M"',
}
AXIS_DATE = {"id": "[$-421]mmm yyyy", "en": "mmm yyyy"}


def _escaped(text: str) -> str:
    """Text as it stands in an Excel header: `&` doubled (it starts a code)."""
    return str(text).replace("&", "&&")


def page_header(workbook: Workbook) -> str:
    """`&L bank &C branch or scope &R period` (Excel's header codes)."""
    left, centre, right = (_escaped(part) for part in workbook.header)
    return f"&L{left}&C{centre}&R{right}"[:HEADER_LIMIT]


def page_footer() -> str:
    """The sheet's name left, `Page 1 of 3` right, in the workbook's language."""
    return "&L&A&R" + _("Page &P of &N")


def page_setup(workbook: Workbook, repeat_last_row: int) -> dict:
    """The print settings of a sheet whose rows 0..`repeat_last_row` repeat on every page."""
    return {
        "landscape": True,
        "paper_size": A4,
        "fit_to_pages": (1, 0),
        "repeat_rows": (0, max(repeat_last_row, 0)),
        "header": page_header(workbook),
        "footer": page_footer(),
        "margins": {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75},
    }


def axis_number_format(kind: str, lang: str) -> str | None:
    """The number format of a chart's value axis: money scaled to jt/M or M/B, else the data's."""
    if kind == MONEY:
        return AXIS_MONEY.get(lang, AXIS_MONEY["en"])
    return None


def date_axis_format(lang: str) -> str:
    """The label format of a chart's date axis (months)."""
    return AXIS_DATE.get(lang, AXIS_DATE["en"])
