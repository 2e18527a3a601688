"""Pictures drawn from content/ at build time as inline SVG (no external file, no font), each
with a text alternative: <title> and <desc> name it for screen readers, and a caption says
where its numbers come from.

- membership_figure: a chamber, a university, the committed firms, the optional member types;
- budget_figure: a worked example's plan total, the 50 % line, the item ceilings, the
  programme's remaining amount and the grant they leave;
- map_figure: the 81 provinces placed by their coordinates, coloured by routed centre;
- timeline_figure: the project's dated steps (project.yaml `timeline`).
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape
from typing import Any

from eligibility.budget import BudgetResult
from eligibility.dating import MONTHS, date_tr, figure_basis
from eligibility.models import Content, TimelineEvent
from eligibility.templates import fill
from sitegen.fmt import percent, tl
from sitegen.slug import slugify

# Colours for the five centres: dark enough for 3:1 against white (WCAG 1.4.11) and told
# apart by the legend's names, not by colour alone (the table lists every province).
CENTRE_COLOURS = ("#0b5fa5", "#b3400b", "#0a7a55", "#7b3294", "#7a6200")
INK, MUTED, LINE = "#1f2430", "#4a5060", "#8a90a0"


def _t(text: str) -> str:
    return escape(text, quote=True)


def _svg(pid: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg class="kume-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{pid}-title {pid}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{pid}-title">{_t(title)}</title><desc id="{pid}-desc">{_t(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _figure(pid: str, svg: str, caption: str) -> str:
    # One line: a blank line would end Markdown's raw HTML block.
    return (
        f'<figure class="kume-picture" id="{pid}">{svg}<figcaption>{caption}</figcaption></figure>'
    )


def _text(x: float, y: float, text: str, size: int = 14, anchor: str = "start",
          weight: str = "400", fill: str = INK) -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{_t(text)}</text>'
    )


# --- membership rule -----------------------------------------------------------------------


def membership_figure(content: Content) -> str:
    params = content.parameters
    chambers = int(params["min_chambers"].at())
    universities = int(params["min_universities"].at())
    firms = int(params["min_committed_firms"].at())
    optional = [m.short_name or m.name for m in content.programme.member_types]
    basis = figure_basis("min_committed_firms", None, content)
    per_row = 10
    firm_rows = math.ceil(firms / per_row)
    box_h = 200 + firm_rows * 34
    body = [
        f'<rect x="4" y="4" width="512" height="{box_h}" rx="12" fill="#eef3fb" stroke="{LINE}"/>',
        _text(20, 32, "Zorunlu üyeler", 17, weight="700"),
        f'<rect x="20" y="46" width="235" height="74" rx="8" fill="#fff" stroke="{INK}" '
        'stroke-width="2"/>',
        _text(34, 74, f"En az {chambers} sanayi odası", 15, weight="700"),
        _text(34, 98, "(bölgede yoksa ticaret", 13, fill=MUTED),
        _text(34, 114, "ve sanayi odası)", 13, fill=MUTED),
        f'<rect x="265" y="46" width="235" height="74" rx="8" fill="#fff" stroke="{INK}" '
        'stroke-width="2"/>',
        _text(279, 88, f"En az {universities} üniversite", 15, weight="700"),
        _text(20, 148, f"En az {firms} firma, işbirliği taahhüdüyle", 15, weight="700"),
    ]
    for i in range(firms):
        x, y = 20 + (i % per_row) * 48, 160 + (i // per_row) * 34
        body.append(
            f'<rect x="{x}" y="{y}" width="40" height="26" rx="4" fill="{CENTRE_COLOURS[0]}"/>'
        )
    body.append(_text(20, box_h - 12, "kümenin ana faaliyet alanından", 13, fill=MUTED))
    top = box_h + 36
    body.append(_text(8, top, "İsteğe bağlı olarak katılabilenler", 17, weight="700"))
    for i, name in enumerate(optional):
        y = top + 14 + i * 38
        body.append(
            f'<rect x="8" y="{y}" width="504" height="30" rx="15" fill="#fff" '
            f'stroke="{MUTED}" stroke-dasharray="6 4"/>'
        )
        body.append(_text(24, y + 20, name[:60], 14))
    height = top + 14 + len(optional) * 38 + 6
    title = "Kümelenme birlikteliğinde kimler bulunmalı?"
    desc = (
        f"Zorunlu: en az {chambers} sanayi odası (bölgede sanayi odası yoksa ticaret ve sanayi "
        f"odası), en az {universities} üniversite ve kümenin ana faaliyet alanından işbirliği "
        f"taahhüdü veren en az {firms} firma. İsteğe bağlı: " + "; ".join(optional) + "."
    )
    caption = (
        f"Zorunlu üyeler ve isteğe bağlı üye türleri ({_t(basis)}). Kutulardaki kısa adlar "
        "bizimdir; resmî adlar Kimler katılabilir? sayfasındadır."
    )
    return _figure("resim-uyelik", _svg("resim-uyelik", 520, height, title, desc, body), caption)


# --- grant calculation -------------------------------------------------------------------


def budget_figure(pid: str, result: BudgetResult, content: Content) -> str:
    """Bars on one scale: plan total, its 50 % line, the item ceilings, what is left of the
    programme amount, and the grant (the smallest of the three caps)."""
    total = result.total_cost
    plan_rate = percent(result.rates["plan_grant_rate"])
    item_rate = percent(result.rates["item_grant_rate"])
    scale_max = total * Decimal("1.15")
    left, width = 8, 504

    def w(value: Decimal) -> float:
        return float(min(value, scale_max) / scale_max) * width

    calc = content.site_tools.calc
    caps = calc.caps
    rows: list[tuple[str, Decimal, str, bool]] = [
        (calc.plan_total, total, "#9aa3b5", False),
        (f"{caps.plan.name} ({plan_rate})", result.caps["plan"], CENTRE_COLOURS[1], False),
        (f"{caps.items.name} ({item_rate})", result.caps["items"], CENTRE_COLOURS[2], False),
        (caps.remaining.name, result.caps["remaining"], CENTRE_COLOURS[3], False),
        (calc.max_grant, result.max_grant, CENTRE_COLOURS[0], True),
    ]
    body = []
    y = 8
    for label, value, colour, strong in rows:
        bar = w(value)
        body.append(_text(left, y + 14, label, 14, weight="700" if strong else "400"))
        y += 20
        body.append(f'<rect x="{left}" y="{y}" width="{bar:.1f}" height="24" fill="{colour}"/>')
        shown = tl(value) + (" (ölçeğe sığmıyor)" if value > scale_max else "")
        inside = bar > 150
        body.append(
            _text(
                left + bar - 6 if inside else left + bar + 6,
                y + 17,
                shown,
                13,
                "end" if inside else "start",
                "700",
                "#fff" if inside else INK,
            )
        )
        y += 38
    half = left + w(result.caps["plan"]) if total else left
    body.append(
        f'<line x1="{half:.1f}" y1="24" x2="{half:.1f}" y2="{y - 6}" stroke="{INK}" '
        'stroke-dasharray="5 4" stroke-width="1.5"/>'
    )
    body.append(_text(half + 4, y + 10, f"{plan_rate} çizgisi", 13, fill=MUTED))
    which = ", ".join(getattr(caps, b).name for b in result.binding)
    title = f"Hibe hesabı: {calc.max_grant} {tl(result.max_grant)}"
    desc = (
        f"{calc.plan_total} {tl(total)}. {caps.plan.name} ({plan_rate}) "
        f"{tl(result.caps['plan'])}; {caps.items.name} ({item_rate}) "
        f"{tl(result.caps['items'])}; {caps.remaining.name} {tl(result.caps['remaining'])}. "
        f"{calc.max_grant} bu üçünün en küçüğü: {tl(result.max_grant)} (belirleyen: {which})."
    )
    caption = (
        f"Üç sınır aynı ölçekte; hibe en kısa olanıdır. Oranlar: "
        f"{_t(figure_basis('plan_grant_rate', result.on, content))}."
    )
    return _figure(pid, _svg(pid, 520, y + 20, title, desc, body), caption)


# --- map of the provinces --------------------------------------------------------------


def map_figure(content: Content, routing: dict[str, Any]) -> str:
    provinces = routing["provinces"]
    centres = routing["centres"]
    colour = {c["id"]: CENTRE_COLOURS[i % len(CENTRE_COLOURS)] for i, c in enumerate(centres)}
    lat0 = 39.0
    kx = math.cos(math.radians(lat0))
    lons = [p["lon"] for p in provinces]
    lats = [p["lat"] for p in provinces]
    scale, pad = 44.0, 24.0
    width = (max(lons) - min(lons)) * kx * scale + 2 * pad
    height = (max(lats) - min(lats)) * scale + 2 * pad

    def xy(p: dict[str, Any]) -> tuple[float, float]:
        return (
            pad + (p["lon"] - min(lons)) * kx * scale,
            pad + (max(lats) - p["lat"]) * scale,
        )

    body = []
    centre_provinces = {c["province"]: c for c in centres}
    for p in provinces:
        x, y = xy(p)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{colour[p["centre"]]}" '
            f'data-plate="{p["plate"]}"><title>{_t(p["name"])}</title></circle>'
        )
    for p in provinces:
        if p["name"] in centre_provinces:
            x, y = xy(p)
            body.append(
                f'<rect x="{x - 11:.1f}" y="{y - 11:.1f}" width="22" height="22" fill="#fff" '
                f'stroke="{INK}" stroke-width="3" transform="rotate(45 {x:.1f} {y:.1f})"/>'
            )
            body.append(_text(x, y - 18, p["name"], 15, "middle", "700"))
    legend_y = height + 10
    for i, c in enumerate(centres):
        x = pad + i * 150
        body.append(f'<circle cx="{x + 8}" cy="{legend_y + 8}" r="7" fill="{colour[c["id"]]}"/>')
        body.append(_text(x + 20, legend_y + 13, c["province"], 13))
    height = legend_y + 30
    counts = {c["id"]: sum(1 for p in provinces if p["centre"] == c["id"]) for c in centres}
    title = fill(content.site_tools.centre.table_caption, {"count": str(len(provinces))})
    desc = (
        "İller yaklaşık koordinatlarına göre yerleştirildi ve yönlendirildikleri merkezin "
        f"rengiyle boyandı; {len(centres)} merkez eşkenar dörtgenle gösterildi. "
        + "; ".join(f"{c['province']}: {counts[c['id']]} il" for c in centres)
        + ". Her ilin merkezi aşağıdaki tabloda."
    )
    table = content.site_tools.centre.table_heading  # the heading of the page's table
    caption = (
        "İllerin merkezlere yönlendirilişi (botun yöntemi: ilin kendi merkezi, yoksa kuş uçuşu "
        f'en yakın merkez). Tam liste: <a href="#{slugify(table)}">{_t(table)}</a>.'
    )
    svg = _svg("resim-harita", round(width), round(height), title, desc, body)
    return _figure("resim-harita", svg, caption)


# --- project timeline --------------------------------------------------------------------


def event_date(event: TimelineEvent) -> str:
    """The date as the seed gives it: "22 Şubat 2011", "Ağustos 2013", "2007–2009"."""
    if event.precision == "year":
        end = f"–{event.end.year}" if event.end else ""
        return f"{event.start.year}{end}"
    if event.precision == "month":
        return f"{MONTHS[event.start.month - 1]} {event.start.year}"
    return date_tr(event.start)


def timeline_figure(content: Content) -> str:
    """One row per step above a year axis: a dot (a ring when only planned) or a bar for a
    period, with its date and label beside it."""
    events = content.project.timeline
    if not events:
        return ""
    first = min(e.start.year for e in events)
    last = max((e.end or e.start).year for e in events) + 1
    left, width = 26, 470
    span = last - first

    def x(date: Any) -> float:
        return left + (date.year - first + (date.timetuple().tm_yday - 1) / 366) / span * width

    row_h = 44
    axis_y = 24 + len(events) * row_h
    body = []
    for n, e in enumerate(events):
        y = 24 + n * row_h
        x0 = x(e.start)
        x1 = x(e.end) if e.end else x0
        body.append(f'<line x1="{x0:.1f}" y1="{y}" x2="{x0:.1f}" y2="{axis_y}" '
                    f'stroke="{LINE}" stroke-dasharray="2 3"/>')  # fmt: skip
        if e.end:
            body.append(f'<rect x="{x0:.1f}" y="{y - 9}" width="{x1 - x0:.1f}" height="18" '
                        f'fill="{CENTRE_COLOURS[4]}"/>')  # fmt: skip
        else:
            dash = ' stroke-dasharray="3 2"' if e.planned else ""
            fill = "#fff" if e.planned else CENTRE_COLOURS[n % len(CENTRE_COLOURS)]
            body.append(f'<circle cx="{x0:.1f}" cy="{y}" r="8" fill="{fill}" stroke="{INK}" '
                        f'stroke-width="2"{dash}/>')  # fmt: skip
        right = x1 < left + width * 0.55
        tx = x1 + 14 if right else x0 - 14
        anchor = "start" if right else "end"
        body.append(_text(tx, y - 3, event_date(e), 14, anchor, "700"))
        body.append(_text(tx, y + 14, e.label, 13, anchor))
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + width}" y2="{axis_y}" '
                f'stroke="{INK}" stroke-width="2"/>')  # fmt: skip
    for year in range(first, last + 1):
        xx = left + (year - first) / span * width
        body.append(f'<line x1="{xx:.1f}" y1="{axis_y - 5}" x2="{xx:.1f}" y2="{axis_y + 5}" '
                    f'stroke="{INK}"/>')  # fmt: skip
        if (year - first) % 2 == 0 or year == last:
            body.append(_text(xx, axis_y + 22, str(year), 13, "middle", fill=MUTED))
    title = f"{content.project.name}: zaman çizelgesi"
    desc = " ".join(f"{event_date(e)}: {e.label}." for e in events)
    caption = "Tarihler proje sayfasındaki cümlelerden; içi boş halka planlanan bir tarihtir."
    svg = _svg("resim-zaman", 520, axis_y + 34, title, desc, body)
    return _figure("resim-zaman", svg, caption)
