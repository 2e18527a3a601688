"""Support scope: an overview table and one page per category, one section per activity.

Each activity section carries the activity id as its anchor; the bot links to it.
"""

from __future__ import annotations

import datetime as dt

from eligibility.dating import date_tr, source_date
from eligibility.models import Activity, Category, Content
from sitegen import urls
from sitegen.fmt import cite, esc, once, plain, source_label
from sitegen.links import activity_link, rel
from sitegen.model import Page, Section
from sitegen.tables import reflow_table

SCOPE = f"{urls.SCOPE_DIR}/index.md"


def print_button(content: Content) -> str:
    """A category page prints as a handout (print stylesheet in assets/kume.css,
    kume-print.js shows the button)."""
    return (
        '<p><button type="button" class="md-button kume-print-button" data-kume-print hidden>'
        f"{esc(content.site_tools.common.print_page)}</button></p>"
    )


def html_path(md_link: str) -> str:
    """A relative link to a generated page as the browser needs it (page.md → page.html)."""
    path, _, anchor = md_link.partition("#")
    path = path.removesuffix(".md") + urls.PAGE_SUFFIX
    return f"{path}#{anchor}" if anchor else path


def _category_heading(category: Category) -> str:
    return f"Kategori {category.number}: {esc(category.title)}"


def licence_line(content: Content) -> str:
    notice = content.notices.open_data
    if notice is None:
        return ""
    return (
        f"**Lisans:** [{esc(notice.licence)}]({notice.licence_url}). "
        f"{esc(' '.join(notice.text.split()))}"
    )


def overview(content: Content, on: dt.date | None = None) -> Page:
    prog, cat = content.programme, content.catalogue
    rows = []
    for category in cat.categories:
        for act in (a for a in cat.activities if a.category == category.number):
            page = html_path(rel(SCOPE, urls.category_page(category)))
            rows.append(
                [
                    f'<a href="{html_path(activity_link(SCOPE, act, content))}">{act.id}</a>',
                    esc(act.title),
                    f'<a href="{page}">{category.number}. {esc(category.short_title)}</a>',
                ]
            )
    # The date of the text the list is quoted from (sources.yaml), not written here.
    listed = source_date(content.sources[cat.activities[0].source.source])
    groups = "\n".join(
        f"- [{_category_heading(c)}]({rel(SCOPE, urls.category_page(c))}) — "
        f"{plain(c.plain_summary, content)}"
        for c in cat.categories
    )
    md = f"""# Destek kapsamı

{plain(prog.support_scope.plain, content)}

{cite(prog.support_scope.source, content)}

## Faaliyet grupları

{groups}

## Tüm faaliyetler

{listed} tarihli program sayfasının saydığı {len(cat.activities)} faaliyet, kod numaralarıyla
birlikte aşağıdadır. Başlıklar resmî metindeki gibidir. Bir faaliyete tıklayınca bizim
yazdığımız açıklamayı ve örneği görürsünüz; bunlar resmî metin değildir.

{reflow_table(["Kod", "Faaliyet", "Faaliyet grubu"], rows, css="kume-activities-table")}

## Açık veri

Faaliyet kataloğu yeniden kullanım için açık veri olarak da yayımlanır:
[katalog.json]({rel(SCOPE, urls.OPEN_DATA_JSON)}) (JSON) ve
[katalog.csv]({rel(SCOPE, urls.OPEN_DATA_CSV)}) (CSV: UTF-8, alanlar noktalı virgülle
ayrılmış; Türkçe Excel sütunlara ayırarak açar). Her kayıt faaliyetin kodunu, grubunu, resmî
başlığını, açıklamasını ve örneğini (resmî metin değildir), bu sitedeki adresini ve kaynak
cümlesini içerir. Dosyalar {date_tr(on or dt.date.today())} tarihinde bu sitenin verilerinden
üretildi; alanlar ve lisans [BENIOKU.txt]({rel(SCOPE, "veri/BENIOKU.txt")}) dosyasında da
yazılıdır.

{licence_line(content)}
"""
    return Page(SCOPE, "Genel bakış", md)


def _activity_source(act: Activity, content: Content) -> str:
    # Most activity titles are themselves the quoted sentence: repeating them as a quote
    # would print every title twice.
    if " ".join(act.source.quote.split()) == " ".join(act.title.split()):
        label = esc(content.notices.labels.official)
        return (
            f'<small class="kume-kaynak">{label}: faaliyet listesi, '
            f"{source_label(act.source, content)}</small>"
        )
    return cite(act.source, content)


def category_page(category: Category, content: Content) -> Page:
    path = urls.category_page(category)
    acts = [a for a in content.catalogue.activities if a.category == category.number]
    parts = [
        f"# {_category_heading(category)}\n",
        f"{plain(category.plain_summary, content)}\n",
        cite(category.source, content) + "\n",
        f"Bu grupta {len(acts)} faaliyet desteklenir. "
        f"[Tüm faaliyetlerin listesi]({rel(path, SCOPE)})\n",
        print_button(content) + "\n",
    ]
    for act in acts:
        parts.append(f"## {esc(act.title)} {{#{act.id}}}\n")
        parts.append(f"<small>Faaliyet kodu: {act.id}</small>\n")
        parts.append(_activity_source(act, content) + "\n")
        parts.append(f"{plain(act.plain_explanation, content)}\n")
        parts.append(f"{plain(act.plain_example, content, 'example')}\n")
    nav_title = f"{category.number}. {category.short_title}"
    return Page(path, nav_title, "\n".join(parts))


def search_keywords(content: Content) -> dict[str, list[str]]:
    """Activity keywords (what firms type) by section URL: indexed for search, not shown,
    since they include everyday misspellings."""
    return {urls.activity_url(a, "", content): a.keywords for a in content.catalogue.activities}


def section(content: Content) -> Section:
    pages = [once(overview, content)]
    pages += [once(category_page, c, content) for c in content.catalogue.categories]
    return Section("Destek kapsamı", pages)
