"""The on-site tools: the eligibility check, the grant calculator and "find your centre".

Each page carries the data its tool reads as inline JSON (eligibility.tool_data, exported at
build time: no figure lives in the JavaScript) and a short text that says what the tool does
for visitors without JavaScript, with a link to the page that holds the same rules as text.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from eligibility.models import Content
from eligibility.tool_data import tool_data
from sitegen import pictures
from sitegen.fmt import dated, esc, once
from sitegen.links import rel
from sitegen.model import Page, Section
from sitegen.steps import next_steps_section
from sitegen.tables import reflow_table

CHECK = "uygunluk-kontrolu.md"
CALCULATOR = "hibe-hesaplama.md"
CENTRE = "merkezinizi-bulun.md"
PARTICIPATION = "kimler-katilabilir.md"
MONEY = "sure-ve-destek-miktari.md"
PROJECT = "kobi-kumelenme-projesi.md"
SCRIPTS = "assets/javascripts"
DATA_ID = "kume-tool-data"


def data_script(data: dict[str, Any]) -> str:
    """Inline JSON on one line (a blank line would end Markdown's raw HTML block); `<`, `>`
    and `&` escaped so that no text can close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{DATA_ID}">{text}</script>'


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


def check(content: Content, data: dict[str, Any], portal: str | None) -> Page:
    page = CHECK
    nojs = (
        "Bu araç tarayıcınızda JavaScript ile çalışır. Aynı şartları "
        f'<a href="{rel(page, PARTICIPATION).replace(".md", ".html")}">Kimler katılabilir?</a> '
        "sayfasında metin olarak bulabilirsiniz."
    )
    md = f"""# Uygunluk kontrolü

{esc(data["check"]["intro"])}

Sorular Telegram botunun sorularıyla aynıdır; yanıtlarınız bu sayfadan çıkmaz, hiçbir yere
gönderilmez ve kaydedilmez. Sonuç bir ön değerlendirmedir, Bakanlığın kararı değildir.

{_tool("check", nojs)}

{data_script({"date": data["date"], "check": data["check"]})}
{scripts(page, "kume-check-result.js", "kume-check.js")}

## Kural

{pictures.membership_figure(content)}

{next_steps_section(content, ["eligible", "not_eligible"], page, portal)}
"""
    return Page(page, "Uygunluk kontrolü", md)


def calculator(content: Content, data: dict[str, Any], on: dt.date | None) -> Page:
    page = CALCULATOR
    nojs = (
        "Bu araç tarayıcınızda JavaScript ile çalışır. Hesaplamanın kuralları ve iki örnek "
        f'<a href="{rel(page, MONEY).replace(".md", ".html")}">Süre ve destek miktarı</a> '
        "sayfasındadır."
    )
    md = f"""# Hibe hesaplama

Bir kümelenme birlikteliğinin bir iş planı için alabileceği en yüksek hibeyi hesaplar. Hibe
tek bir firmaya değil, birliktelik adına hazırlanan iş planına verilir. Hesap, Telegram
botunun kullandığı kurallarla yapılır; girdiğiniz tutarlar bu sayfadan çıkmaz.

Hibe üç sınırın en küçüğüdür:

1. **Kalem sınırı:** her kalemin tutarının en çok {dated("item_grant_rate", content, on)} kadarı.
2. **İş planı sınırı:** iş planı toplam bütçesinin en çok {dated("plan_grant_rate", content, on)}
   kadarı.
3. **Programdan kalan hibe:** {dated("total_grant", content, on)} ile birlikteliğin daha önce
   aldığı hibelerin farkı. Program sayfası bu tutarın bir birliktelik için mi bütün program
   için mi olduğunu açıkça söylemez; hesap onu bir birliktelik için kabul eder (varsayım).

{_tool("calc", nojs)}

{data_script({"date": data["date"], "budget": data["budget"]})}
{scripts(page, "kume-money.js", "kume-calc.js")}

{next_steps_section(content, ["money"], page, None)}
"""
    return Page(page, "Hibe hesaplama", md)


def centre(content: Content, data: dict[str, Any], portal: str | None) -> Page:
    page = CENTRE
    routing = data["routing"]
    centres = {c["id"]: c for c in routing["centres"]}
    rows, attrs = [], []
    for p in routing["provinces"]:
        c = centres[p["centre"]]
        km = p["distance_km"]
        how = "ilin kendi merkezi" if p["local"] else f"en yakın merkez, yaklaşık {km} km"
        rows.append([str(p["plate"]), esc(p["name"]), esc(c["name"]), how])
        attrs.append(f' data-plate="{p["plate"]}" data-centre="{p["centre"]}"')
    table = reflow_table(
        ["Plaka", "İl", "Merkez", "Neden"],
        rows,
        caption="81 il ve yönlendirildikleri Kümelenme Bilgi Merkezi",
        row_attrs=attrs,
    )
    nojs = "İlinizi aşağıdaki tabloda bulabilirsiniz; arama kutusu JavaScript ile çalışır."
    md = f"""# Merkezinizi bulun

Beş Kümelenme Bilgi Merkezi, KOBİ İşbirliği ve Kümelenme Projesi (2011–2013) döneminde
Çorum, Gaziantep, Kahramanmaraş, Samsun ve Trabzon'da kuruldu. Botun kullandığı yöntemle her
il, kendi merkezine ya da il merkezleri arasındaki kuş uçuşu uzaklığa göre en yakın merkeze
yönlendirilir. İl koordinatları yaklaşık değerlerdir.

{_tool("centre", nojs)}

{data_script({"routing": routing})}
{scripts(page, "kume-centre.js")}

## Haritada merkezler

{pictures.map_figure(content, routing)}

## İllere göre merkezler

{table}

{next_steps_section(content, ["centres"], page, portal)}
"""
    return Page(page, "Merkezinizi bulun", md)


def section(content: Content, on: dt.date | None, portal: str | None) -> Section:
    data = tool_data(content, on)
    pages = [once(check, content, data, portal), once(calculator, content, data, on)]
    return Section("Araçlar", [*pages, once(centre, content, data, portal)])
