"""Turkish formatting of figures, dates and citations for the generated Markdown."""

from __future__ import annotations

import datetime as dt
import html
from decimal import ROUND_HALF_UP, Decimal

from eligibility.models import Citation, Content, Parameter

MONTHS = (
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
    "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık",
)


def number(value: Decimal | int | float) -> str:
    """Turkish digit grouping: 25000000 → "25.000.000", 1234.5 → "1.234,50"."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}".split(".")
    return f"{whole.replace(',', '.')},{frac}"


def tl(value: Decimal | int | float) -> str:
    return f"{number(value)} TL"


def percent(ratio: Decimal) -> str:
    """0.50 → "%50" (Turkish puts the sign first)."""
    return f"%{number((Decimal(ratio) * 100).normalize())}"


def date_tr(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


UNITS = {"year": "yıl", "month": "ay", "count": "", "EUR": "Avro"}


def figure(param: Parameter, on: dt.date | None = None) -> str:
    """A parameter's value in force, formatted for its unit."""
    value = param.at(on)
    if param.unit == "TRY":
        return tl(value)
    if param.unit == "ratio":
        return percent(value)
    if param.unit == "percent":
        return f"%{number(value)}"
    unit = UNITS.get(param.unit, "")
    return f"{number(value)} {unit}".strip()


def figure_span(name: str, content: Content, on: dt.date | None = None) -> str:
    """The figure as HTML, tagged with its parameter so tests can check it against content/."""
    param = content.parameters[name]
    return (
        f'<span class="kume-figure" data-parameter="{name}" '
        f'data-value="{param.at(on)}">{figure(param, on)}</span>'
    )


def esc(text: str) -> str:
    """Content text inside generated Markdown/HTML: HTML-escaped, Markdown specials neutralised."""
    out = html.escape(" ".join(text.split()), quote=False)
    for ch in "\\`*_[]#|":
        out = out.replace(ch, "\\" + ch)
    return out


def source_label(citation: Citation, content: Content) -> str:
    src = content.sources.get(citation.source)
    if src is None:
        return esc(citation.source)
    return f"{esc(src.title)} ({esc(src.publisher)}, {src.date.year})"


def cite(citation: Citation, content: Content) -> str:
    """A one-line HTML source note: the verbatim sentence, the text and its date."""
    return (
        f'<small class="kume-kaynak">Kaynak: «{esc(citation.quote)}» — '
        f"{source_label(citation, content)}</small>"
    )
