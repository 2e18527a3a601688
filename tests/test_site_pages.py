"""Every page of the built site in Chromium, on a phone (360 px) and a desktop (1366 px):
nothing overflows sideways, whatever scrolls inside the page can be reached by keyboard,
tap targets on the phone are at least 44 × 44 px, and axe-core finds no violation of any
impact. The tools are checked in their opened states (a question, the summary, a result)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from sitebrowser import AXE, ROOT, assert_same_origin, missing, recording_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

WIDTHS = (360, 1366)
# Visible controls whose size matters for a finger; links inside running text are exempt
# (WCAG 2.5.8 inline exception), buttons, fields and folded "Kaynak" toggles are not.
CONTROLS = (
    "button, input:not([type=hidden]), select, textarea, summary, a.md-button, "
    ".md-header__button, [role=button], .kume-choices button"
)
MEASURE = """sel => {
  const small = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    // A radio or checkbox is tapped through its label, which carries the size.
    const target = (el.type === "radio" || el.type === "checkbox") && el.labels.length
      ? el.labels[0].getBoundingClientRect() : r;
    if (target.height < 44 || target.width < 44)
      small.push(`${el.tagName}.${el.className} "${(el.textContent || el.value || "").trim()
        .slice(0, 30)}" ${Math.round(target.width)}×${Math.round(target.height)}`);
  }
  const scrollers = [];
  for (const el of document.querySelectorAll("article *, .md-content *")) {
    const style = getComputedStyle(el);
    if (!/(auto|scroll)/.test(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1 && !(el.tabIndex >= 0))
      scrollers.push(el.className || el.tagName);
  }
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    small, scrollers,
  };
}"""


def site_pages(page, base_url: str) -> list[str]:
    page.goto(urljoin(base_url, "index.html"))
    links = page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]", "els => els.map(a => a.href)"
    )
    pages = sorted({link.split("#")[0] for link in links})
    assert len(pages) >= 18
    return [*pages, urljoin(base_url, "404.html")]


def open_tool_states(page, url: str):
    """Yield after each state worth checking: the page, then the tools' opened states."""
    yield "page"
    if url.endswith("uygunluk-kontrolu.html"):
        page.get_by_role("button", name="Kontrole başla").click()
        yield "question"
        page.get_by_role("button", name="Devam").click()  # nothing chosen: the error state
        yield "error"
        page.locator(".kume-radio label").first.click()
        page.get_by_role("button", name="Devam").click()
        while page.locator("form.kume-step[data-question]").count():
            form = page.locator("form.kume-step[data-question]")
            if form.locator("input[type=text]").count():
                form.locator("input[type=text]").fill("1")
            else:
                form.locator(".kume-radio label").nth(1).click()
            form.get_by_role("button", name="Devam").click()
        yield "summary"
        page.get_by_role("button", name="Sonucu göster").click()
        yield "result"
    elif url.endswith("hibe-hesaplama.html"):
        page.get_by_role("button", name="Hesapla").click()
        yield "error"
        page.locator(".kume-item-name").fill("Ortak test laboratuvarı ve yazılım altyapısı")
        page.locator(".kume-item-cost").fill("1.250.000,75")
        page.get_by_role("button", name="Kalem ekle").click()
        page.locator(".kume-item-name").nth(1).fill("Eğitim")
        page.locator(".kume-item-cost").nth(1).fill("300000")
        page.locator("#kume-previous").fill("24.800.000")
        page.get_by_role("button", name="Hesapla").click()
        yield "result"
    elif url.endswith("merkezinizi-bulun.html"):
        page.get_by_label("İliniz").fill("ka")  # the bot would ask "Bunu mu demek istediniz?"
        page.get_by_role("button", name="Merkezi göster").click()
        yield "choices"
        page.get_by_label("İliniz").fill("Atlantis")
        page.get_by_role("button", name="Merkezi göster").click()
        yield "none"
        page.get_by_label("İliniz").fill("kahramanmaras")
        page.get_by_role("button", name="Merkezi göster").click()
        yield "result"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen(browser, base_url, width):
    problems = []
    with recording_page(browser, width=width, height=800) as page:
        for url in site_pages(page, base_url):
            page.goto(url)
            for state in open_tool_states(page, url):
                r = page.evaluate(MEASURE, CONTROLS)
                where = f"{url.removeprefix(base_url)} [{state}] @{width}"
                if r["overflow"] > 0:
                    problems.append(f"{where}: {r['overflow']} px yatay taşma")
                if r["scrollers"]:
                    problems.append(f"{where}: klavyeyle ulaşılamayan kaydırma {r['scrollers']}")
                if width < 600 and r["small"]:
                    problems.append(f"{where}: 44 px'ten küçük dokunma hedefleri {r['small']}")
        assert_same_origin(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_page(browser, base_url, width):
    if not AXE.is_file():
        missing(f"{AXE.relative_to(ROOT)} yok (npm ci)")
    problems = []
    with recording_page(browser, width=width, height=800) as page:
        for url in site_pages(page, base_url):
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            for state in open_tool_states(page, url):
                # Colours are checked at rest, not halfway through a hover or header fade.
                page.mouse.move(0, 0)
                page.wait_for_timeout(250)
                result = page.evaluate("axe.run({resultTypes: ['violations']})")
                for v in result["violations"]:
                    targets = [n["target"] for n in v["nodes"]][:3]
                    problems.append(
                        f"{url.removeprefix(base_url)} [{state}] @{width}: {v['id']} "
                        f"({v['impact']}) {targets}"
                    )
        assert_same_origin(page)
    assert not problems, "\n".join(problems)


def test_each_activity_category_prints_as_a_handout(page, base_url):
    """A category page in print: no navigation, search or print button; every activity
    there; the folded sources open for printing (and close again); a PDF comes out."""
    from eligibility.content import get_content

    content = get_content()
    for category in content.catalogue.categories:
        url = urljoin(base_url, f"destek-kapsami/kategori-{category.number}-{category.slug}.html")
        page.goto(url)
        button = page.get_by_role("button", name="Bu sayfayı yazdır")
        assert button.is_visible()
        page.emulate_media(media="print")
        for hidden in (".md-header", ".md-sidebar--primary", ".kume-print-button"):
            assert not page.locator(hidden).first.is_visible(), hidden
        for act in (a for a in content.catalogue.activities if a.category == category.number):
            assert page.locator(f"h2#{act.id}").is_visible(), act.id
        folded = page.locator("details.kume-kaynak:not([open])").count()
        assert folded
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.locator("details.kume-kaynak:not([open])").count() == 0
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert page.locator("details.kume-kaynak:not([open])").count() == folded
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        page.emulate_media(media="screen")
    assert_same_origin(page)
