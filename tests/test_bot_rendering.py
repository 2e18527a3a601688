"""Unit tests of the bot's user-facing rendering (no Telegram server needed).

Every rendered message is checked with the fake server's Telegram-HTML parser, so markup that
Telegram would reject ("can't parse entities") fails here already.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram.html import split_message
from bot.telegram.user import keyboards as kb
from bot.telegram.user import links as user_links
from bot.telegram.user import render as msg_core
from bot.telegram.user import render_personal, render_results
from bot.telegram.user.budget import render_budget_step, render_estimate
from bot.telegram.user.questions import button_answer, question_tag, render_step
from eligibility import budget_walk as bw
from eligibility import questionnaire as q
from eligibility.amounts import AmountError as BudgetInputError
from eligibility.amounts import parse_amount_tr, parse_budget_lines, split_previous_grants
from eligibility.budget import estimate
from eligibility.content import get_content
from eligibility.routing import centre_for
from eligibility.rules import Association, evaluate
from tests.support.fake_bot_api import parse_html

SITE = "https://kume.example/"
EVIL_FIRM = "<b>Deneme & Co</b>"


@pytest.fixture(scope="module")
def content():
    return get_content()


def visible(html_text: str) -> str:
    """What Telegram would show; raises like Telegram on malformed HTML."""
    return parse_html(html_text)


def all_callback_data(markup) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row if b.callback_data]


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234567, "1.234.567 TL"),
        (0, "0 TL"),
        (999, "999 TL"),
        (1000, "1.000 TL"),
        (Decimal("25000000"), "25.000.000 TL"),
        ("275000", "275.000 TL"),
    ],
)
def test_format_tl(amount, expected):
    assert msg_core.format_tl(amount) == expected


def test_format_percent():
    assert msg_core.format_percent(Decimal("0.75")) == "%75"
    assert msg_core.format_percent(Decimal("0.5")) == "%50"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200.000", Decimal(200000)),
        ("350000", Decimal(350000)),
        ("1.234.567,50", Decimal("1234567.50")),
        ("1,5 milyon TL", Decimal(1500000)),
        ("75 bin", Decimal(75000)),
        ("12,5", Decimal("12.5")),
        ("1,234,567", Decimal(1234567)),
        ("200.000 ₺", Decimal(200000)),
        ("1.250.000", Decimal(1250000)),
        ("₺2 milyon", Decimal(2000000)),
        ("1 milyon 250 bin", Decimal(1250000)),
        ("750 bin lira", Decimal(750000)),
    ],
)
def test_parse_amount_tr(text, expected):
    assert parse_amount_tr(text) == expected


@pytest.mark.parametrize("bad", ["", "yüz bin lira", "abc", "0", "-5", "200 300", "1e5"])
def test_parse_amount_tr_rejects(bad):
    with pytest.raises(BudgetInputError):
        parse_amount_tr(bad)


def test_parse_budget_lines_formats():
    items = parse_budget_lines(
        "Eğitim programı: 200.000\n\n• Fuar katılımı = 350000\nDanışmanlık - 1,5 milyon\n"
        "Yazılım lisansı 75 bin"
    )
    assert items == [
        ("Eğitim programı", Decimal(200000)),
        ("Fuar katılımı", Decimal(350000)),
        ("Danışmanlık", Decimal(1500000)),
        ("Yazılım lisansı", Decimal(75000)),
    ]


def test_parse_budget_lines_names_bad_line():
    with pytest.raises(BudgetInputError, match=r"2\. satır"):
        parse_budget_lines("Eğitim: 1000\nFuar: çok para")
    with pytest.raises(BudgetInputError):
        parse_budget_lines("   \n")


# --- escaping --------------------------------------------------------------------------


def test_user_data_escapes_firm_and_lists_every_lead():
    leads = [
        {
            "id": 7,
            "firm": EVIL_FIRM,
            "contact_name": "Ayşe Deneme",
            "phone": "+905321234567",
            "matched_activities": ["k1-10"],
            "consent": {"version": "2026-11-v1", "at": "2026-11-25T06:00:00+00:00"},
        },
        {
            "id": 8,
            "firm": "Deneme Makina Ltd.",
            "needs_text": "a < b && c > d",
            "status": "iletisime_gecildi",
            "centre": "samsun",
            "notes": [{"text": "Aranacak <yarın>", "by": "staff", "at": "2026-11-25T08:00"}],
        },
    ]
    html_text = render_personal.render_user_data(leads)
    shown = visible(html_text)
    assert EVIL_FIRM in shown  # shown literally, not interpreted as bold
    assert "&lt;b&gt;Deneme &amp; Co&lt;/b&gt;" in html_text
    assert "#7" in shown and "#8" in shown
    assert "a < b && c > d" in shown
    assert "2026-11-v1" in shown
    assert "İletişime geçildi" in shown  # status label, not the id
    assert "Samsun Kümelenme Bilgi Merkezi" in shown
    assert "Aranacak <yarın>" in shown  # the centre's notes are shown too


def test_user_data_empty():
    assert "kayıtlı hiçbir kişisel veri yok" in visible(render_personal.render_user_data([]))


def test_long_user_data_splits_under_limit():
    leads = [{"id": i, "firm": EVIL_FIRM, "needs_text": "ihracat " * 80} for i in range(30)]
    html_text = render_personal.render_user_data(leads)
    assert len(html_text) > 4096
    parts = split_message(html_text)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= 4096
        visible(part)  # each part is valid HTML on its own
    assert sum(visible(p).count("Kayıt #") for p in parts) == 30


# --- verdict ---------------------------------------------------------------------------


def test_verdict_ineligible_19_firms_no_university(content):
    verdict = evaluate(Association(1, 0, 0, True, 19)).to_json()
    html_text = render_results.render_verdict(verdict, content, SITE)
    shown = visible(html_text)
    assert "karşılamıyor" in shown
    assert "1 firma eksik" in shown
    assert "üniversite" in shown.lower()
    # Next steps link to the activities' anchors on their category pages.
    k2_07 = next(a for a in content.catalogue.activities if a.id == "k2-07")
    url = user_links.activity_url(k2_07, SITE)
    assert url.startswith(SITE) and url.endswith("#k2-07")
    assert f'href="{url}"' in html_text
    assert "#k1-04" in html_text
    assert "📖" in shown  # citation of the rules
    assert "en az yirmi firma" in shown


def test_verdict_eligible_with_advice(content):
    readiness = {r.id: False for r in content.rules.readiness[:1]}
    verdict = evaluate(Association(1, 0, 1, True, 25), readiness=readiness).to_json()
    shown = visible(render_results.render_verdict(verdict, content, SITE))
    assert "karşılıyor" in shown and "karşılamıyor" not in shown
    assert content.rules.readiness[0].title in shown
    assert "Hazırlık önerileri" in shown


def test_verdict_survives_the_json_round_trip_of_the_conversation_state(content):
    import json

    verdict = evaluate(Association(0, 1, 0, False, 3)).to_json()
    stored = json.loads(json.dumps(verdict))
    assert render_results.render_verdict(stored, content, SITE) == render_results.render_verdict(
        verdict, content, SITE
    )


# --- links -----------------------------------------------------------------------------


def test_activity_url_scheme_matches_site(content):
    act = next(a for a in content.catalogue.activities if a.id == "k3-01")
    cat = next(c for c in content.catalogue.categories if c.number == act.category)
    url = user_links.activity_url(act, SITE)
    assert url.endswith("#k3-01")
    assert f"kategori-3-{cat.slug}" in url
    from sitegen import urls  # the site generator's own import path (site/ on sys.path)

    assert url == urls.activity_url(act, SITE)


def test_kvkk_notice_fills_retention_and_links_page(content):
    html_text = render_personal.render_kvkk_text("notice", content, 180, SITE)
    shown = visible(html_text)
    assert "180 gün" in shown
    assert "{retention_days}" not in shown and "{controller}" not in shown
    assert "Telegram" in shown  # messages pass through Telegram's servers
    assert content.notices.demo.unset in shown  # the demo names no controller
    assert user_links.kvkk_url(SITE) in html_text
    consent = visible(render_personal.render_kvkk_text("consent_question", content, 180, SITE))
    assert "Açık rıza" in consent and "açık rıza veriyorum" in consent


# --- budget, centre, FAQ, programme ----------------------------------------------------


def test_render_budget_turkish_figures(content):
    result = estimate([("Eğitim", 200000), ("Fuar", 350000)], on=dt.date(2026, 1, 1))
    shown = visible(render_estimate(result, SITE))
    assert "550.000 TL" in shown  # total cost
    assert "275.000 TL" in shown  # plan cap: 50 %
    assert "%75" in shown and "%50" in shown
    assert "📖" in shown
    # every cap explained with its dating line; the grant is an association's
    assert shown.count("2013 tarihli program sayfasına göre") >= 3
    assert "birlikteliğin iş planı" in shown
    assert "doğrulanmamış" in shown and "%70" in shown  # the 2023 call: mentioned, not used


def test_budget_previous_grants_line(content):
    items, previous = split_previous_grants(
        parse_budget_lines("Fuar: 2.000.000\nÖnceki hibe: 24.500.000")
    )
    assert items == [("Fuar", Decimal(2000000))] and previous == Decimal(24500000)
    result = estimate(items, previous_grants=previous, on=dt.date(2026, 1, 1))
    shown = visible(render_estimate(result, SITE))
    assert "daha önce alınan 24.500.000 TL düşülünce 500.000 TL" in shown
    assert "Alınabilecek en çok hibe: 500.000 TL" in shown  # the 25 million ceiling binds
    assert "5 yıllık program tavanı" in shown  # the cap's label from parameters.yaml
    # the ceiling is never stated as current: its figure carries the 2013 dating line
    assert "25.000.000 TL (2013 tarihli program sayfasına göre)" in shown
    with pytest.raises(BudgetInputError):
        split_previous_grants(parse_budget_lines("önceki hibe: 1000"))


def test_render_centre_local_and_nearest(content):
    local = visible(render_results.render_centre("Kahramanmaraş", centre_for("K.Maraş"), content))
    assert "Kahramanmaraş ilinde" in local
    assert "Kahramanmaraş Ticaret ve Sanayi Odası" in local
    routing = centre_for("sivas")
    far = visible(render_results.render_centre("Sivas", routing, content))
    assert "en yakın" in far and f"{round(routing.distance_km)} km" in far
    assert routing.centre.host in far


def test_faq_answer_has_citation(content):
    entry = content.faq.entries[0]
    shown = visible(render_results.render_faq_answer(entry, content))
    assert entry.question in shown
    assert "📖" in shown
    assert content.sources[entry.sources[0].source].title in shown


def test_programme_summary_cited_with_site_link(content):
    html_text = render_results.programme_summary(content, SITE)
    shown = visible(html_text)
    assert content.programme.name in shown
    assert "📖" in shown
    assert f'href="{SITE}"' in html_text
    assert len(html_text) <= 4096


def test_matches_render_links(content):
    from eligibility.matcher import match_needs

    matches = match_needs("ihracat icin yeni pazar ariyoruz")
    assert matches
    html_text = render_results.render_matches(matches, content, SITE)
    visible(html_text)
    assert f"#{matches[0].activity_id}" in html_text
    assert "eşleştiremedim" in visible(render_results.render_matches([], content, SITE))


# --- questionnaire rendering -----------------------------------------------------------


def _walk(path_id: str, answers: list[str]):
    session = q.start(path_id)
    step = q.current_step(session)
    for a in answers:
        step = q.answer(session, a)
    return session, step


def test_first_question_progress_and_controls(content):
    _, step = _walk("kume", [])
    rendered = render_step(step, content=content, retention_days=365, site_url=SITE)
    shown = visible(rendered.text)
    assert f"[1/{step.total}]" in shown
    data = all_callback_data(rendered.keyboard)
    tag = question_tag(step.question)
    assert f"u:q:o:{tag}:1" in data and f"u:q:o:{tag}:2" in data  # yes, no
    assert button_answer(["o", tag, "1"], step.question) == "Evet"
    assert button_answer(["o", tag, "2"], step.question) == "Hayır"
    assert "u:q:r" in data
    assert "u:q:b" not in data  # nothing to go back to


def test_choice_question_buttons_by_number(content):
    _, step = _walk("firma", [EVIL_FIRM, "samsun", "makine"])
    assert step.question.answer_kind.uses_options
    rendered = render_step(step, content=content, retention_days=365, site_url=SITE)
    labels = [b.text for row in rendered.keyboard.inline_keyboard for b in row]
    assert [o.label for o in step.question.options] == labels[: len(step.question.options)]
    assert "◀️ Geri" in labels and "🔄 Baştan" in labels
    parts = kb.parse_cb(rendered.keyboard.inline_keyboard[1][0].callback_data)[1:]
    assert parts == ["o", question_tag(step.question), "2"]
    # a size band's button answers with the band: a typed "2" would be two employees
    assert button_answer(parts, step.question) == step.question.options[1].value
    # a button of another question is stale: it answers nothing
    assert button_answer(["o", "abcdef", "2"], step.question) is None
    assert button_answer(["o", parts[1], "99"], step.question) is None


def test_reask_shows_one_message_for_the_problem(content):
    _, step = _walk("kume", ["evet", "çok"])
    assert step.kind == "reask"
    shown = visible(render_step(step, content=content, retention_days=365, site_url=SITE).text)
    assert shown.count("⚠️") == 1 and step.message in shown
    assert "💡" not in shown  # the question's help is for "yardım"
    assert step.question.text.split()[0] in shown


def test_consent_question_shows_kvkk_notice_and_buttons(content):
    answers = [EVIL_FIRM, "kahramanmaras", "makine", "35", "1", "ihracat icin yeni pazar"]
    session, step = _walk("firma", answers)
    assert step.question.answer_kind.kvkk_text == "notice"
    rendered = render_step(step, content=content, retention_days=90, site_url=SITE)
    shown = visible(rendered.text)
    assert "90 gün" in shown
    assert user_links.kvkk_url(SITE) in rendered.text
    labels = " ".join(b.text for row in rendered.keyboard.inline_keyboard for b in row)
    assert content.kvkk.notice_ack_button in labels
    assert content.kvkk.consent_button not in labels  # consent is the next, separate step
    step = q.answer(session, content.kvkk.notice_ack_button)
    assert step.question.answer_kind.kvkk_text == "consent_question"
    rendered = render_step(step, content=content, retention_days=90, site_url=SITE)
    labels = " ".join(b.text for row in rendered.keyboard.inline_keyboard for b in row)
    assert content.kvkk.consent_button in labels and content.kvkk.refuse_button in labels
    assert content.kvkk.notice_ack_button not in labels


def test_summary_escapes_answers(content):
    _, step = _walk(
        "firma",
        [EVIL_FIRM, "samsun", "makine", "2", "1", "egitim lazim", "okudum", "hayır"],
    )
    assert step.kind == "summary"
    rendered = render_step(step, content=content, retention_days=365, site_url=SITE)
    assert EVIL_FIRM in visible(rendered.text)
    assert "u:q:y:sum" in all_callback_data(rendered.keyboard)
    assert button_answer(["y", "sum"], None) == "Evet"


def test_every_callback_fits_64_bytes(content):
    keyboards = [kb.main_menu(), kb.faq_keyboard(e.question for e in content.faq.entries)]
    keyboards += [kb.delete_keyboard(), kb.home_keyboard()]
    for path in q.get_questionnaire().paths.values():
        for question in path.questions:
            step = q.Step(kind="question", question=question, number=2, total=9)
            rendered = render_step(step, content=content, retention_days=365, site_url=SITE)
            if not rendered.reply_keyboard:  # share keyboards carry no callback data
                keyboards.append(rendered.keyboard)
    session = bw.start()
    for raw in ("Eğitim", "1000", "düzelt", "1"):
        keyboards.append(render_budget_step(session, bw.answer(session, raw))[1])
    for markup in keyboards:
        for data in all_callback_data(markup):
            assert data.startswith("u:")
            assert len(data.encode("utf-8")) <= 64
    with pytest.raises(ValueError):
        kb.cb("x" * 70)


def test_welcome_escapes_first_name():
    shown = visible(msg_core.welcome("<Ali & Veli>"))
    assert "Hoş geldiniz, <Ali & Veli>!" in shown
    assert visible(msg_core.welcome(None)).startswith("Hoş geldiniz!")


def test_activity_links_name_category_for_repeated_titles(content):
    lines = render_results.render_activity_links(["k2-07", "k3-05"], content, SITE)
    shown = [visible(line) for line in lines]
    assert "(Kategori 2)" in shown[0] and "(Kategori 3)" in shown[1]
    # an unknown id is skipped
    assert render_results.render_activity_links(["k9-99"], content, SITE) == []


@settings(max_examples=60, deadline=None)
@given(
    firm=st.text(min_size=1, max_size=120),
    needs=st.text(max_size=3000),
    count=st.integers(min_value=1, max_value=4),
)
def test_user_data_is_valid_html_for_any_text(firm, needs, count):
    leads = [{"id": i, "firm": firm, "needs_text": needs} for i in range(count)]
    parts = split_message(render_personal.render_user_data(leads))
    assert all(len(p) <= 4096 for p in parts)
    shown = "".join(visible(p) for p in parts)  # every part is valid Telegram HTML
    assert shown.count("Kayıt #") == count


def test_matches_keep_best_first_across_categories():
    """Grouping by category must not push the best match below a weaker one."""
    from eligibility.content import get_content
    from eligibility.matcher import Match

    content = get_content()
    best = Match(
        category=3, activity_id="k3-07", title="Yenilenebilir enerji programları", score=95.0
    )
    weaker = Match(
        category=1,
        activity_id="k1-06",
        title="Küme aktörlerinin katılımı için sektörel organizasyonlar",
        score=70.0,
    )
    html = render_results.render_matches([best, weaker], content, "https://example.org/")
    assert html.index("Yenilenebilir enerji programları") < html.index("sektörel organizasyonlar")
