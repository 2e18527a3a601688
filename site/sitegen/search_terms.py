"""What people type to find a page, added to the search index as the page's keywords (not
shown: they include everyday phrasings). Ranked like a title (search_index.KEYWORD_BOOST),
so that the page that answers comes first: the money page for "hibe oranı", "yüzde 75",
"%50" or "kaç para"; the centre finder for a province's name. Terms that hold a figure
("yüzde 75", "25 milyon", "20 firma") are made from parameters.yaml, never written here."""

from __future__ import annotations

from eligibility.models import Content
from eligibility.validators import NUMBER_WORDS
from sitegen import pages_core, pages_info, pages_tools, urls

PAGE_TERMS: dict[str, list[str]] = {
    pages_core.MONEY: [
        "hibe oranı", "hibe oranları", "destek oranı",
        "kaç para", "ne kadar para", "ne kadar destek", "ne kadar hibe", "destek miktarı",
        "hibe miktarı", "hibe tutarı", "destek tutarı", "üst sınır",
        "destek süresi", "kaç yıl", "uzatma", "iş planı",
    ],
    pages_tools.CHECK: [
        "uygunluk", "uygunluk kontrolü", "uygun muyuz", "başvurabilir miyiz", "şartları sağlıyor",
        "ön değerlendirme",
    ],
    pages_tools.CALCULATOR: ["hibe hesaplama", "hesapla", "hesaplayıcı", "hibe hesabı"],
    pages_tools.CENTRE: ["hangi merkez", "merkezim", "en yakın merkez", "bilgi merkezi"],
    pages_core.PARTICIPATION: [
        "kimler katılabilir", "sanayi odası", "ticaret ve sanayi odası", "üniversite",
        "üyelik şartları", "zorunlu üyeler",
    ],
    pages_info.PROJECT: ["Ekonomi Bakanlığı", "BROP", "proje", "Avrupa Birliği"],
    pages_info.FAQ: ["sık sorulan sorular", "sss", "soru"],
    pages_info.SOURCES: ["kaynak", "kaynaklar", "resmî metin", "ikincil kaynak"],
    f"{urls.SCOPE_DIR}/index.md": ["açık veri", "csv", "json", "katalog", "faaliyet listesi"],
    "kvkk.md": ["KVKK", "kişisel veri", "kişisel veriler", "aydınlatma metni", "rıza"],
    "bot-kullanimi.md": ["telegram", "bot", "Küme Asistanı botu"],
}  # fmt: skip


def figure_terms(content: Content) -> dict[str, list[str]]:
    """How people type the figures in force: "yüzde 75", "%50", "25 milyon", "5 yıl",
    "20 firma" / "yirmi firma", and the project's years."""
    params = content.parameters
    money: list[str] = []
    for name in ("item_grant_rate", "plan_grant_rate"):
        percent = int(params[name].at() * 100)
        money += [f"yüzde {percent}", f"%{percent}"]
    total = int(params["total_grant"].at())
    if total % 1_000_000 == 0:
        money.append(f"{total // 1_000_000} milyon")
    money += [f"{int(params[n].at())} yıl" for n in ("support_years", "max_total_years")]
    firms = int(params["min_committed_firms"].at())
    words = {value: word for word, value in NUMBER_WORDS.items()}
    participation = [f"{firms} firma"] + ([f"{words[firms]} firma"] if firms in words else [])
    years = sorted({e.start.year for e in content.project.timeline if e.id != "predecessor"})
    return {
        pages_core.MONEY: money,
        pages_core.PARTICIPATION: participation,
        pages_info.PROJECT: [str(y) for y in years],
    }


def page_terms(content: Content) -> dict[str, list[str]]:
    """Keywords by page URL (the page's first search document)."""
    terms = {urls.page_url(page): list(words) for page, words in PAGE_TERMS.items()}
    for page, words in figure_terms(content).items():
        terms[urls.page_url(page)] += words
    # Any province's name, as written or typed, finds its centre. Aliases of three letters
    # or fewer ("Ist") are left out: search completes words, so "iş" would find İstanbul.
    names = [n for p in content.provinces.provinces for n in (p.name, *p.aliases)]
    provinces = [n for n in names if len(n) > 3 or n == "Van"]
    terms[urls.page_url(pages_tools.CENTRE)] += provinces
    # The open-data section itself, not only its page.
    terms[f"{urls.page_url(f'{urls.SCOPE_DIR}/index.md')}#acik-veri"] = ["açık veri", "csv"]
    return terms
