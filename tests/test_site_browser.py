"""The built site in a real browser: Debian's chromium driven by Playwright (no browser
download), served from 127.0.0.1 by a plain static file server.

Checks Turkish search, every nav link and that no request leaves the origin (axe-core on
every page: test_site_pages.py). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from sitebrowser import ARTIFACTS, assert_same_origin, search
from sitegen import urls

from eligibility.content import get_content
from eligibility.text import fold

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(240)]

# Spellings of one word that must give the same results.
SPELLING_GROUPS = {
    "kumelenme": ["kümelenme", "kumelenme"],
    "isbirligi": ["işbirliği", "isbirligi", "İşbirliği", "ISBIRLIGI"],
}
# Queries a firm would type: the activity whose keywords hold them must come first.
KEYWORD_QUERIES = ["ihracat", "CE belgesi", "güneş paneli"]


def pages_with_heading(site: Path, folded_word: str) -> set[str]:
    """Pages with a heading (h1–h3) that contains the word in any spelling."""
    found = set()
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for inner in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", text, flags=re.S):
            if folded_word in fold(unescape(re.sub(r"<[^>]+>", " ", inner))):
                found.add(str(path.relative_to(site)))
    return found


def test_home_and_category_page(page, base_url, site):
    content = get_content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(urljoin(base_url, "index.html"))
    assert content.programme.name in page.locator("h1").inner_text()
    assert page.locator('a[href^="https://t.me/"]').count() >= 1
    page.screenshot(path=str(ARTIFACTS / "site-home.png"), full_page=True)
    act = content.catalogue.activities[0]
    page.goto(urljoin(base_url, urls.activity_url(act)))
    heading = page.locator(f"h2#{act.id}")
    assert heading.is_visible()
    assert act.title in heading.inner_text()
    assert_same_origin(page)


@pytest.mark.parametrize("group", sorted(SPELLING_GROUPS))
def test_search_finds_every_turkish_spelling(page, base_url, site, group):
    expected_pages = pages_with_heading(site, group)
    assert expected_pages
    results = {query: search(page, base_url, query) for query in SPELLING_GROUPS[group]}
    first_groups = {query: r[0] for query, r in results.items()}
    for query, first in first_groups.items():
        assert first[0] in expected_pages, (query, first)
    # Every spelling gives the same best results.
    assert len({tuple(g) for g in first_groups.values()}) == 1, first_groups
    assert_same_origin(page)


@pytest.mark.parametrize("query", KEYWORD_QUERIES)
def test_search_finds_the_activity_for_everyday_words(page, base_url, query):
    content = get_content()
    wanted = [
        a for a in content.catalogue.activities if fold(query) in {fold(k) for k in a.keywords}
    ]
    assert wanted, f"'{query}' hiçbir faaliyetin anahtar sözcüğü değil"
    results = search(page, base_url, query)
    if query == "CE belgesi":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "site-search.png"))
    first = results[0]
    assert first[0] in {urls.activity_url(a).split("#")[0] for a in wanted}, (query, first)
    assert any(urls.activity_url(a) in first for a in wanted), (query, first)
    assert_same_origin(page)


def test_every_nav_link_works(page, base_url):
    page.goto(urljoin(base_url, "index.html"))
    links = page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]", "els => els.map(a => a.href)"
    )
    targets = sorted({link.split("#")[0] for link in links})
    assert len(targets) >= 10
    for target in targets:
        assert urlparse(target).hostname == "127.0.0.1", target
        response = page.goto(target)
        assert response is not None and response.ok, target
        assert page.locator("article h1").count() == 1, target
    assert_same_origin(page)


def test_every_page_shows_the_dating_and_demo_notice(page, base_url):
    """Every page: the texts' dates with the ministry's portal, and while the operator is not
    configured (the repository's empty operator.yaml) the demo notice, both visible."""
    content = get_content()
    portal = content.notices.ministry_portal.url
    page.goto(urljoin(base_url, "index.html"))
    links = page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]", "els => els.map(a => a.href)"
    )
    targets = sorted({link.split("#")[0] for link in links})
    assert len(targets) >= 10
    for target in targets:
        page.goto(target)
        dating = page.locator("article .kume-dating")
        assert dating.count() == 1 and dating.is_visible(), target
        assert "2011–2013" in dating.inner_text(), target
        assert dating.locator(f'a[href="{portal}"]').count() == 1, target
        demo = page.locator("article .kume-demo")
        if content.operator.is_demo:
            assert demo.count() == 1 and demo.is_visible(), target
            assert content.notices.demo.title in demo.inner_text(), target
        else:
            assert demo.count() == 0, target
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(urljoin(base_url, "sure-ve-destek-miktari.html"))
    page.screenshot(path=str(ARTIFACTS / "site-money-notices.png"), full_page=True)
    assert_same_origin(page)
