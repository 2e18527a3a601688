"""Dating lines: what every front end puts next to a programme figure, so that no figure is
shown without its source and the source's date ("2013 tarihli program sayfasına göre").

Dates are shown only as precisely as the source gives them (sources.yaml date_precision):
the kdp page has nothing but a copyright year, so it reads "2013 tarihli", never a day.
Values of a later call that is not confirmed are never "the figure"; `reported_values` lists
them for a "reported, not confirmed" mention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from eligibility.models import Content, Parameter, ParameterValue, Source
from eligibility.templates import fill

MONTHS = (
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
    "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık",
)  # fmt: skip


def date_tr(day: dt.date) -> str:
    """1 Ocak 2013."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _content(content: Content | None) -> Content:
    if content is not None:
        return content
    from eligibility.content import get_content

    return get_content()


def source_date(src: Source) -> str:
    """The source's date to its precision: "2013", "2011–2013", "Temmuz 2011", "28 Temmuz 2011"."""
    if src.date_latest is not None and src.date_latest.year != src.date.year:
        return f"{src.date.year}–{src.date_latest.year}"
    if src.date_precision == "year":
        return str(src.date.year)
    if src.date_precision == "month":
        return f"{MONTHS[src.date.month - 1]} {src.date.year}"
    return date_tr(src.date)


def source_basis(src: Source, content: Content | None = None) -> str:
    """ "2013 tarihli program sayfasına göre" for a source."""
    templates = _content(content).notices.figure_basis
    if src.date_latest is not None and src.date_latest.year != src.date.year:
        template = templates.range
    else:
        template = getattr(templates, src.date_precision)
    return fill(
        template,
        {
            "date": date_tr(src.date),
            "month": f"{MONTHS[src.date.month - 1]} {src.date.year}",
            "year": str(src.date.year),
            "year_from": str(src.date.year),
            "year_to": str((src.date_latest or src.date).year),
            "basis": src.basis,
        },
    )


def _param(parameter: str | Parameter, content: Content) -> Parameter:
    return content.parameters[parameter] if isinstance(parameter, str) else parameter


def value_basis(value: ParameterValue, content: Content | None = None) -> str:
    """The dating line of one value: its official source, or its call and secondary sources."""
    content = _content(content)
    if value.source is not None:
        return source_basis(content.sources[value.source.source], content)
    assert value.call is not None  # the model requires a source or a call
    call = content.calls.get(value.call)
    sources = ", ".join(secondary_label(s, content) for s in call.sources)
    if call.confirmed:
        return f"{call.name} ({content.notices.call_status['confirmed']}; {sources})"
    return fill(content.notices.figure_basis.reported, {"call": call.name, "sources": sources})


def figure_basis(
    parameter: str | Parameter, on: dt.date | None = None, content: Content | None = None
) -> str:
    """The dating line of the value in force: "2013 tarihli program sayfasına göre"."""
    content = _content(content)
    return value_basis(_param(parameter, content).entry_at(on), content)


def secondary_label(source_id: str, content: Content | None = None) -> str:
    """ "mevka.org.tr, 13 Kasım 2023" or, undated, "trkredi.com"."""
    src = _content(content).secondary_sources.get(source_id)
    return f"{src.publisher}, {date_tr(src.published)}" if src.published else src.publisher


@dataclass(frozen=True)
class Reported:
    """A value reported for a later call and not confirmed: mention, never use."""

    parameter: str
    value: ParameterValue
    basis: str


def reported_values(content: Content | None = None) -> list[Reported]:
    content = _content(content)
    return [
        Reported(name, value, value_basis(value, content))
        for name, param in content.parameters.items()
        for value in param.reported()
    ]


def seed_years(content: Content | None = None) -> str:
    """The span of the seed texts' dates: "2011–2013"."""
    srcs = _content(content).sources.values()
    first = min(s.date.year for s in srcs)
    last = max((s.date_latest or s.date).year for s in srcs)
    return str(first) if first == last else f"{first}–{last}"


def dating_notice(portal: str, content: Content | None = None) -> str:
    """The notice every site page carries; `portal` is the portal as the front end links it."""
    content = _content(content)
    text = fill(content.notices.dating_notice, {"years": seed_years(content), "portal": portal})
    return " ".join(text.split())
