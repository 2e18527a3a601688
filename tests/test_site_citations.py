"""Answers first, sources on demand: every citation is folded under "Kaynak" (a closed
<details> holding the verbatim sentence), a seed sentence is quoted once per page (later
citations link back to it), and the FAQ opens with a jump list of its topics."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from pathlib import Path

from sitegen.slug import slugify

from eligibility.content import get_content

DETAILS = re.compile(
    r'<details class="kume-kaynak"( id="(kaynak-\d+)")?>(.*?)</details>', re.S
)  # fmt: skip


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def quotes_of(html: str) -> list[str]:
    return [
        unescape(re.sub(r"<[^>]+>", "", q)).strip("«»")
        for _, _, inner in DETAILS.findall(html)
        for q in re.findall(r"<blockquote>(.*?)</blockquote>", inner, re.S)
    ]


def test_each_sentence_is_quoted_once_per_page_and_folded(site):
    content = get_content()
    total = 0
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        quotes = quotes_of(html)
        total += len(quotes)
        repeated = [q[:60] for q, n in Counter(quotes).items() if n > 1]
        assert not repeated, (page.name, repeated)
        for match in DETAILS.finditer(html):
            assert "<summary>" in match.group(3) and "Kaynak</summary>" in match.group(3)
            assert content.notices.labels.official in match.group(3)
        # Every back-reference points at a citation on the same page.
        anchors = {m.group(2) for m in DETAILS.finditer(html) if m.group(2)}
        for target in re.findall(r'class="kume-kaynak-ref">[^<]*<a href="#(kaynak-\d+)"', html):
            assert target in anchors, (page.name, target)
        assert '<details class="kume-kaynak" open' not in html
    assert total > 80


def test_every_faq_answer_keeps_its_sources(site):
    content = get_content()
    html = (site / "sss.html").read_text(encoding="utf-8")
    shown = set(quotes_of(html))
    for entry in content.faq.entries:
        for source in entry.sources:
            assert " ".join(source.quote.split()) in {" ".join(q.split()) for q in shown}


def test_faq_is_grouped_by_topic_with_a_jump_list(site):
    content = get_content()
    html = (site / "sss.html").read_text(encoding="utf-8")
    jump = re.search(r'<nav aria-label="[^"]+" class="kume-jump">(.*?)</nav>', html, re.S)
    assert jump, "no jump list"
    links = re.findall(r'href="#([^"]+)"', jump.group(1))
    topics = [t for t in content.faq.topics if any(e.topic == t for e in content.faq.entries)]
    expected = []
    for topic in topics:
        expected.append(slugify(content.faq.topics[topic]))
        expected += [e.id for e in content.faq.entries if e.topic == topic]
    assert links == expected
    for anchor in links:
        assert f'id="{anchor}"' in html, anchor
