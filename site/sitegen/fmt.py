"""Turkish formatting of figures, dates and citations for the generated Markdown.

Every figure is shown with its dating line (eligibility.dating.figure_basis); official text
is labelled as such, our own explanations as "not official" (labels from notices.yaml).
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import ROUND_HALF_UP, Decimal

from eligibility.dating import date_tr, figure_basis, secondary_label, source_date, value_basis
from eligibility.models import Citation, Content, Parameter, ParameterValue

__all__ = ["date_tr"]


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


UNITS = {"year": "yıl", "month": "ay", "count": "", "EUR": "Avro"}


def format_value(param: Parameter, value: Decimal) -> str:
    """A value of a parameter, formatted for its unit."""
    if param.unit == "TRY":
        return tl(value)
    if param.unit == "ratio":
        return percent(value)
    if param.unit == "percent":
        return f"%{number(value)}"
    unit = UNITS.get(param.unit, "")
    return f"{number(value)} {unit}".strip()


def figure(param: Parameter, on: dt.date | None = None) -> str:
    """A parameter's value in force, formatted for its unit."""
    return format_value(param, param.at(on))


def figure_span(name: str, content: Content, on: dt.date | None = None) -> str:
    """The figure as HTML, tagged with its parameter and dating line so tests can check both
    against content/. Use `dated` unless the dating line is shown elsewhere in the block."""
    param = content.parameters[name]
    basis = html.escape(figure_basis(param, on, content), quote=True)
    return (
        f'<span class="kume-figure" data-parameter="{name}" '
        f'data-value="{param.at(on)}" data-basis="{basis}">{figure(param, on)}</span>'
    )


def basis_note(name: str, content: Content, on: dt.date | None = None) -> str:
    """The dating line of a figure, as it is shown next to it."""
    basis = figure_basis(name, on, content)
    return f'<small class="kume-basis">({esc(basis)})</small>'


def dated(name: str, content: Content, on: dt.date | None = None) -> str:
    """A figure followed by its dating line: "25.000.000 TL (2013 tarihli … göre)"."""
    return f"{figure_span(name, content, on)} {basis_note(name, content, on)}"


def reported_span(name: str, value: ParameterValue, content: Content) -> str:
    """A value of an unconfirmed call: marked, never like a figure in force."""
    param = content.parameters[name]
    label = esc(content.notices.labels.reported)
    return (
        f'<span class="kume-reported-value" data-parameter="{name}" '
        f'data-value="{value.value}">{format_value(param, value.value)}</span> '
        f'<small class="kume-basis">({label}: {esc(value_basis(value, content))})</small>'
    )


def esc(text: str) -> str:
    """Content text inside generated Markdown/HTML: HTML-escaped, Markdown specials neutralised."""
    out = html.escape(" ".join(text.split()), quote=False)
    for ch in "\\`*_[]#|":
        out = out.replace(ch, "\\" + ch)
    return out


def source_label(citation: Citation, content: Content) -> str:
    """ "Kümelenme Destek Programı — Program Hakkında (T.C. …, 2013)"."""
    src = content.sources.get(citation.source)
    if src is None:
        return esc(citation.source)
    return f"{esc(src.title)} ({esc(src.publisher)}, {source_date(src)})"


def cite(citation: Citation, content: Content) -> str:
    """A one-line HTML source note: the verbatim sentence, labelled official, and its date."""
    label = esc(content.notices.labels.official)
    return (
        f'<small class="kume-kaynak">{label}: «{esc(citation.quote)}» — '
        f"{source_label(citation, content)}</small>"
    )


def plain(text: str, content: Content, label: str = "plain") -> str:
    """Our own wording, labelled "not official" (label: plain, example or answer)."""
    word = esc(getattr(content.notices.labels, label))
    return f'<span class="kume-label">{word}:</span> {esc(text)}'


def secondary_note(source_id: str, content: Content) -> str:
    """One secondary source, visibly secondary: publisher, its date, link, when it was read."""
    src = content.secondary_sources.get(source_id)
    label = esc(content.notices.labels.secondary)
    name = esc(secondary_label(source_id, content))
    link = f" <{src.url}>" if src.url else ""
    return (
        f'<small class="kume-secondary">{label}: {name}{link} '
        f"({esc(src.title)}; {date_tr(src.retrieved)} tarihli kopyaya göre)</small>"
    )
