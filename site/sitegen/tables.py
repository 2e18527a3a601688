"""Tables that fit a phone: on narrow screens each row becomes a block whose cells carry
their column's name (CSS reads data-label), so no column is cut off and nothing scrolls
sideways. Written as HTML (one line per row, no blank line: Markdown leaves it as is)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

REFLOW = "kume-reflow"


def reflow_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str | None = None,
    row_attrs: Sequence[str] | None = None,
    cell_classes: Sequence[str] | None = None,
    css: str = "",
) -> str:
    """`headers` are plain text; cells are HTML already escaped. `row_attrs`: extra attribute
    text per row (e.g. ' data-plate="1"'); `cell_classes`: one class per column."""
    out = [f'<table class="{" ".join(filter(None, (REFLOW, css)))}">']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    out.append(f"<thead><tr>{head}</tr></thead>")
    out.append("<tbody>")
    for n, row in enumerate(rows):
        attrs = row_attrs[n] if row_attrs else ""
        cells = []
        for i, cell in enumerate(row):
            cls = f' class="{cell_classes[i]}"' if cell_classes and cell_classes[i] else ""
            cells.append(f'<td{cls} data-label="{escape(headers[i], quote=True)}">{cell}</td>')
        out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)
