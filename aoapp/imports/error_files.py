"""The row-error report of a rejected import: a CSV file beside the exports, written whole."""

import csv
import os
import tempfile
from pathlib import Path

from flask import current_app

from aoapp.imports.rows import RowError


def errors_dir() -> Path:
    """Where error reports of imports are kept."""
    directory = Path(current_app.config["EXPORTS_DIR"]) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def write_errors_file(import_id: int, errors: list[RowError]) -> str:
    """Write the row errors as CSV (temp file, then rename: never a half-written report)."""
    directory = errors_dir()
    final = directory / f"import_{import_id}_errors.csv"
    handle, temp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(handle, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "column", "value", "message"])
        for error in errors:
            writer.writerow([error.row, error.column, _safe_cell(error.value), error.message])
    os.replace(temp, final)
    return final.name


def _safe_cell(value) -> str:
    """Cells that a spreadsheet would run as a formula are written as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
