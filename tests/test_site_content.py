"""The site says what content/ says: every activity title of the seed text on its category
page exactly once, and every figure on the money page equal to content/ (rules) or to what
eligibility.budget computes (worked examples)."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from sitegen import urls
from sitegen.fmt import figure, percent, tl

from eligibility.budget import estimate
from eligibility.content import content_dir, get_content
from eligibility.dating import figure_basis

ROOT = Path(__file__).resolve().parent.parent
MONEY_PAGE = "sure-ve-destek-miktari.html"


def article_text(path: Path) -> str:
    """The visible text of a page's main article, whitespace collapsed."""
    return article_text_of(path.read_text(encoding="utf-8"))


def article_text_of(html: str) -> str:
    if "<article" in html:
        html = html[html.index("<article") : html.index("</article>")]
    article = html
    article = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", article)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


def seed_activity_titles() -> dict[int, list[str]]:
    """Activity titles per category, read straight from the programme's seed text."""
    source = get_content().sources["kdp"]
    text = (content_dir() / "sources" / source.file).read_text(encoding="utf-8")
    titles: dict[int, list[str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"Kategori (\d):", line)
        if heading:
            current = int(heading.group(1))
            titles[current] = []
        elif current and line.strip().startswith("•"):
            titles[current].append(" ".join(line.strip().lstrip("•").split()))
        elif current and line.strip() and not line.strip().startswith("•") and titles[current]:
            current = None  # the list ended
    return titles


def test_seed_titles_appear_once_per_category(site):
    content = get_content()
    seed = seed_activity_titles()
    assert sorted(seed) == [1, 2, 3, 4]
    assert sum(len(t) for t in seed.values()) == len(content.catalogue.activities) == 44
    pages = {
        c.number: article_text(site / urls.category_url(c)) for c in content.catalogue.categories
    }
    for number, titles in seed.items():
        for title in titles:
            assert pages[number].count(title) == 1, (number, title)
    # A title listed under several categories appears once on each of their pages.
    every = [t for titles in seed.values() for t in titles]
    for title in set(every):
        on_pages = sum(page.count(title) for page in pages.values())
        assert on_pages == every.count(title), title


def test_overview_lists_every_activity_once(site):
    content = get_content()
    overview = (site / "destek-kapsami" / "index.html").read_text(encoding="utf-8")
    cell = r"\s*<td[^>]*>"
    link = r"<a href=\"([^\"]+)\">(k\d-\d\d)</a></td>"
    rows = re.findall(rf"<tr>{cell}{link}{cell}(.*?)</td>", overview)
    assert [r[1] for r in rows] == [a.id for a in content.catalogue.activities]
    for (href, _, title), act in zip(rows, content.catalogue.activities, strict=True):
        assert unescape(title) == act.title
        assert href == urls.activity_url(act).removeprefix(f"{urls.SCOPE_DIR}/")


class _Tables(HTMLParser):
    """Collects the worked-example tables of the money page."""

    def __init__(self) -> None:
        super().__init__()
        self.examples: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._row_key: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "kume-example":
            self.examples.append(
                {"previous": Decimal(attrs["data-previous-grants"]), "items": [], "summary": {}}
            )
        elif tag == "tr":
            self._row, self._row_key = [], attrs.get("data-key")
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.examples:
            if self._row_key:
                self.examples[-1]["summary"][self._row_key] = self._row[1]
            elif len(self._row) == 4 and not self._row[0].startswith("Kalem"):
                self.examples[-1]["items"].append(self._row)
            self._row = None


def parse_tl(text: str) -> Decimal:
    number = text.removesuffix(" TL").replace(".", "").replace(",", ".")
    return Decimal(number)


def test_money_page_figures_equal_content(site):
    content = get_content()
    html = (site / MONEY_PAGE).read_text(encoding="utf-8")
    spans = re.findall(
        r'<span class="kume-figure" data-parameter="([^"]+)" data-value="([^"]+)" '
        r'data-basis="([^"]+)">([^<]+)</span>',
        html,
    )
    shown = {name for name, _, _, _ in spans}
    assert {
        "support_years",
        "max_extension_years",
        "max_total_years",
        "total_grant",
        "plan_grant_rate",
        "item_grant_rate",
    } <= shown
    for name, value, basis, text in spans:
        param = content.parameters[name]
        assert Decimal(value) == param.at(), name
        assert text == figure(param), name
        assert unescape(basis) == figure_basis(name) == "2013 tarihli program sayfasına göre"

    tables = _Tables()
    tables.feed(html)
    assert len(tables.examples) >= 2
    computed_figures = set()
    binding_seen = set()
    for example in tables.examples:
        items = [(name, parse_tl(cost)) for name, cost, _, _ in example["items"]]
        result = estimate(items, example["previous"])
        binding_seen.update(result.binding)
        for row, item in zip(example["items"], result.items, strict=True):
            assert row[1:] == [tl(item.cost), tl(item.item_cap), tl(item.max_grant)]
        summary = example["summary"]
        assert summary["total_cost"] == tl(result.total_cost)
        assert summary["max_grant"] == tl(result.max_grant)
        assert summary["own_share"] == tl(result.own_share)
        for cap in ("items", "plan", "remaining"):
            assert summary[f"limit-{cap}"] == tl(result.caps[cap])
        computed_figures |= {
            tl(v)
            for v in (result.total_cost, result.max_grant, result.own_share, *result.caps.values())
        }
        computed_figures |= {tl(example["previous"])}
        computed_figures |= {tl(v) for i in result.items for v in (i.cost, i.item_cap, i.max_grant)}
    assert {"plan", "remaining"} <= binding_seen  # the examples show both caps at work

    # No other amount or rate on the page: each is a content figure or a computed one.
    allowed = computed_figures | {figure(p) for p in content.parameters.values()}
    prog = content.programme
    stated = " ".join(
        [prog.duration.text, prog.money.text, prog.duration.source.quote, prog.money.source.quote]
    )
    # Values of unconfirmed later calls are allowed only inside their "reported" block.
    reported = html[html.index('<div class="kume-reported">') :]
    reported = reported[: reported.index('<div class="kume-next-step"')]
    assert "%70" in article_text_of(reported)
    text = article_text_of(html.replace(reported, ""))
    for amount in re.findall(r"\d[\d.,]* TL\b", text):
        assert amount in allowed or amount in stated, amount
    for rate in re.findall(r"%\s?\d+", text):
        value = Decimal(rate.lstrip("%").strip()) / 100
        assert percent(value) in allowed or rate in stated, rate


def test_faq_and_kvkk_pages_carry_content(site):
    content = get_content()
    faq = article_text(site / "sss.html")
    for entry in content.faq.entries:
        assert " ".join(entry.question.split()) in faq
        assert " ".join(entry.answer.split()) in faq
    kvkk = article_text(site / "kvkk.html")
    assert content.kvkk.version in kvkk
