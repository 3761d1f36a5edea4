"""`HybridWriter`: one xlsx file from two writers — the streamed sheets by rustpy-xlsxwriter (a
million rows in constant memory), the sheets held in memory by XlsxWriter (stacked tables, typed
facts, charts with axis formats), which rustpy-xlsxwriter cannot write.

XlsxWriter writes the whole workbook with an empty stand-in for each streamed sheet; rustpy-
xlsxwriter writes the streamed sheets alone (after a throwaway first sheet, so none of them is
the selected tab). The file is XlsxWriter's package with each stand-in's part replaced by the
streamed sheet's, copied still compressed (a 1,000,000-row part is never inflated again), and the
two style sheets joined: rustpy's styles keep their numbers (its sheets are not rewritten), and
XlsxWriter's are appended after them, its small sheets renumbered to match.
"""

import os
import re
import struct
import tempfile
import zipfile
from dataclasses import replace

from aoapp.reports.rust_writer import RustWriter, paused_gc
from aoapp.reports.sheets import Later, Sheet, Workbook
from aoapp.reports.writers import XlsxWriterWriter

SHEET_PART = "xl/worksheets/sheet{}.xml"
STYLES = "xl/styles.xml"
_LOCAL_HEADER = 30  # bytes of a zip local file header before its name and extra field
_FIRST_CUSTOM_FORMAT = 164  # Excel's first number format id that is not built in


def streamed(sheet: Sheet | Later) -> bool:
    """A sheet whose rows come from a generator (a database cursor), not a list."""
    return (
        isinstance(sheet, Sheet)
        and bool(sheet.columns)
        and not isinstance(sheet.rows, list | tuple)
    )


class HybridWriter:
    """Streamed sheets by RustWriter, the others by XlsxWriter, in one package.

    The streamed sheets are written first: the other sheets may be `Later`, their figures still
    computing meanwhile (reports/portfolio/data.py), and are built after them.
    """

    def write(self, workbook: Workbook, target) -> None:
        """Write the workbook to a path or a binary file object."""
        import rustpy_xlsxwriter as rx

        positions = [i for i, sheet in enumerate(workbook.sheets) if streamed(sheet)]
        if not positions:
            XlsxWriterWriter().write(workbook, target)
            return
        rust = RustWriter()
        with paused_gc(), tempfile.TemporaryDirectory(prefix="aoapp-xlsx-") as folder:
            small, big = f"{folder}/small.xlsx", f"{folder}/big.xlsx"
            entries, options = rust.entries(workbook, [workbook.sheets[i] for i in positions])
            rx.write_worksheets([("_", [{"_": None}]), *entries], big, **options)
            stand_ins = [
                replace(
                    sheet,
                    rows=[],
                    columns=(),
                    facts=(),
                    charts=(),
                    blocks=(),
                    totals=(),
                    extra={"print_titles": rust.header_row(sheet)},
                )
                if i in positions
                else sheet
                for i, sheet in enumerate(workbook.ready().sheets)
            ]
            XlsxWriterWriter().write(replace(workbook, sheets=stand_ins), small)
            # Sheet i (0-based) of the workbook is XlsxWriter's part i + 1; rustpy's streamed
            # sheet j is its part j + 2 (after the throwaway first sheet).
            parts = {
                SHEET_PART.format(i + 1): SHEET_PART.format(j + 2) for j, i in enumerate(positions)
            }
            join(small, big, parts, target)


def join(small: str, big: str, parts: dict[str, str], target) -> None:
    """Write `small`'s package to `target` with `parts` (small's name → big's name) taken from
    `big` and the style sheets joined."""
    with zipfile.ZipFile(small) as left, zipfile.ZipFile(big) as right:
        styles, offset = joined_styles(right.read(STYLES).decode(), left.read(STYLES).decode())
        opened = open(target, "wb") if isinstance(target, str | os.PathLike) else None  # noqa: SIM115
        try:
            with zipfile.ZipFile(opened or target, "w", zipfile.ZIP_DEFLATED) as out:
                for info in left.infolist():
                    name = info.filename
                    if name in parts:
                        copy_compressed(right, right.getinfo(parts[name]), out, name)
                    elif name == STYLES:
                        out.writestr(name, styles)
                    elif name.startswith("xl/worksheets/sheet"):
                        out.writestr(name, renumbered(left.read(name).decode(), offset))
                    else:
                        out.writestr(info, left.read(name))
        finally:
            if opened:
                opened.close()


def copy_compressed(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile, name):
    """Copy one member's compressed bytes into `out` under `name`, without inflating them."""
    fp = source.fp
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + _LOCAL_HEADER + name_length + extra_length)
    copied = zipfile.ZipInfo(name, date_time=info.date_time)
    copied.compress_type = info.compress_type
    copied.CRC, copied.compress_size, copied.file_size = (
        info.CRC,
        info.compress_size,
        info.file_size,
    )
    copied.external_attr = info.external_attr
    # ZipFile has no public call for bytes already compressed: write the local header and the
    # data where its next member would go, and register the member for the central directory.
    copied.header_offset = out.fp.tell()
    out.fp.write(copied.FileHeader())
    remaining = info.compress_size
    while remaining:
        chunk = fp.read(min(remaining, 1 << 20))
        if not chunk:
            raise zipfile.BadZipFile(f"{info.filename} is truncated")
        out.fp.write(chunk)
        remaining -= len(chunk)
    out.filelist.append(copied)
    out.NameToInfo[name] = copied
    out.start_dir = out.fp.tell()
    out._didModify = True


_SECTIONS = {  # section: the pattern of one of its items
    "numFmts": r"<numFmt [^>]*/>",
    "fonts": r"<font>.*?</font>|<font/>",
    "fills": r"<fill>.*?</fill>|<fill/>",
    "borders": r"<border>.*?</border>|<border/>|<border [^>]*>.*?</border>",
    "cellXfs": r"<xf [^>]*/>|<xf [^>]*[^/]>.*?</xf>",
}


def _items(xml: str, section: str) -> list[str]:
    found = re.search(rf"<{section}\b[^>]*>(.*?)</{section}>", xml, re.S)
    return re.findall(_SECTIONS[section], found.group(1), re.S) if found else []


def _with_items(xml: str, section: str, items: list[str], before: str) -> str:
    """`xml` with `section` holding `items` (created before `<before` when missing)."""
    body = f'<{section} count="{len(items)}">{"".join(items)}</{section}>'
    if re.search(rf"<{section}\b", xml):
        return re.sub(
            rf"<{section}\b[^>]*>.*?</{section}>", lambda _m: body, xml, count=1, flags=re.S
        )
    return xml.replace(f"<{before}", body + f"<{before}", 1)


def joined_styles(base: str, added: str) -> tuple[str, int]:
    """`base`'s style sheet with `added`'s number formats, fonts, fills, borders and cell formats
    appended, and the offset to add to `added`'s cell format numbers."""
    formats = _items(base, "numFmts")
    next_id = (
        max(
            [_FIRST_CUSTOM_FORMAT - 1]
            + [int(i) for i in re.findall(r'numFmtId="(\d+)"', "".join(formats))]
        )
        + 1
    )
    format_ids = {}
    for item in _items(added, "numFmts"):
        old = re.search(r'numFmtId="(\d+)"', item).group(1)
        format_ids[old] = str(next_id)
        formats.append(item.replace(f'numFmtId="{old}"', f'numFmtId="{next_id}"', 1))
        next_id += 1
    counts = {}
    joined = base
    for section in ("fonts", "fills", "borders"):
        mine = _items(base, section)
        counts[section] = len(mine)
        joined = _with_items(joined, section, mine + _items(added, section), "cellXfs")
    xfs = _items(base, "cellXfs")
    offset = len(xfs)

    def moved(xf: str) -> str:
        xf = re.sub(r'fontId="(\d+)"', lambda m: f'fontId="{int(m[1]) + counts["fonts"]}"', xf)
        xf = re.sub(r'fillId="(\d+)"', lambda m: f'fillId="{int(m[1]) + counts["fills"]}"', xf)
        xf = re.sub(
            r'borderId="(\d+)"', lambda m: f'borderId="{int(m[1]) + counts["borders"]}"', xf
        )
        return re.sub(r'numFmtId="(\d+)"', lambda m: f'numFmtId="{format_ids.get(m[1], m[1])}"', xf)

    joined = _with_items(
        joined, "cellXfs", xfs + [moved(xf) for xf in _items(added, "cellXfs")], "cellStyles"
    )
    joined = _with_items(joined, "numFmts", formats, "fonts") if formats else joined
    return joined, offset


def renumbered(sheet_xml: str, offset: int) -> str:
    """A sheet's cell, row and column style numbers moved by `offset`."""
    return re.sub(
        r'(<(?:c|row|col)\b[^>]*?\s(?:s|style)=")(\d+)"',
        lambda m: f'{m[1]}{int(m[2]) + offset}"',
        sheet_xml,
    )
