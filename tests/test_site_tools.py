"""The site's tools in Chromium against the Python engine as the oracle.

- The eligibility check must give what eligibility.rules.evaluate gives, the calculator what
  eligibility.budget.estimate gives, and the count parser what validators.parse_count gives:
  over 1 000+ generated cases each (seeded), every boundary included, run in one page through
  the tool's exposed function; and for a sample through the real UI (typing, clicking, and
  keyboard only).
- Find your centre must route all 81 provinces as eligibility.routing.centre_for does.
- No value of a call pending confirmation reaches a tool.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pytest
from sitebrowser import assert_same_origin

from eligibility.budget import KURUS, estimate
from eligibility.content import get_content
from eligibility.districts import load_districts, provinces_of_district
from eligibility.routing import centre_for
from eligibility.rules import Association, evaluate
from eligibility.text import fold, upper_tr
from eligibility.validators import ValidationProblem, find_province, parse_count

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(240)]

CHECK, CALC, CENTRE = "uygunluk-kontrolu.html", "hibe-hesaplama.html", "merkezinizi-bulun.html"
SEED = 20261201
SCRIPTS = Path(__file__).resolve().parent.parent / "site" / "assets" / "javascripts"
READINESS = [r.id for r in get_content().rules.readiness]


def page_data(page) -> dict:
    return json.loads(page.locator("#kume-tool-data").text_content())


# --- the eligibility check ------------------------------------------------------------------


def check_cases(n: int = 1200) -> list[dict]:
    """Every boundary (19/20 firms, chamber of industry and/or of commerce and industry present
    or absent, in-region or not, university 0/1), then seeded random cases."""
    cases = []
    for region, coi, tso, uni, firms in itertools.product(
        (True, False), (0, 1, 2), (0, 1), (0, 1), (0, 19, 20, 21)
    ):
        cases.append(
            {
                "chambers_of_industry": coi,
                "chambers_of_commerce_and_industry": tso,
                "universities": uni,
                "chamber_of_industry_in_region": region,
                "committed_firms": firms,
            }
        )
    rng = random.Random(SEED)
    while len(cases) < n:
        cases.append(
            {
                "chambers_of_industry": rng.choice([0, 0, 1, 1, 2, rng.randint(0, 50)]),
                "chambers_of_commerce_and_industry": rng.choice([0, 1, 1, 3, rng.randint(0, 50)]),
                "universities": rng.choice([0, 1, 2, rng.randint(0, 30)]),
                "chamber_of_industry_in_region": rng.random() < 0.5,
                "committed_firms": rng.choice([19, 20, rng.randint(0, 40), rng.randint(0, 5000)]),
            }
        )
    out = []
    for i, assoc in enumerate(cases):
        r = random.Random(SEED + i)
        readiness = {k: r.random() < 0.5 for k in READINESS if r.random() < 0.7}
        out.append({"assoc": assoc, "readiness": readiness})
    return out


def test_check_gives_the_engines_verdict_for_every_case(page, base_url):
    page.goto(urljoin(base_url, CHECK))
    on = page_data(page)["date"]
    cases = check_cases()
    assert len(cases) >= 1000
    got = page.evaluate("cases => window.KumeCheck.evaluateMany(cases)", cases)
    seen = set()
    for case, verdict in zip(cases, got, strict=True):
        want = evaluate(Association(**case["assoc"]), case["readiness"], on=_date(on)).to_json()
        assert verdict == want, case
        seen.add((want["eligible"], tuple(u["rule"] for u in want["unmet"])))
    # The cases reach eligibility and every single missing rule, alone and together.
    assert (True, ()) in seen
    for rule in ("chamber", "university", "committed_firms"):
        assert (False, (rule,)) in seen
    assert_same_origin(page)


COUNT_TEXTS = [
    "20", "19", "0", "20+", "25 firma", "1.200", "1,200", "yirmi", "yirmi beş", "yirmibes",
    "Yirmi Beş", "YİRMİ", "bin", "iki yüz", "ikiyüzelli", "yok", "hiç", "hiçbiri", "-3",
    "− 2", "2,5", "2.5", "abc", "12 ve 13", "12 ya da 12", "", "   ", "100000", "100001",
    "9999999999999", "on dokuz", "ondokuz", "bir", "sıfır", "ÜÇ", "dört", "kırk", "altmış",
]  # fmt: skip


def _count(text: str) -> dict:
    """What the bot reads: the value, or the message it answers with."""
    try:
        return {"value": parse_count(text)}
    except ValidationProblem as problem:
        return {"text": problem.message}


def test_check_reads_counts_as_the_bot_does(page, base_url):
    page.goto(urljoin(base_url, CHECK))
    rng = random.Random(SEED)
    words = ["bir", "iki", "beş", "on", "yirmi", "otuz", "yüz", "bin", "firma", "yok", "ve"]
    texts = COUNT_TEXTS + [
        " ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(200)
    ]
    got = page.evaluate("t => window.KumeCheck.parseCountMany(t)", texts)
    for text, result in zip(texts, got, strict=True):
        want = _count(text)
        # The same number, or the bot's own message for what is wrong.
        assert {k: result[k] for k in want if k in result} == want, (text, result)
        assert ("error" in result) == ("text" in want), (text, result)


FOLD_TEXTS = [
    "İSTANBUL", "ISPARTA", "Iğdır", "ığdır", "ŞANLIURFA", "Çorum", "çorum", "K.Maraş",
    "I\u0307stanbul", "i\u0307zmir", "Kahramanmaras\u0327", "Şanlıurfa’da", "“Samsun”",
    "Samsun\u200b", "\ufeffAnkara", "ＡＮＫＡＲＡ", "２０ firma", "yirmi–beş", "a — b", "…",
    "café", "Ñandú", "  çok   boşluk\t\nvar ", "\u00a0Van\u00a0", "Düzce\u0000", "ß", "ǅ",
    "🏭 Firma", "", "   ",
]  # fmt: skip


def test_tools_fold_text_as_eligibility_text_does(page, base_url):
    page.goto(urljoin(base_url, CHECK))
    got = page.evaluate("t => t.map(window.KumeCore.fold)", FOLD_TEXTS)
    assert got == [fold(t) for t in FOLD_TEXTS]


def _date(iso: str):
    import datetime as dt

    return dt.date.fromisoformat(iso)


def _answer_question(page, value, keyboard: bool) -> None:
    """Answer the question on screen; the focus is where the tool put it."""
    question = page.locator("form.kume-step")
    if isinstance(value, bool):
        radio = question.locator('input[type="radio"]').nth(0 if value else 1)
        if keyboard:
            page.keyboard.press("Tab")  # from the question's heading to the first choice
            assert page.evaluate("document.activeElement.type") == "radio"
            if not value:
                page.keyboard.press("ArrowDown")
            else:
                page.keyboard.press("Space")
            assert radio.is_checked()
            page.keyboard.press("Enter")
        else:
            radio.locator("xpath=following-sibling::label").click()
            question.get_by_role("button", name="Devam").click()
    else:
        if keyboard:
            assert page.evaluate("document.activeElement.tagName") == "INPUT"
            page.keyboard.type(str(value))
            page.keyboard.press("Enter")
        else:
            question.locator("input").fill(str(value))
            question.get_by_role("button", name="Devam").click()


def _walk(page, answers: dict, keyboard: bool) -> None:
    while True:
        page.wait_for_selector(".kume-step")
        form = page.locator("form.kume-step[data-question]")
        if form.count() == 0:
            return
        qid = form.get_attribute("data-question")
        _answer_question(page, answers[qid], keyboard)
        page.wait_for_function(
            "q => !document.querySelector(`form[data-question='${q}']`)", arg=qid
        )


def ui_answers(assoc: dict, readiness: dict) -> dict:
    answers = {
        "chamber_of_industry_in_region": assoc["chamber_of_industry_in_region"],
        "universities": assoc["universities"],
        "committed_firms": assoc["committed_firms"],
    }
    if assoc["chamber_of_industry_in_region"]:
        answers["chambers_of_industry"] = assoc["chambers_of_industry"]
    else:
        answers["chambers_of_commerce_and_industry"] = assoc["chambers_of_commerce_and_industry"]
    answers.update({f"readiness.{k}": v for k, v in readiness.items()})
    return answers


UI_CASES = [  # (in region, chambers of industry, TSO, universities, firms, readiness no's)
    (True, 1, 0, 1, 20, ()),
    (True, 0, 1, 1, 20, ("roadmap",)),  # a TSO does not count where a chamber of industry is
    (False, 0, 1, 1, 20, ()),  # … and counts where none is
    (False, 0, 0, 1, 19, ("governance", "science")),
    (True, 1, 0, 0, 25, ()),
    (False, 0, 2, 0, 0, tuple(READINESS)),
]


@pytest.mark.parametrize("keyboard", [False, True], ids=["click", "keyboard"])
def test_check_through_the_real_ui(page, base_url, keyboard):
    page.goto(urljoin(base_url, CHECK))
    on = _date(page_data(page)["date"])
    for region, coi, tso, uni, firms, nos in UI_CASES:
        assoc = {
            "chamber_of_industry_in_region": region,
            "chambers_of_industry": coi if region else 0,
            "chambers_of_commerce_and_industry": 0 if region else tso,
            "universities": uni,
            "committed_firms": firms,
        }
        readiness = {k: k not in nos for k in READINESS}
        page.goto(urljoin(base_url, CHECK))
        start = page.get_by_role("button", name="Kontrole başla")
        if keyboard:
            start.focus()
            page.keyboard.press("Enter")
        else:
            start.click()
        # Focus moves to each new question.
        page.wait_for_selector("form.kume-step[data-question]")
        assert page.evaluate("document.activeElement.closest('form.kume-step') !== null")
        _walk(page, ui_answers(assoc, readiness), keyboard)
        # Summary with a "Değiştir" button per answer, then the result.
        summary = page.locator(".kume-summary-row")
        assert summary.count() == len(ui_answers(assoc, readiness))
        assert page.locator("button.kume-change").count() == summary.count()
        show = page.get_by_role("button", name="Sonucu göster")
        if keyboard:
            show.focus()
            page.keyboard.press("Enter")
        else:
            show.click()
        result = page.locator(".kume-result")
        result.wait_for()
        want = evaluate(Association(**assoc), readiness, on=on)
        assert result.get_attribute("data-eligible") == str(want.eligible).lower()
        assert page.evaluate("document.activeElement.tagName") == "H2"
        assert page.locator("[role=status]").inner_text() in result.locator("h2").inner_text()
        text = result.inner_text()
        for unmet in want.unmet:
            assert unmet["reason"] in text
            met = result.locator(f'li[data-rule="{unmet["rule"]}"]').get_attribute("data-met")
            assert met == "false"
        got_advice = result.locator("[data-advice]").evaluate_all(
            "els => els.map(e => e.dataset.advice)"
        )
        assert got_advice == [a["id"] for a in want.advice]
        step = "eligible" if want.eligible else "not_eligible"
        assert result.locator(f'.kume-next-step[data-step="{step}"]').count() == 1
        # Sources folded, one per sentence quoted.
        quotes = result.locator("details.kume-kaynak blockquote").all_text_contents()
        assert quotes and len(quotes) == len(set(quotes))
        assert not result.locator("details.kume-kaynak[open]").count()
    assert page.context.cookies() == [] and page.evaluate("document.cookie") == ""
    assert_same_origin(page)


def test_change_link_asks_what_the_new_answer_opens(page, base_url):
    """Changing "chamber of industry in the region" to no asks for the TSO count, drops the
    chamber-of-industry answer, and gives the engine's verdict for the new answers."""
    page.goto(urljoin(base_url, CHECK))
    page.get_by_role("button", name="Kontrole başla").click()
    answers = ui_answers(
        {
            "chamber_of_industry_in_region": True,
            "chambers_of_industry": 0,
            "chambers_of_commerce_and_industry": 0,
            "universities": 1,
            "committed_firms": 20,
        },
        {k: True for k in READINESS},
    )
    _walk(page, answers, keyboard=False)
    page.locator('button[data-change="chamber_of_industry_in_region"]').click()
    _answer_question(page, False, keyboard=False)
    form = page.locator("form.kume-step[data-question]")
    form.wait_for()
    assert form.get_attribute("data-question") == "chambers_of_commerce_and_industry"
    _answer_question(page, 1, keyboard=False)
    page.locator(".kume-summary").wait_for()
    labels = page.locator(".kume-summary-row dt").all_inner_texts()
    assert "Birliktelikteki sanayi odası sayısı" not in labels
    assert "Birliktelikteki ticaret ve sanayi odası sayısı" in labels
    page.get_by_role("button", name="Sonucu göster").click()
    assert page.locator(".kume-result").get_attribute("data-eligible") == "true"


def test_check_explains_a_bad_answer(page, base_url):
    page.goto(urljoin(base_url, CHECK))
    page.get_by_role("button", name="Kontrole başla").click()
    _answer_question(page, True, keyboard=False)
    page.locator("form.kume-step input[type=text]").fill("epey var")
    page.get_by_role("button", name="Devam").click()
    box = page.locator(".kume-error-summary")
    box.wait_for()
    field = page.locator("form.kume-step input[type=text]")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == field.get_attribute("id")
    assert "sayı" in box.inner_text()


# --- the grant calculator -------------------------------------------------------------------


def money_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.quantize(KURUS))


def engine_estimate(items: list[dict], previous: str, on) -> dict:
    try:
        r = estimate(items, previous, on=on)
    except ValueError:
        return {"error": True}
    return {
        "total_cost": money_text(r.total_cost),
        "max_grant": money_text(r.max_grant),
        "own_share": money_text(r.own_share),
        "items": [
            {
                "name": i.name,
                "cost": money_text(i.cost),
                "max_grant": money_text(i.max_grant),
                "item_cap": money_text(i.item_cap),
            }
            for i in r.items
        ],
        "limits": {k: money_text(v) for k, v in r.caps.items()},
        "binding": r.binding,
        "previous_grants": money_text(r.previous_grants),
        "rates": {k: format(v.normalize(), "f") for k, v in r.rates.items()},
        "sources": r.sources,
    }


def _amount(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.05:
        return rng.choice(["1", "2", "3", "0.01", "0.5", "1.33", "0.004", "0.005"])
    if kind < 0.35:
        return str(rng.randint(1, 5_000_000))
    if kind < 0.6:
        return f"{rng.randint(1, 3_000_000)}.{rng.randint(0, 99):02d}"
    if kind < 0.7:
        return f"{rng.randint(1, 900_000)}.{rng.randint(0, 999):03d}"  # rounded to kuruş
    if kind < 0.85:
        return str(rng.choice([7, 11, 13, 333, 999, 1001]) * rng.randint(1, 99_999))
    return str(rng.randint(1, 10 ** rng.randint(6, 12)))


def calc_cases(total_grant: Decimal, n: int = 1200) -> list[dict]:
    rng = random.Random(SEED)
    total = int(total_grant)
    cases = [
        # each cap binding; ties; previous grants exhausting the programme amount
        {"items": [{"name": "A", "cost": "1"}], "previous": "0"},  # every cap rounds to 0
        {"items": [{"name": "A", "cost": "3"}], "previous": "0"},  # items 2 > plan 1
        {"items": [{"name": "A", "cost": "1000000"}], "previous": "0"},  # plan binds
        {"items": [{"name": "A", "cost": "1000000"}], "previous": str(total)},  # exhausted
        {"items": [{"name": "A", "cost": "1000000"}], "previous": str(total + 1)},
        {"items": [{"name": "A", "cost": "1000000"}], "previous": str(total - 500_000)},  # tie
        {"items": [{"name": "A", "cost": "1000000"}], "previous": str(total - 499_999)},
        {"items": [{"name": "A", "cost": "1000000"}], "previous": f"{total - 1}.99"},
        {"items": [{"name": "A", "cost": "99999999"}], "previous": "0"},  # remaining binds
        {"items": [{"name": "A", "cost": "1"}, {"name": "B", "cost": "1"}], "previous": "0"},
        {"items": [{"name": f"K{i}", "cost": "333.33"} for i in range(7)], "previous": "0"},
        # refused alike
        {"items": [], "previous": "0"},
        {"items": [{"name": "A", "cost": "0"}], "previous": "0"},
        {"items": [{"name": "A", "cost": "-5"}], "previous": "0"},
        {"items": [{"name": " ", "cost": "5"}], "previous": "0"},
        {"items": [{"name": "A", "cost": "1000000000000001"}], "previous": "0"},
        {"items": [{"name": "A", "cost": "5"}], "previous": "-1"},
    ]
    while len(cases) < n:
        items = [
            {"name": f"Kalem {i}  ({rng.randint(1, 9)})", "cost": _amount(rng)}
            for i in range(1, rng.choice([1, 1, 2, 3, 3, 4, 5, 8]) + 1)
        ]
        previous = rng.choice(
            [
                "0",
                "0",
                str(rng.randint(0, total)),
                str(total - rng.randint(0, 3_000_000)),
                f"{rng.randint(0, total)}.{rng.randint(0, 99):02d}",
                str(total + rng.randint(0, 10)),
            ]
        )
        cases.append({"items": items, "previous": previous})
    return cases


def test_calculator_gives_the_engines_estimate_for_every_case(page, base_url):
    page.goto(urljoin(base_url, CALC))
    data = page_data(page)
    on = _date(data["date"])
    cases = calc_cases(get_content().parameters["total_grant"].at(on))
    assert len(cases) >= 1000
    got = page.evaluate("cases => window.KumeCalc.estimateMany(cases)", cases)
    binding = set()
    for case, result in zip(cases, got, strict=True):
        want = engine_estimate(case["items"], case["previous"], on)
        if "error" in want:
            assert "errors" in result, case
            continue
        assert result == want, case
        binding.add(tuple(want["binding"]))
        if want["limits"]["remaining"] == "0":
            binding.add(("exhausted",))
    for cap in (("items",), ("plan",), ("remaining",), ("exhausted",)):
        assert any(set(cap) <= set(b) for b in binding), cap
    assert ("plan",) in binding and ("remaining",) in binding
    assert_same_origin(page)


def test_tools_never_use_values_pending_confirmation(page, base_url):
    content = get_content()
    page.goto(urljoin(base_url, CALC))
    figures = page_data(page)["budget"]["figures"]
    for name, figure in figures.items():
        param = content.parameters[name]
        assert Decimal(figure["value"]) == param.at(_date(page_data(page)["date"]))
        for reported in param.reported():
            assert Decimal(figure["value"]) != reported.value, name
    assert any(p.reported() for p in content.parameters.values())  # the 2023 call is there
    scripts = sorted(p.name for p in SCRIPTS.glob("kume-*.js"))
    assert {"kume-core.js", "kume-money.js", "kume-check.js", "kume-calc.js"} <= set(scripts)
    figure = r"(?<![\d.,])(0?\.[57]0?|75|50|25000000|25\.000\.000|20)(?![\d.,])"
    for name in scripts:  # as served to the browser
        text = page.evaluate(f"fetch('assets/javascripts/{name}').then(r => r.text())")
        assert not re.search(figure, text), f"a programme figure is written into {name}"


CALC_UI_CASES = [
    ([("Ortak test laboratuvarı", "1.200.000"), ("Eğitim", "800000"), ("Fuar", "400.000,50")], "0"),
    ([("Danışmanlık", "250000")], ""),
    ([("Makine", "2.000.000"), ("Yazılım", "150000,25")], "24.500.000"),
    ([("Tanıtım", "90.000")], "25.000.000"),
]


def _fmt_tl(text: str) -> str:
    """Turkish display of a money text, as the page shows it."""
    from sitegen.fmt import tl

    return tl(Decimal(text))


@pytest.mark.parametrize("keyboard", [False, True], ids=["click", "keyboard"])
def test_calculator_through_the_real_ui(page, base_url, keyboard):
    page.goto(urljoin(base_url, CALC))
    on = _date(page_data(page)["date"])
    core = "window.KumeCore.parseAmountTr"
    for items, previous in CALC_UI_CASES:
        page.goto(urljoin(base_url, CALC))
        for n, (name, cost) in enumerate(items):
            if n:
                add = page.get_by_role("button", name="Kalem ekle")
                if keyboard:
                    add.focus()
                    page.keyboard.press("Enter")  # focus moves to the new item's name
                else:
                    add.click()
            row = page.locator(".kume-item").nth(n)
            if keyboard:
                if n == 0:
                    row.locator(".kume-item-name").focus()
                assert page.evaluate("document.activeElement.classList.contains('kume-item-name')")
                page.keyboard.type(name)
                page.keyboard.press("Tab")
                page.keyboard.type(cost)
            else:
                row.locator(".kume-item-name").fill(name)
                row.locator(".kume-item-cost").fill(cost)
        prev = page.locator("#kume-previous")
        if keyboard:
            prev.focus()
            page.keyboard.press("Control+A")
            page.keyboard.type(previous)
            page.keyboard.press("Enter")
        else:
            prev.fill(previous)
            page.get_by_role("button", name="Hesapla").click()
        result = page.locator(".kume-calc-result[data-max-grant]")
        result.wait_for()
        plan = [
            {"name": name, "cost": page.evaluate(f"t => {core}(t)", cost)} for name, cost in items
        ]
        want = engine_estimate(plan, page.evaluate(f"t => {core}(t)", previous or "0"), on)
        assert result.get_attribute("data-max-grant") == want["max_grant"]
        assert result.get_attribute("data-binding") == " ".join(want["binding"])
        text = result.inner_text()
        assert f"En yüksek hibe: {_fmt_tl(want['max_grant'])}" in text
        for cap, value in want["limits"].items():
            li = result.locator(f'li[data-cap="{cap}"]')
            assert _fmt_tl(value) in li.inner_text()
            assert li.get_attribute("data-binding") == str(cap in want["binding"]).lower()
        rows = result.locator("tr.kume-item-row")
        assert rows.count() == len(items)
        for i, item in enumerate(want["items"]):
            cells = rows.nth(i).locator("td").all_text_contents()
            assert cells[1:] == [_fmt_tl(item[k]) for k in ("cost", "item_cap", "max_grant")]
        assert page.evaluate("document.activeElement.classList.contains('kume-calc-result')")
        assert "En yüksek hibe" in page.locator(".kume-tool [role=status]").inner_text()
    assert page.context.cookies() == [] and page.evaluate("document.cookie") == ""
    assert_same_origin(page)


def test_calculator_explains_bad_amounts(page, base_url):
    page.goto(urljoin(base_url, CALC))
    page.locator(".kume-item-name").fill("Fuar")
    page.locator(".kume-item-cost").fill("yüz bin")
    page.get_by_role("button", name="Hesapla").click()
    box = page.locator(".kume-error-summary")
    box.wait_for()
    assert "1. kalemin tutarını rakamla yazın" in box.inner_text()
    assert page.evaluate("document.activeElement") is not None
    assert page.locator(".kume-item-cost").get_attribute("aria-invalid") == "true"
    assert page.locator(".kume-calc-result[data-max-grant]").count() == 0


# --- find your centre ---------------------------------------------------------------------

LETTERS = "abcdefghijklmnoprstuvyzçğıöşü"


def _typos(word: str, rng: random.Random) -> list[str]:
    """One of each kind of slip people make: a letter left out, doubled, swapped with the
    next, replaced, or one too many; two slips in a long name; Turkish letters typed plain."""
    out = []
    if len(word) < 2:
        return out
    i = rng.randrange(len(word))
    j = rng.randrange(len(word) - 1)
    out.append(word[:i] + word[i + 1 :])
    out.append(word[:i] + word[i] + word[i:])
    out.append(word[:j] + word[j + 1] + word[j] + word[j + 2 :])
    out.append(word[:i] + rng.choice(LETTERS) + word[i + 1 :])
    out.append(word[:i] + rng.choice(LETTERS) + word[i:])
    if len(word) >= 8:
        k = rng.randrange(len(word) - 2)
        out.append(word[:k] + word[k + 2 :])
        out.append(word[:k] + rng.choice(LETTERS) + word[k + 1 :] + rng.choice(LETTERS))
    return out


def centre_queries() -> list[str]:
    """What people type for a province, seeded: every name, alias, folded and upper-case
    form and plate; typos of each; names with "ili", "merkezi" or a case suffix; prefixes
    (unique or ambiguous); plates out of range; and text that is no province at all."""
    rng = random.Random(SEED)
    provinces = get_content().provinces.provinces
    queries = ["kahramanmaras", "K.Maraş", "k maras", "ISTANBUL", "izmir", "ŞANLIURFA", "06",
               "Antep", "Urfa", "Afyon", "Maraş", "G. Antep", "Samsun'da", "Samsun’dan",
               "Trabzon ili", "çorum merkez", "Muş İli", "  bursa  ", "ANKARA'YA", "İÇEL",
               "", "   ", "??", "0", "00", "82", "99", "100", "046", "1234", "Atlantis",
               "xyz", "istanbull", "eskisehr", "ka", "ma", "kar", "van", "vn", "tokta",
               "siirt", "sirt", "bol", "mus", "aydn", "ardahan", "ardhan", "kars ili"]  # fmt: skip
    for p in provinces:
        names = [p.name, *p.aliases]
        queries += [str(p.plate), f"{p.plate:02d}", upper_tr(p.name), fold(p.name)]
        queries += names
        for name in names:
            queries += _typos(fold(name), rng) + _typos(name, rng)
        queries += [f"{p.name} ili", f"{fold(p.name)}'de", fold(p.name)[: rng.randint(2, 5)]]
    # districts typed instead of the province (content/districts.yaml), with typos, and a
    # district beside its province ("Gebze, Kocaeli")
    for province, districts in load_districts().provinces.items():
        for district in districts:
            queries += [district, fold(district), *_typos(fold(district), rng)[:2]]
        queries.append(f"{rng.choice(districts)}, {province}")
    for _ in range(60):
        queries.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 9))))
    return queries


def centre_oracle(text: str, content) -> dict:
    """The bot's answer: the province and its centre, or its message and candidates."""
    try:
        province = find_province(text, content.provinces)
    except ValidationProblem as problem:
        return {"problem": problem.message, "suggestions": list(problem.suggestions)}
    return {"name": province.name, "centre": centre_for(province.name, content).centre.id}


def test_centre_finder_reads_what_people_type_as_the_bot_does(page, base_url):
    """All 81 provinces (names, aliases, plates, folded) and over a thousand generated typos,
    suffixes, prefixes and non-provinces: the finder's answer is find_province + centre_for,
    the bot's "Bunu mu demek istediniz: …?" (same candidates) or its message."""
    content = get_content()
    page.goto(urljoin(base_url, CENTRE))
    queries = centre_queries()
    assert len(queries) >= 1000
    got = page.evaluate("qs => window.KumeCentre.findMany(qs)", queries)
    outcomes = {"found": set(), "suggest": 0, "problem": 0}
    for query, found in zip(queries, got, strict=True):
        want = centre_oracle(query, content)
        assert found == want, query
        if "name" in want:
            outcomes["found"].add(want["name"])
        elif want["suggestions"]:
            outcomes["suggest"] += 1
        else:
            outcomes["problem"] += 1
    assert len(outcomes["found"]) == 81
    # The generated input reaches every branch, the bot's question included.
    assert outcomes["suggest"] >= 20 and outcomes["problem"] >= 10, outcomes
    # Districts answer their province, and a name in several provinces asks which one.
    districts = load_districts().provinces
    answered = {q: f.get("name") for q, f in zip(queries, got, strict=True)}
    for province in ("Samsun", "Gaziantep", "Kahramanmaraş", "Çorum"):
        unique = [d for d in districts[province] if len(provinces_of_district(d)) == 1]
        assert len(unique) >= 8 and all(answered[d] == province for d in unique), province
    asked = {q: f["suggestions"] for q, f in zip(queries, got, strict=True) if "problem" in f}
    assert set(asked["Yenişehir"]) == {"Bursa", "Mersin", "Diyarbakır"}
    typos_accepted = sum(
        1 for q, f in zip(queries, got, strict=True) if "name" in f and fold(q) != fold(f["name"])
    )
    assert typos_accepted >= 500
    # The table (the map's text alternative) holds the same routing.
    rows = page.locator("table tr[data-plate]").evaluate_all(
        "rows => rows.map(r => [Number(r.dataset.plate), r.dataset.centre])"
    )
    provinces = content.provinces.provinces
    want = sorted([p.plate, centre_for(p.name, content).centre.id] for p in provinces)
    assert sorted(rows) == want
    assert_same_origin(page)


@pytest.mark.parametrize("typed", ["kahramanmaras", "K.Maraş", "55", "bursa", "Antep", "trabzn"])
def test_centre_finder_through_the_real_ui(page, base_url, typed):
    content = get_content()
    page.goto(urljoin(base_url, CENTRE))
    box = page.get_by_label(content.site_tools.centre.label)
    box.focus()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    result = page.locator(".kume-centre-result .kume-result[data-centre]")
    result.wait_for()
    routing = centre_for(typed, content)
    assert result.get_attribute("data-province") == find_province(typed).name
    assert result.get_attribute("data-centre") == routing.centre.id
    assert page.evaluate("document.activeElement.tagName") == "H2"
    text = result.inner_text()
    assert routing.centre.host in text  # the host while the operator gives no contact
    assert f"{routing.centre.province} Kümelenme Bilgi Merkezi" in text
    assert "{" not in text


@pytest.mark.parametrize("typed", ["tokta", "ka", "vn"])
def test_centre_finder_asks_what_the_bot_asks(page, base_url, typed):
    """Where the bot would ask "Bunu mu demek istediniz?", the page asks it too, with a
    button per candidate, and shows no centre until one is chosen."""
    content = get_content()
    want = centre_oracle(typed, content)
    assert want["suggestions"], typed
    page.goto(urljoin(base_url, CENTRE))
    page.get_by_label(content.site_tools.centre.label).fill(typed)
    page.get_by_role("button", name=content.site_tools.centre.submit).click()
    box = page.locator(".kume-centre-result .kume-result[data-suggest]")
    box.wait_for()
    assert page.locator(".kume-centre-result [data-centre]").count() == 0
    assert box.locator(".kume-problem").inner_text() == want["problem"]
    choices = box.locator(".kume-choices button")
    names = [t.rsplit(" (", 1)[0] for t in choices.all_inner_texts()]
    assert names == want["suggestions"]
    assert page.evaluate("document.activeElement.tagName") == "H2"
    choices.first.focus()
    page.keyboard.press("Enter")
    chosen = want["suggestions"][0]
    result = page.locator(f".kume-result[data-province='{chosen}']")
    result.wait_for()
    assert result.get_attribute("data-centre") == centre_for(chosen, content).centre.id


def test_centre_finder_says_when_nothing_matches(page, base_url):
    content = get_content()
    page.goto(urljoin(base_url, CENTRE))
    for typed in ("Atlantis", "82", ""):
        page.get_by_label(content.site_tools.centre.label).fill(typed)
        page.get_by_role("button", name=content.site_tools.centre.submit).click()
        box = page.locator(".kume-centre-result .kume-result[data-none]")
        box.wait_for()
        assert box.locator(".kume-problem").inner_text() == centre_oracle(typed, content)["problem"]
        assert content.site_tools.centre.none_title in box.inner_text()


@pytest.mark.parametrize(
    ("path", "link"),
    [(CHECK, "kimler-katilabilir.html"), (CALC, "sure-ve-destek-miktari.html"), (CENTRE, None)],
)
def test_without_javascript_each_tool_says_where_the_same_answer_is(browser, base_url, path, link):
    context = browser.new_context(java_script_enabled=False, locale="tr-TR")
    try:
        page = context.new_page()
        page.goto(urljoin(base_url, path))
        note = page.locator(".kume-tool .kume-nojs")
        assert note.is_visible() and "JavaScript" in note.inner_text()
        if link:
            assert note.locator(f'a[href="{link}"]').count() == 1
        else:  # the centre finder's table answers for every province without script
            assert page.locator("table tr[data-plate]").count() == 81
    finally:
        context.close()
