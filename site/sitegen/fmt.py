"""Turkish formatting of figures, dates and citations for the generated Markdown.

Every figure is shown with its dating line (eligibility.dating.figure_basis); official text
is labelled as such, our own explanations as "not official" (labels from notices.yaml).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

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


def listing(items: list[str], and_word: str) -> str:
    """ "Çorum, Samsun ve Trabzon": commas, and `and_word` (content's " ve ") before the last."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + and_word + items[-1]


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


# The citations already shown on the page being generated: quote → anchor. Answers come
# first and sources on demand, so a sentence is quoted once per page, folded.
_page_quotes: ContextVar[dict[str, str] | None] = ContextVar("page_quotes", default=None)
T = TypeVar("T")


@contextlib.contextmanager
def page_citations() -> Iterator[None]:
    """Within this block, each seed sentence is quoted once; later citations point back."""
    token = _page_quotes.set({})
    try:
        yield
    finally:
        _page_quotes.reset(token)


def once(make: Callable[..., T], *args: Any) -> T:
    """make(*args) with its own citation registry: one page, each sentence quoted once."""
    with page_citations():
        return make(*args)


def cite(citation: Citation, content: Content) -> str:
    """The source of a fact, folded: "Kaynak" opens the verbatim sentence, labelled official,
    with its source and date. A sentence already quoted on the page links back to it."""
    label = esc(content.notices.labels.official)
    words = content.site_tools.common
    quote = " ".join(citation.quote.split())
    seen = _page_quotes.get()
    if seen is not None and quote in seen:
        return (
            f'<small class="kume-kaynak-ref">{label}: <a href="#{seen[quote]}">'
            f"{esc(words.quoted_above)}</a></small>"
        )
    anchor = ""
    if seen is not None:
        seen[quote] = f"kaynak-{len(seen) + 1}"
        anchor = f' id="{seen[quote]}"'
    return (
        f'<details class="kume-kaynak"{anchor}><summary><span class="kume-fold-mark"></span>'
        f"{esc(words.source_summary)}</summary><blockquote>«{esc(citation.quote)}»</blockquote>"
        f'<p class="kume-kaynak-where">{label}: {source_label(citation, content)}</p></details>'
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
