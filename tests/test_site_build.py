"""The public site: strict MkDocs build from content/, pages, anchors, open data, no
third-party resources, and the Turkish search pieces."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sitegen import generate, opendata, urls
from sitegen.search_index import KEYWORD_FIELD
from sitegen.slug import slugify

from eligibility.content import get_content
from eligibility.text import fold

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIME_LIMIT_S = 30


def build_site(out: Path, **env: str) -> float:
    """mkdocs build --strict into `out`; returns the time it took in seconds."""
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return time.monotonic() - started


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("site")
    return out, build_site(out)


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0]


def html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


def test_strict_build_is_fast(built):
    _, seconds = built
    assert seconds < BUILD_TIME_LIMIT_S


def test_every_generated_page_is_built_and_in_nav(site, tmp_path):
    generated = generate(tmp_path / "docs")
    nav_paths = {p.path for p in generated.pages}
    assert len(nav_paths) == len(generated.pages)
    on_disk = {str(p.relative_to(tmp_path / "docs")) for p in (tmp_path / "docs").rglob("*.md")}
    assert on_disk == nav_paths  # nothing generated is left out of the nav
    home = (site / "index.html").read_text(encoding="utf-8")
    for page in generated.pages:
        target = urls.page_url(page.path)
        assert (site / target).is_file(), page.path
        # The nav is rendered on every page; every page must be reachable from it.
        assert f'href="{target}"' in home or target == "index.html", target


def test_turkish_language_everywhere(site):
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="tr"' in text, page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["tr"]


def test_heading_anchors_transliterate_turkish_letters(site):
    assert slugify("Uygunluk Koşulları") == "uygunluk-kosullari"
    assert slugify("ışık") == "isik"
    assert slugify("İşbirliği ve Öğrenme Çağı") == "isbirligi-ve-ogrenme-cagi"
    content = get_content()
    explicit = {a.id for a in content.catalogue.activities} | {e.id for e in content.faq.entries}
    explicit |= urls.STABLE_ANCHORS  # anchors the bot may link to, named on purpose
    headings = 0
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        for anchor, inner in re.findall(r'<h[1-6] id="([^"]+)">(.*?)<a class="headerlink"', text):
            title = unescape(re.sub(r"<[^>]+>", "", inner))
            assert re.fullmatch(r"[a-z0-9_-]+", anchor), (page, anchor)
            if anchor not in explicit:
                base = slugify(title.removesuffix("¶"))
                assert anchor == base or re.fullmatch(rf"{base}_\d+", anchor), (page, anchor)
            headings += 1
    assert headings > 50


def test_every_activity_has_its_stable_anchor(site):
    content = get_content()
    assert len(content.catalogue.activities) == 44
    for act in content.catalogue.activities:
        url = urls.activity_url(act, "https://ornek.gov.tr/site/")
        assert url.startswith("https://ornek.gov.tr/site/destek-kapsami/kategori-")
        assert url.endswith(f".html#{act.id}")
        page, anchor = urls.activity_url(act.id).split("#")
        html = (site / page).read_text(encoding="utf-8")
        assert html.count(f'id="{anchor}"') == 1, act.id


def test_open_data_catalogue(site):
    content = get_content()
    data = json.loads((site / urls.OPEN_DATA_JSON).read_text(encoding="utf-8"))
    assert [a["id"] for a in data["activities"]] == [a.id for a in content.catalogue.activities]
    assert len(data["categories"]) == 4
    for record, act in zip(data["activities"], content.catalogue.activities, strict=True):
        assert record["title"] == act.title
        assert record["example"] == act.example
        assert record["url"] == urls.activity_url(act)
        assert record["source_quote"] == act.source.quote
        assert (site / record["url"].split("#")[0]).is_file()
    assert data["generated"] and data["licence"]["name"] == content.notices.open_data.licence
    raw = (site / urls.OPEN_DATA_CSV).read_bytes()
    # What Turkish Excel opens in columns: UTF-8 with a BOM, ';' between fields, CRLF.
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0] == ";".join(opendata.CSV_FIELDS)
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert [r["id"] for r in rows] == [a.id for a in content.catalogue.activities]
    for row, act in zip(rows, content.catalogue.activities, strict=True):
        assert row["title"] == act.title and row["source_quote"] == act.source.quote
    readme = (site / "veri" / "BENIOKU.txt").read_text(encoding="utf-8")
    assert f"Lisans: {content.notices.open_data.licence}" in readme
    assert f"Üretildiği tarih: {data['generated']}" in readme
    scope = (site / "destek-kapsami" / "index.html").read_text(encoding="utf-8")
    assert 'href="../veri/katalog.json"' in scope


_RESOURCE_ATTRS = re.compile(
    r"<(script|img|iframe|source|video|audio|embed)\b[^>]*?\bsrc=\"([^\"]*)\""
    r"|<link\b[^>]*?\bhref=\"([^\"]*)\""
)


def test_no_third_party_resources(site):
    """Nothing is loaded from another origin: no web fonts, no CDN, no images."""
    for page in [*html_pages(site), site / "404.html"]:
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for match in _RESOURCE_ATTRS.finditer(text):
            url = match.group(2) or match.group(3)
            parsed = urlparse(url)
            assert not parsed.netloc and parsed.scheme in ("", "data"), (page, url)
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]*)\)", css.read_text(encoding="utf-8")):
            url = url.strip("'\"")
            assert not urlparse(url).netloc or url.startswith("http://www.w3.org/"), (css, url)


def test_telegram_link_is_configurable(tmp_path):
    default = tmp_path / "a"
    build_site(default)
    assert 'href="https://t.me/KumeAsistaniBot"' in (default / "index.html").read_text("utf-8")
    custom = tmp_path / "b"
    build_site(custom, KUME_TELEGRAM_URL="https://t.me/DenemeBot")
    home = (custom / "index.html").read_text(encoding="utf-8")
    assert 'href="https://t.me/DenemeBot"' in home
    assert "KumeAsistaniBot" not in home


def test_search_index_has_activity_keywords(site):
    content = get_content()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert KEYWORD_FIELD in index["config"]["fields"]
    by_location = {d["location"]: d for d in index["docs"]}
    for act in content.catalogue.activities:
        doc = by_location[urls.activity_url(act)]
        assert doc["title"] == act.title
        for word in act.keywords:
            assert word in doc[KEYWORD_FIELD]


def test_search_uses_the_turkish_worker(site):
    assert (site / "assets" / "javascripts" / "workers" / "kume-search.js").is_file()
    for page in html_pages(site):
        assert 'new URL("kume-search.js", material)' in page.read_text(encoding="utf-8"), page


@pytest.mark.skipif(shutil.which("node") is None, reason="node yok: JS katlama denetlenemez")
def test_browser_fold_matches_python_fold(site):
    """The worker folds words exactly as eligibility.text.fold does (after JS lower-casing,
    which is what lunr hands it)."""
    script = (site / "assets" / "javascripts" / "workers" / "kume-search.js").read_text("utf-8")
    fold_js = script[script.index("var LETTERS") : script.index("/* Queries")]
    words = [
        "İşbirliği",
        "ISBIRLIGI",
        "işbirliği",
        "isbirligi",
        "Kümelenme",
        "KÜMELENME",
        "ışık",
        "IŞIK",
        "Çağrı",
        "ÖĞRENCİ",
        "şehir",
        "Ürün",
        "dâhil",
        "KOBİ’ler",
    ]
    code = fold_js + f"console.log(JSON.stringify({json.dumps(words)}.map(w => "
    code += "[foldTr(w), foldTr(w.toLowerCase())])))"
    out = subprocess.run(["node", "-e", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    for word, (js_raw, js_lowered) in zip(words, results, strict=True):
        expected = fold(word).replace("'", "’") if "’" in word else fold(word)
        assert js_raw == expected, word
        if not any(ch in word for ch in "Iİ"):
            assert js_lowered == expected, word
    assert results[0][1] == results[1][0] == "isbirligi"  # "İşbirliği" after JS lower-casing
