"""Pictures drawn from content/ at build time: inline SVG, no external asset, each with a text
alternative, and their numbers equal to content/ and the engine."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from sitegen.pages_money import worked_examples
from sitegen.pictures import event_date

from eligibility.content import get_content
from eligibility.routing import centre_for


def svg(site: Path, page: str, pid: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    found = re.search(rf'<figure class="kume-picture" id="{pid}">(.*?)</figure>', html, re.S)
    assert found, (page, pid)
    return found.group(1)


def alt_text(figure: str, pid: str) -> str:
    """The SVG's accessible name and description, as a screen reader gets them."""
    assert f'role="img" aria-labelledby="{pid}-title {pid}-desc"' in figure
    title = re.search(rf'<title id="{pid}-title">(.*?)</title>', figure, re.S).group(1)
    desc = re.search(rf'<desc id="{pid}-desc">(.*?)</desc>', figure, re.S).group(1)
    assert title.strip() and len(desc) > 40
    assert "<figcaption>" in figure
    return unescape(f"{title} {desc}")


PICTURES = [
    ("kimler-katilabilir.html", "resim-uyelik"),
    ("uygunluk-kontrolu.html", "resim-uyelik"),
    ("sure-ve-destek-miktari.html", "resim-hibe-1"),
    ("sure-ve-destek-miktari.html", "resim-hibe-2"),
    ("merkezinizi-bulun.html", "resim-harita"),
    ("kobi-kumelenme-projesi.html", "resim-zaman"),
]


def test_every_picture_is_inline_with_a_text_alternative(site):
    for page, pid in PICTURES:
        figure = svg(site, page, pid)
        alt_text(figure, pid)
        # Nothing is fetched: no image, no external reference, no font.
        assert not re.search(r"<image\b|href=\"http|xlink:href|@import|url\(", figure), pid


def test_membership_picture_shows_the_rule_in_force(site):
    content = get_content()
    figure = svg(site, "kimler-katilabilir.html", "resim-uyelik")
    firms = int(content.parameters["min_committed_firms"].at())
    assert figure.count(f'fill="{"#0b5fa5"}"/>') >= firms
    text = alt_text(figure, "resim-uyelik")
    assert f"en az {firms} firma" in text
    for member in content.programme.member_types:
        assert (member.short_name or member.name) in text


def test_budget_pictures_show_the_worked_examples(site):
    from sitegen.fmt import tl

    for n, example in enumerate(worked_examples(get_content()), start=1):
        text = alt_text(
            svg(site, "sure-ve-destek-miktari.html", f"resim-hibe-{n}"), f"resim-hibe-{n}"
        )
        r = example.result
        for value in (r.total_cost, r.caps["plan"], r.caps["items"], r.caps["remaining"]):
            assert tl(value) in text
        assert f"En yüksek hibe bu üçünün en küçüğü: {tl(r.max_grant)}" in text


def test_map_places_81_provinces_coloured_by_their_routed_centre(site):
    content = get_content()
    figure = svg(site, "merkezinizi-bulun.html", "resim-harita")
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="7" fill="(#\w+)" '
                         r'data-plate="(\d+)">', figure)  # fmt: skip
    assert len(circles) == 81
    colour_of_centre: dict[str, str] = {}
    by_plate = {p.plate: p for p in content.provinces.provinces}
    for _, _, fill, plate in circles:
        centre = centre_for(by_plate[int(plate)].name, content).centre.id
        assert colour_of_centre.setdefault(centre, fill) == fill, plate
    assert len(set(colour_of_centre.values())) == 5
    # Placed by coordinates: east is right, north is up.
    pos = {int(p): (float(x), float(y)) for x, y, _, p in circles}
    van, edirne, sinop, hatay = 65, 22, 57, 31
    assert pos[van][0] > pos[edirne][0] and pos[sinop][1] < pos[hatay][1]
    assert figure.count('transform="rotate(45') == 5  # the five centres marked
    for centre in content.project.centres:
        assert f">{centre.province}</text>" in figure


def test_timeline_dates_come_from_the_seed(site):
    content = get_content()
    text = alt_text(svg(site, "kobi-kumelenme-projesi.html", "resim-zaman"), "resim-zaman")
    events = {e.id: e for e in content.project.timeline}
    assert set(events) == {"predecessor", "start", "opening", "planned_end"}
    for event in events.values():
        shown = event_date(event)
        assert shown in text
        quote = event.source.quote
        if event.precision == "day":
            assert shown in quote, event.id
        else:
            for year in re.findall(r"\d{4}", shown):
                assert year in quote, event.id
        if event.precision == "month":
            assert shown.split()[0] in quote
    assert [event_date(events[k]) for k in ("predecessor", "start", "opening", "planned_end")] == [
        "2007–2009", "22 Şubat 2011", "28 Temmuz 2011", "Ağustos 2013"
    ]  # fmt: skip
    assert events["planned_end"].planned
    assert "planlanmıştı" in events["planned_end"].label  # past tense: it was planned
