"""What people type to find a page, added to the search index as the page's keywords (not
shown: they include everyday phrasings). Ranked like a title (search_index.KEYWORD_BOOST),
so that the page that answers comes first: the money page for "hibe oranı", "yüzde 75",
"%50" or "kaç para"; the centre finder for a province's name."""

from __future__ import annotations

from eligibility.models import Content
from sitegen import pages_core, pages_info, pages_tools, urls

PAGE_TERMS: dict[str, list[str]] = {
    pages_core.MONEY: [
        "hibe oranı", "hibe oranları", "destek oranı", "yüzde 75", "yüzde 50", "%75", "%50",
        "kaç para", "ne kadar para", "ne kadar destek", "ne kadar hibe", "destek miktarı",
        "hibe miktarı", "hibe tutarı", "destek tutarı", "25 milyon", "üst sınır",
        "destek süresi", "kaç yıl", "5 yıl", "7 yıl", "uzatma", "iş planı",
    ],
    pages_tools.CHECK: [
        "uygunluk", "uygunluk kontrolü", "uygun muyuz", "başvurabilir miyiz", "şartları sağlıyor",
        "ön değerlendirme",
    ],
    pages_tools.CALCULATOR: ["hibe hesaplama", "hesapla", "hesaplayıcı", "hibe hesabı"],
    pages_tools.CENTRE: ["hangi merkez", "merkezim", "en yakın merkez", "bilgi merkezi"],
    pages_core.PARTICIPATION: [
        "kimler katılabilir", "sanayi odası", "ticaret ve sanayi odası", "üniversite",
        "20 firma", "yirmi firma", "üyelik şartları", "zorunlu üyeler",
    ],
    pages_info.PROJECT: ["2011", "2013", "Ekonomi Bakanlığı", "BROP", "proje", "Avrupa Birliği"],
    pages_info.FAQ: ["sık sorulan sorular", "sss", "soru"],
    pages_info.SOURCES: ["kaynak", "kaynaklar", "resmî metin", "ikincil kaynak"],
    f"{urls.SCOPE_DIR}/index.md": ["açık veri", "csv", "json", "katalog", "faaliyet listesi"],
    "kvkk.md": ["KVKK", "kişisel veri", "kişisel veriler", "aydınlatma metni", "rıza"],
    "bot-kullanimi.md": ["telegram", "bot", "Küme Asistanı botu"],
}  # fmt: skip


def page_terms(content: Content) -> dict[str, list[str]]:
    """Keywords by page URL (the page's first search document)."""
    terms = {urls.page_url(page): list(words) for page, words in PAGE_TERMS.items()}
    # Any province's name, as written or typed, finds its centre. Aliases of three letters
    # or fewer ("Ist") are left out: search completes words, so "iş" would find İstanbul.
    names = [n for p in content.provinces.provinces for n in (p.name, *p.aliases)]
    provinces = [n for n in names if len(n) > 3 or n == "Van"]
    terms[urls.page_url(pages_tools.CENTRE)] += provinces
    # The open-data section itself, not only its page.
    terms[f"{urls.page_url(f'{urls.SCOPE_DIR}/index.md')}#acik-veri"] = ["açık veri", "csv"]
    return terms
