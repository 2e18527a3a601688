"""Search that answers: for what people type, the page that answers comes first, through
the site's real search box (Material's search with the Turkish folding worker) in Chromium.
Today's nine queries (test_site_browser.py) keep their own checks and stay in this table."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from sitebrowser import assert_same_origin

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(240)]

MONEY = "sure-ve-destek-miktari.html"
CENTRE = "merkezinizi-bulun.html"
EXPECTED_FIRST_PAGE = {
    # money: rates, amounts, duration
    "hibe oranı": MONEY,
    "yüzde 75": MONEY,
    "%50": MONEY,
    "kaç para": MONEY,
    "yuzde 50": MONEY,
    "%75": MONEY,
    "destek miktarı": MONEY,
    "destek süresi": MONEY,
    "5 yıl": MONEY,
    "25 milyon": MONEY,
    # a province's name finds the centre finder, however it is typed
    "Samsun": CENTRE,
    "kahramanmaras": CENTRE,
    "K.Maraş": CENTRE,
    "Bursa": CENTRE,
    "trabzon": CENTRE,
    "Van": CENTRE,
    "ŞANLIURFA": CENTRE,
    "bilgi merkezi": CENTRE,
    # tools and pages
    "uygunluk": "uygunluk-kontrolu.html",
    "hesapla": "hibe-hesaplama.html",
    "sanayi odası": "kimler-katilabilir.html",
    "20 firma": "kimler-katilabilir.html",
    "KVKK": "kvkk.html",
    "kişisel veri": "kvkk.html",
    "telegram": "bot-kullanimi.html",
    "2011": "kobi-kumelenme-projesi.html",
    "kaynak": "kaynaklar.html",
    "csv": "destek-kapsami/index.html",
    "sss": "sss.html",
    # today's nine: Turkish spellings and the words firms type
    "kümelenme": "destek-kapsami/kategori-1-koordinasyon.html",
    "kumelenme": "destek-kapsami/kategori-1-koordinasyon.html",
    "işbirliği": "kobi-kumelenme-projesi.html",
    "isbirligi": "kobi-kumelenme-projesi.html",
    "İşbirliği": "kobi-kumelenme-projesi.html",
    "ISBIRLIGI": "kobi-kumelenme-projesi.html",
    "ihracat": "destek-kapsami/kategori-1-koordinasyon.html",
    "CE belgesi": "destek-kapsami/kategori-3-verimlilik.html",
    "güneş paneli": "destek-kapsami/kategori-3-verimlilik.html",
}


def first_pages(page, base_url: str, queries: list[str]) -> dict[str, str | None]:
    """Type each query into the search box; the page of the first result group."""
    page.goto(urljoin(base_url, "index.html"))
    box = page.locator("input.md-search__input")
    box.click()
    out: dict[str, str | None] = {}
    for query in queries:
        box.fill("")
        page.wait_for_function("() => !document.querySelector('.md-search-result__item')")
        box.press_sequentially(query, delay=5)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=5_000)
        except Exception:
            out[query] = None
            continue
        page.wait_for_timeout(300)  # the worker answers each keystroke; let it settle
        href = page.eval_on_selector(".md-search-result__item a", "a => a.href")
        out[query] = re.sub(r"[?#].*$", "", href).removeprefix(base_url)
    return out


def test_the_page_that_answers_comes_first(page, base_url):
    assert len(EXPECTED_FIRST_PAGE) >= 25
    got = first_pages(page, base_url, list(EXPECTED_FIRST_PAGE))
    wrong = {q: (got[q], want) for q, want in EXPECTED_FIRST_PAGE.items() if got[q] != want}
    assert not wrong, wrong
    assert_same_origin(page)
