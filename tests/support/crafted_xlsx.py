"""Hand-written XLSX packages for the hostile-input tests: every cell a shared string, and any
part (the workbook, the sheet, the shared strings) may carry a document type declaration.

openpyxl refuses control characters and writes no DTD; a listing crafted to attack the reader
is written here part by part with zipfile, as an attacker would.
"""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.support.listings import ENGLISH, cell

# Entities nested ten deep in ten: a billion "lol"s if a parser expanded them.
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
BILLION_LAUGHS_USE = "&lol9;"
# An external entity: the server's own file, or a request to another host, if a parser fetched it.
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_USE = "&xxe;"

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _parts(dtd: dict[str, str], sheet_xml: str, strings_xml: str, name: str) -> dict[str, str]:
    return {
        "[Content_Types].xml": (
            f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_TYPE}.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            f'sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/><Override PartName="/xl/'
            f'sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_DECLARATION}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_DECLARATION}{dtd.get("workbook", "")}<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_DOC}"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_DECLARATION}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": _DECLARATION + dtd.get("sheet", "") + sheet_xml,
        "xl/sharedStrings.xml": _DECLARATION + dtd.get("strings", "") + strings_xml,
    }


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def crafted_xlsx(
    path: Path,
    rows: list[dict],
    *,
    dtd: dict[str, str] | None = None,
    raw: dict[tuple[int, str], str] | None = None,
    inline: dict[tuple[int, str], str] | None = None,
    sheet_name: str = "Listing",
) -> Path:
    """Write the listing `rows` (tests.support.listings.line) as a workbook of shared strings.

    `dtd`: a declaration to put before the root of the `workbook`, `sheet` or `strings` part.
    `raw`: shared strings written as given, unescaped ({(row index, column): markup}), to use an
    entity or an `_x0000_` escape (Excel's way of writing a control character); `inline`: the
    same, as a string written in the sheet itself; `sheet_name`: unescaped too.
    """
    names = list(ENGLISH)
    table = [names] + [[cell(n, row.get(n)) for n in names] for row in rows]
    strings: list[str] = []
    sheet_rows = []
    for r, values in enumerate(table, start=1):
        cells = []
        for c, value in enumerate(values):
            markup = (raw or {}).get((r - 2, names[c])) if r > 1 else None
            own = (inline or {}).get((r - 2, names[c])) if r > 1 else None
            if own is not None:
                cells.append(f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{own}</t></is></c>')
                continue
            if markup is None and value == "":
                continue
            strings.append(markup if markup is not None else escape(value))
            cells.append(f'<c r="{_column(c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'
    shared = "".join(f"<si><t>{text}</t></si>" for text in strings)
    strings_xml = (
        f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in _parts(dtd or {}, sheet, strings_xml, sheet_name).items():
            package.writestr(name, text)
    return Path(path)
