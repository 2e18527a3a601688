"""The on-site tools: the eligibility check, the grant calculator and "find your centre".

Each page carries the data its tool reads as inline JSON (eligibility.tool_data, exported at
build time: no figure and no word lives in the JavaScript) and a short text that says what
the tool does for visitors without JavaScript, with a link to the page that holds the same
rules as text. The pages' own words are content/site_tools.yaml's, like the scripts'.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from eligibility.labels import get_labels
from eligibility.models import Content
from eligibility.templates import fill
from eligibility.tool_data import tool_data
from sitegen import pictures
from sitegen.fmt import esc, listing, once
from sitegen.links import rel
from sitegen.model import Page, Section
from sitegen.pages_core import PARTICIPATION, PARTICIPATION_TITLE
from sitegen.pages_money import MONEY, MONEY_TITLE, cap_rules
from sitegen.steps import next_steps_section
from sitegen.tables import reflow_table

CHECK = "uygunluk-kontrolu.md"
CALCULATOR = "hibe-hesaplama.md"
CENTRE = "merkezinizi-bulun.md"
SCRIPTS = "assets/javascripts"
DATA_ID = "kume-tool-data"
TOOL_PAGES = {"check": CHECK, "calc": CALCULATOR, "centre": CENTRE}


def data_script(data: dict[str, Any]) -> str:
    """Inline JSON on one line (a blank line would end Markdown's raw HTML block); `<`, `>`
    and `&` escaped so that no text can close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{DATA_ID}">{text}</script>'


def page_data(data: dict[str, Any], *parts: str) -> str:
    """The parts a tool reads, with the words and the folding tables every tool needs."""
    return data_script({key: data[key] for key in (*parts, "words", "text")})


def scripts(page: str, *names: str) -> str:
    return "\n".join(
        f'<script src="{rel(page, f"{SCRIPTS}/{name}")}" defer></script>'
        for name in ("kume-core.js", *names)
    )


def _tool(tool: str, nojs: str) -> str:
    return (
        f'<div class="kume-tool" id="kume-{tool}" data-tool="{tool}">\n'
        f'<p class="kume-nojs">{nojs}</p>\n</div>'
    )


def _nojs(content: Content, page: str, text: str, target: str, title: str) -> str:
    """The fallback text: the tool needs JavaScript; the same answer is on `target`."""
    link = f'<a href="{rel(page, target).replace(".md", ".html")}">{esc(title)}</a>'
    return f"{esc(content.site_tools.common.nojs)} {fill(esc(text), {'link': link})}"


def check(content: Content, data: dict[str, Any], portal: str | None) -> Page:
    page, words = CHECK, content.site_tools
    nojs = _nojs(content, page, words.check.nojs, PARTICIPATION, PARTICIPATION_TITLE)
    md = f"""# {esc(words.tools.check.title)}

{esc(data["check"]["intro"])}

{esc(words.check.privacy)}

{_tool("check", nojs)}

{page_data(data, "date", "check")}
{scripts(page, "kume-check-result.js", "kume-check.js")}

## {esc(words.check.rule_heading)}

{pictures.membership_figure(content)}

{next_steps_section(content, ["eligible", "not_eligible"], page, portal)}
"""
    return Page(page, words.tools.check.title, md)


def calculator(content: Content, data: dict[str, Any], on: dt.date | None) -> Page:
    page, words = CALCULATOR, content.site_tools
    nojs = _nojs(content, page, words.calc.nojs, MONEY, MONEY_TITLE)
    md = f"""# {esc(words.tools.calc.title)}

{esc(words.calc.intro)}

{esc(words.calc.caps_intro)}

{cap_rules(content, on)} {esc(words.calc.remaining_assumption)}

{_tool("calc", nojs)}

{page_data(data, "date", "budget")}
{scripts(page, "kume-money.js", "kume-calc.js")}

{next_steps_section(content, ["money"], page, None)}
"""
    return Page(page, words.tools.calc.title, md)


def centre_intro(content: Content) -> str:
    """How many centres, where and when, from project.yaml; how provinces are routed."""
    words = content.site_tools
    centres = [c.province for c in content.project.centres]
    dates = {e.id: e.start for e in content.project.timeline}
    years = f"{dates['start'].year}–{dates['planned_end'].year}"
    values = {
        "count": str(len(centres)),
        "project": content.project.name,
        "years": years,
        "provinces": listing(centres, words.common.list_and),
    }
    return esc(fill(words.centre.intro, values))


def centre(content: Content, data: dict[str, Any], portal: str | None) -> Page:
    page, words = CENTRE, content.site_tools.centre
    fields = get_labels().lead_fields
    routing = data["routing"]
    centres = {c["id"]: c for c in routing["centres"]}
    rows, attrs = [], []
    for p in routing["provinces"]:
        c = centres[p["centre"]]
        km = p["distance_km"]
        how = words.table_local if p["local"] else fill(words.table_nearest, {"km": str(km)})
        rows.append([str(p["plate"]), esc(p["name"]), esc(c["name"]), esc(how)])
        attrs.append(f' data-plate="{p["plate"]}" data-centre="{p["centre"]}"')
    table = reflow_table(
        [words.plate, fields["province"], fields["centre"], words.why],
        rows,
        caption=fill(words.table_caption, {"count": str(len(rows))}),
        row_attrs=attrs,
    )
    md = f"""# {esc(content.site_tools.tools.centre.title)}

{centre_intro(content)}

{_tool("centre", esc(words.nojs))}

{page_data(data, "routing")}
{scripts(page, "kume-province.js", "kume-centre.js")}

## {esc(words.map_heading)}

{pictures.map_figure(content, routing)}

## {esc(words.table_heading)}

{table}

{next_steps_section(content, ["centres"], page, portal)}
"""
    return Page(page, content.site_tools.tools.centre.title, md)


def section(content: Content, on: dt.date | None, portal: str | None) -> Section:
    data = tool_data(content, on)
    pages = [once(check, content, data, portal), once(calculator, content, data, on)]
    pages.append(once(centre, content, data, portal))
    return Section(content.site_tools.tools.section, pages)
