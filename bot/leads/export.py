"""Lead exports for the Knowledge Centres: xlsx (openpyxl) or csv the way Excel set to
Turkish reads it (UTF-8 with BOM, fields separated by ";": Turkish Excel's list separator,
since "," is its decimal mark).

Leads contain text typed by anyone on Telegram. In the csv every text cell that a spreadsheet
could take for a formula (starts with = + - @ TAB or CR; OWASP "CSV injection") gets a
leading apostrophe. In the xlsx every text is a string cell, which a spreadsheet never runs as
a formula, so the text is kept exactly as typed (no apostrophe in a phone number).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bot.atomicfile import write_atomic
from bot.leads import views
from eligibility.labels import get_labels
from eligibility.staff_words import staff_text
from eligibility.validators import format_phone

CSV_DELIMITER = ";"

FORMATS: tuple[str, ...] = ("xlsx", "csv")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Column titles: the lead field labels of content/labels.yaml, in bot/leads/views.py order.
COLUMNS = tuple(views.column_titles(views.EXPORT))

# Characters XML 1.0 (hence xlsx) cannot hold; TAB, LF and CR are allowed.
_XML_ILLEGAL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)], None)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def lead_row(lead: Mapping[str, Any], centre_names: Mapping[str, str] | None = None) -> list[Any]:
    """One spreadsheet row, in COLUMNS order, not yet neutralised. `centre_names` overrides
    how centres are named (default: bot/leads/views.py)."""
    labels = get_labels()
    row: list[Any] = []
    for key in views.EXPORT:
        if key == "id":
            row.append(lead.get("id"))
        elif key == "centre" and centre_names is not None:
            centre = lead.get("centre") or ""
            row.append(centre_names.get(centre, centre))
        elif key == "phone" and lead.get("phone"):
            row.append(format_phone(str(lead["phone"])))  # "0532 123 45 67"
        else:
            row.append(views.value(lead, key, labels))
    return row


def _rows(
    leads: Iterable[Mapping[str, Any]], centre_names: Mapping[str, str] | None
) -> list[list[Any]]:
    return [lead_row(lead, centre_names) for lead in leads]


def _csv_bytes(rows: list[list[Any]]) -> bytes:
    rows = [[neutralise(v) for v in row] for row in rows]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # The BOM makes Excel read Turkish letters as UTF-8.
    return buf.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: list[list[Any]], leads: list[Mapping[str, Any]] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = staff_text("export.leads_sheet")
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = value.translate(_XML_ILLEGAL)
                cell.data_type = "s"  # never a formula, whatever the text
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for c, title in enumerate(COLUMNS, start=1):
        longest = max([len(title), *(len(str(row[c - 1] or "")) for row in rows[:200])])
        ws.column_dimensions[get_column_letter(c)].width = min(max(10, longest + 2), 60)
    if leads is not None:
        from bot.leads.export_sheets import add_clusters_sheet, add_summary_sheet

        add_summary_sheet(wb, leads)
        add_clusters_sheet(wb, leads)
    buf = io.BytesIO()
    wb.save(buf)
    return _keep_carriage_returns(buf.getvalue())


def _keep_carriage_returns(xlsx: bytes) -> bytes:
    """openpyxl writes a CR in cell text as a raw byte, which every XML parser reads back as
    LF (XML line-end normalisation). As the character reference &#13; it survives. The
    serialiser emits no CR of its own, so every raw CR in a part is cell (or attribute) text."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    if not any(b"\r" in data for info, data in parts if info.filename.endswith(".xml")):
        return xlsx
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            if info.filename.endswith(".xml"):
                data = data.replace(b"\r", b"&#13;")
            dst.writestr(info, data)
    return out.getvalue()


def export_bytes(
    leads: Iterable[Mapping[str, Any]],
    format: str = "xlsx",
    centre_names: Mapping[str, str] | None = None,
) -> bytes:
    """The export as bytes, e.g. for the bot to send as a document."""
    if format not in FORMATS:
        raise ValueError(f"bilinmeyen biçim '{format}'; xlsx ya da csv olmalı")
    leads = list(leads)
    rows = _rows(leads, centre_names)
    return _xlsx_bytes(rows, leads) if format == "xlsx" else _csv_bytes(rows)


def export_leads(
    leads: Iterable[Mapping[str, Any]],
    path: str | os.PathLike[str],
    format: str = "xlsx",
    centre_names: Mapping[str, str] | None = None,
) -> Path:
    """Writes the export to `path` (mode 0600: it holds personal data) and returns it."""
    return write_atomic(Path(path).absolute(), export_bytes(leads, format, centre_names))
