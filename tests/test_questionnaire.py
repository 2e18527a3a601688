"""Questionnaire engine: branching, back, restart, summary, re-asks and persistence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import questionnaire as q
from eligibility.content import ContentError, content_dir, load_content
from eligibility.rules import Association, evaluate


@pytest.fixture(scope="module")
def definition():
    return q.load_questionnaire()


@pytest.fixture(scope="module")
def content():
    return load_content()


def walk(session, answers, definition):
    step = None
    for raw in answers:
        step = q.answer(session, raw, definition)
        assert step.kind != "reask", (raw, step.message)
    return step


def ids(session, definition):
    return [x.id for x in q.applicable(session, definition)]


def test_both_paths_exist(definition):
    assert set(definition.paths) >= {"kume", "firma"}
    assert definition.paths["kume"].result == "eligibility"
    assert definition.paths["firma"].result == "firm"


def test_readiness_questions_come_from_rules_yaml(definition, content):
    kume = definition.paths["kume"]
    readiness = [x for x in kume.questions if x.id.startswith(q.READINESS_PREFIX)]
    assert [x.text for x in readiness] == [r.question for r in content.rules.readiness]
    assert all(x.kind == "readiness" for x in readiness)  # yes / no / bilmiyorum


def test_every_question_is_complete(definition):
    for path in definition.paths.values():
        for question in path.questions:
            assert question.text.strip() and question.help.strip() and question.label.strip()


def test_no_chamber_of_industry_asks_about_tso(definition):
    session = q.start("kume", definition)
    step = q.current_step(session, definition)
    assert step.question.id == "chamber_of_industry_in_region"
    assert step.number == 1
    step = q.answer(session, "hayır", definition)
    assert step.question.id == "chambers_of_commerce_and_industry"
    assert "chambers_of_industry" not in ids(session, definition)


def test_chamber_of_industry_skips_tso(definition):
    session = q.start("kume", definition)
    step = q.answer(session, "evet", definition)
    assert step.question.id == "chambers_of_industry"
    step = q.answer(session, "1", definition)
    assert step.question.id == "universities"
    assert "chambers_of_commerce_and_industry" not in ids(session, definition)


def test_progress_counts_applicable_questions(definition, content):
    session = q.start("kume", definition)
    n_readiness = len(content.rules.readiness)
    total = 1 + 1 + 2 + n_readiness  # region, one chamber count, universities, firms
    steps = [q.current_step(session, definition)]
    for raw in ["evet", "1", "1", "20"]:
        steps.append(q.answer(session, raw, definition))
    assert [s.progress for s in steps] == [f"{i}/{total}" for i in range(1, 6)]


def test_invalid_answer_is_reasked_and_nothing_is_lost(definition):
    session = q.start("kume", definition)
    walk(session, ["hayır", "2"], definition)
    before = dict(session.answers)
    step = q.answer(session, "bilmiyorum", definition)
    assert step.kind == "reask"
    assert step.question.id == "universities"
    # one message for one problem: what was wrong and how to answer, no second hint
    assert step.message and "sayı" in step.message and "örneğin" in step.message
    assert step.hint is None
    assert q.help_step(session, definition).hint == step.question.help
    assert session.answers == before
    step = q.answer(session, "bir", definition)
    assert step.kind == "question"
    assert session.answers["universities"] == 1


def test_back_goes_over_skipped_questions(definition):
    session = q.start("kume", definition)
    walk(session, ["hayır", "2", "1"], definition)
    step = q.back(session, definition)
    assert step.question.id == "universities"
    step = q.back(session, definition)
    assert step.question.id == "chambers_of_commerce_and_industry"
    step = q.back(session, definition)
    # chambers_of_industry sits between the two in the file but was skipped
    assert step.question.id == "chamber_of_industry_in_region"
    assert session.answers == {}
    step = q.back(session, definition)
    assert step.question.id == "chamber_of_industry_in_region"
    assert step.message == definition.messages.already_first


def test_changing_a_branch_drops_the_other_branch(definition):
    session = q.start("kume", definition)
    walk(session, ["hayır", "2"], definition)
    q.back(session, definition)
    q.back(session, definition)
    step = q.answer(session, "evet", definition)
    assert step.question.id == "chambers_of_industry"
    assert "chambers_of_commerce_and_industry" not in session.answers


def test_restart_clears_everything(definition):
    session = q.start("firma", definition)
    walk(session, ["Deneme Makina Ltd.", "Samsun"], definition)
    step = q.restart(session, definition)
    assert session.answers == {}
    assert step.question.id == "firm"
    assert step.number == 1


FIRM_NO_CONSENT = [
    "Deneme Makina Ltd.",
    "Rize",
    "makine",
    "35",
    "firma",
    "ihracat için yeni pazar",
    "okudum",  # the KVKK information notice, acknowledged on its own step
    "hayır",  # explicit consent, asked on the next one
]
FIRM_CONSENT = [
    *FIRM_NO_CONSENT[:-1],
    "evet",
    "Ayşe Deneme",
    "0532 123 45 67",
    "ayse@deneme.example",
]


def test_summary_comes_before_the_result(definition):
    session = q.start("firma", definition)
    step = walk(session, FIRM_NO_CONSENT, definition)
    assert step.kind == "summary"
    assert session.stage == "summary"
    labels = dict(step.summary)
    assert labels["Kurum / firma adı"] == "Deneme Makina Ltd."
    assert labels["Çalışan sayısı"] == "10–49 çalışan"
    assert labels["Açık rıza"] == "Hayır"
    assert labels["Aydınlatma metni"] == definition.messages.notice_read
    assert "Telefon" not in labels  # no consent: contact questions never asked
    step = q.answer(session, "belki", definition)
    assert step.kind == "reask" and step.question is None
    assert session.stage == "summary"
    step = q.answer(session, "evet", definition)
    assert step.kind == "result"
    assert session.stage == "done"
    assert step.result.consent is False
    assert step.result.routing.centre.id == "trabzon"


def test_no_at_the_summary_goes_back_over_skipped_contact_questions(definition):
    session = q.start("firma", definition)
    walk(session, FIRM_NO_CONSENT, definition)
    step = q.answer(session, "hayır", definition)
    assert step.kind == "question"
    assert step.question.id == "consent"
    assert session.stage == "asking"
    step = q.answer(session, "evet", definition)
    assert step.question.id == "contact_name"


def test_a_walk_gets_its_submission_key_at_the_summary(definition):
    """The key the store's save is idempotent on: given at the summary, the same through
    the confirmation, a persisted round trip and a re-shown result; dropped when an answer
    changes, so the next summary has a new one."""
    session = q.start("firma", definition)
    walk(session, FIRM_CONSENT[:3], definition)
    assert session.submission_key is None
    walk(session, FIRM_CONSENT[3:], definition)
    key = session.submission_key
    assert key and len(key) == 32
    assert q.current_step(session, definition).kind == "summary"
    assert session.submission_key == key  # re-showing the summary keeps it
    q.answer(session, "hayır", definition)  # back from the summary: an answer is cleared
    assert session.submission_key is None
    step = q.answer(session, "geç", definition)
    assert step.kind == "summary" and session.submission_key not in (None, key)
    key = session.submission_key
    step = q.answer(session, "evet", definition)
    assert step.result.submission_key == key
    resumed = q.Session.from_dict(json.loads(json.dumps(session.to_dict())))
    assert q.current_step(resumed, definition).result.submission_key == key
    assert q.answer(resumed, "teşekkürler", definition).result.submission_key == key
    q.restart(session, definition)
    assert session.submission_key is None


def test_a_confirmed_session_of_an_older_version_gets_a_key_before_its_result(definition):
    session = q.start("firma", definition)
    walk(session, [*FIRM_CONSENT, "evet"], definition)
    data = session.to_dict()
    del data["submission_key"]
    older = q.Session.from_dict(data)
    result = q.current_step(older, definition).result
    assert result.submission_key and result.submission_key == older.submission_key


def test_consent_path_collects_contact_and_optional_email(definition):
    session = q.start("firma", definition)
    walk(session, [*FIRM_CONSENT[:-1]], definition)
    step = q.answer(session, "geç", definition)  # e-mail is optional
    assert step.kind == "summary"
    assert session.answers["email"] is None
    assert session.answers["phone"] == "+905321234567"
    assert session.consent_at is not None
    assert dict(step.summary)["E-posta"] == definition.messages.skipped


def test_required_question_cannot_be_skipped(definition):
    session = q.start("firma", definition)
    walk(session, FIRM_CONSENT[:9], definition)  # up to the contact name
    step = q.answer(session, "geç", definition)
    assert step.kind == "reask"
    assert step.question.id == "phone"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("3", "universite"),
        ("universite", "universite"),
        ("ÜNİVERSİTE YA DA ARAŞTIRMA KURUMU", "universite"),
        ("Dernek", "dernek"),
        ("diger", "diger"),
        ("Diğer", "diger"),
    ],
)
def test_options_by_number_value_or_label(definition, raw, value):
    role = definition.paths["firma"].question("role")
    assert q.parse_answer(role, raw) == value


def test_unknown_option_is_reasked_listing_options(definition):
    session = q.start("firma", definition)
    walk(session, FIRM_NO_CONSENT[:4], definition)
    step = q.answer(session, "9", definition)
    assert step.kind == "reask" and step.question.id == "role"
    assert "1) Firma / işletme" in step.message


def test_session_json_round_trip_midway(definition):
    straight = q.start("firma", definition)
    final_straight = walk(straight, [*FIRM_NO_CONSENT, "evet"], definition)

    resumed = q.start("firma", definition)
    walk(resumed, FIRM_NO_CONSENT[:3], definition)
    text = json.dumps(resumed.to_dict(), ensure_ascii=False)
    restored = q.Session.from_dict(json.loads(text))
    assert restored == resumed
    assert q.current_step(restored, definition).question.id == "size_band"
    final = walk(restored, [*FIRM_NO_CONSENT[3:], "evet"], definition)
    assert restored.answers == straight.answers
    assert final.result.routing == final_straight.result.routing


def test_kume_result_is_the_rules_verdict(definition, content):
    minimum = int(content.parameters["min_committed_firms"].at())
    session = q.start("kume", definition)
    n_readiness = len(content.rules.readiness)
    walk(session, ["hayır", "1", "1", str(minimum - 1)] + ["evet"] * n_readiness, definition)
    step = q.answer(session, "evet", definition)
    assert step.kind == "result"
    verdict = step.result.verdict
    expected = evaluate(
        Association(0, 1, 1, False, minimum - 1),
        readiness={r.id: True for r in content.rules.readiness},
    )
    assert verdict.to_json() == expected.to_json()
    assert verdict.eligible is False
    assert [u["rule"] for u in verdict.unmet] == ["committed_firms"]


def test_kume_readiness_no_becomes_advice(definition, content):
    minimum = int(content.parameters["min_committed_firms"].at())
    first = content.rules.readiness[0]
    session = q.start("kume", definition)
    answers = ["evet", "1", "2", str(minimum), "hayır"] + ["evet"] * (
        len(content.rules.readiness) - 1
    )
    walk(session, answers, definition)
    verdict = q.answer(session, "evet", definition).result.verdict
    assert verdict.eligible is True
    assert [a["id"] for a in verdict.advice] == [first.id]


def test_unknown_path():
    with pytest.raises(ValueError, match="Bilinmeyen soru yolu"):
        q.start("yok-boyle-yol")


# --- loader errors name the file and the field ------------------------------------------


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_loader_rejects_unknown_kind(content_copy):
    file = content_copy / "questionnaire.yaml"
    _edit(file, lambda d: d["paths"][1]["questions"][0].__setitem__("kind", "renk"))
    with pytest.raises(ContentError) as info:
        q.load_questionnaire(content_copy)
    assert str(file) in str(info.value)
    assert "paths.1.questions.0" in str(info.value) and "kind" in str(info.value)


def test_loader_rejects_condition_on_a_later_question(content_copy):
    file = content_copy / "questionnaire.yaml"
    _edit(file, lambda d: d["paths"][1]["questions"][0].__setitem__("when", {"consent": True}))
    with pytest.raises(ContentError) as info:
        q.load_questionnaire(content_copy)
    assert str(file) in str(info.value)
    assert "questions.0.when" in str(info.value)


def test_loader_rejects_choice_without_options(content_copy):
    file = content_copy / "questionnaire.yaml"

    def drop(d):
        role = next(x for x in d["paths"][1]["questions"] if x.get("id") == "role")
        del role["options"]

    _edit(file, drop)
    with pytest.raises(ContentError, match="options"):
        q.load_questionnaire(content_copy)


PLAUSIBLE = ["evet", "hayır", "1", "2", "25", "Samsun", "Deneme Makina Ltd.", "geç", "0532 1234567"]


@settings(max_examples=80, deadline=None)
@given(
    path=st.sampled_from(["kume", "firma"]),
    lines=st.lists(st.one_of(st.text(max_size=40), st.sampled_from(PLAUSIBLE)), max_size=20),
)
def test_any_input_gives_a_step_never_an_exception(path, lines):
    definition = q.get_questionnaire()
    session = q.start(path, definition)
    for raw in lines:
        before = dict(session.answers)
        step = q.answer(session, raw, definition)
        assert step.kind in {"question", "reask", "summary", "result"}
        if step.kind == "reask":
            assert session.answers == before  # a refused answer never loses earlier ones
        assert q.Session.from_dict(json.loads(json.dumps(session.to_dict()))) == session


def test_navigation_words_work_at_the_summary_and_mid_walk():
    """ "geri" at the summary goes back to the last question instead of being re-asked;
    "baştan" (also typed without Turkish letters) starts over."""
    from eligibility import questionnaire as qn

    session = qn.start("kume")
    step = qn.current_step(session)
    first_id = step.question.id
    for _ in range(40):
        if step.kind == "summary":
            break
        q = step.question
        raw = {"yesno": "evet", "readiness": "evet"}.get(
            q.kind, q.options[0].value if q.options else "20"
        )
        step = qn.answer(session, str(raw))
    assert step.kind == "summary"
    answered = dict(session.answers)
    step = qn.answer(session, "GERİ")
    assert step.kind == "question"
    assert session.stage == "asking"
    assert len(session.answers) == len(answered) - 1
    step = qn.answer(session, "bastan")
    assert step.kind == "question" and step.question.id == first_id
    assert session.answers == {}


# --- corrections from edited messages (eligibility/questionnaire_edit.py) --------------------


def typed_walk(session, answers, definition):
    """Answers given as typed messages numbered 1, 2, … (their refs)."""
    step = None
    for n, raw in enumerate(answers, start=1):
        step = q.answer(session, raw, definition, ref=str(n))
        assert step.kind != "reask", (raw, step.message)
    return step


def test_an_edit_corrects_the_answer_it_gave_not_the_current_question(definition):
    from eligibility.questionnaire_edit import answered_by, correct

    session = q.start("firma", definition)
    step = typed_walk(session, FIRM_CONSENT[:10], definition)  # up to the phone answer
    current = step.question.id
    firm = answered_by(session, "1", definition)
    assert firm.id == "firm"
    fixed = correct(session, firm, "Deneme Makina Sanayi Ltd.", definition)
    assert fixed.applied and fixed.shown == "Deneme Makina Sanayi Ltd."
    assert session.answers["firm"] == "Deneme Makina Sanayi Ltd."
    assert fixed.step.question.id == current  # the walk goes on where it was
    assert answered_by(session, "1", definition).id == "firm"  # and may be edited again
    assert answered_by(session, "99", definition) is None


def test_an_edit_that_does_not_validate_keeps_the_old_answer(definition):
    from eligibility.questionnaire_edit import answered_by, correct

    session = q.start("firma", definition)
    typed_walk(session, FIRM_CONSENT, definition)
    phone = answered_by(session, "10", definition)
    assert phone.id == "phone"
    refused = correct(session, phone, "yarın ararım", definition)
    assert not refused.applied and refused.problem
    assert session.answers["phone"] == "+905321234567" and refused.shown == "0532 123 45 67"
    assert session.stage == "summary" and refused.step.kind == "summary"


def test_an_edit_at_the_summary_shows_a_new_summary_with_a_new_key(definition):
    from eligibility.questionnaire_edit import answered_by, correct

    session = q.start("firma", definition)
    typed_walk(session, FIRM_CONSENT, definition)
    key = session.submission_key
    fixed = correct(session, answered_by(session, "9", definition), "Ali Deneme", definition)
    assert fixed.step.kind == "summary" and ("İletişim kişisi", "Ali Deneme") in fixed.step.summary
    assert session.submission_key not in (None, key)


def test_an_edited_branch_answer_drops_the_branch_it_closed(definition):
    from eligibility.questionnaire_edit import answered_by, correct

    session = q.start("kume", definition)
    typed_walk(session, ["evet", "1", "2"], definition)
    fixed = correct(session, answered_by(session, "1", definition), "hayır", definition)
    assert fixed.applied
    assert "chambers_of_industry" not in session.answers
    assert fixed.step.question.id == "chambers_of_commerce_and_industry"
    assert answered_by(session, "2", definition) is None  # its answer is gone


def test_an_edited_consent_withdraws_the_contact_details(definition):
    from eligibility.questionnaire_edit import answered_by, correct

    session = q.start("firma", definition)
    typed_walk(session, FIRM_CONSENT, definition)
    fixed = correct(session, answered_by(session, "8", definition), "hayır", definition)
    assert fixed.applied and session.consent_at is None
    assert not {"contact_name", "phone", "email"} & set(session.answers)
    assert fixed.step.kind == "summary"
    step = q.answer(session, "evet", definition)
    assert not step.result.saves_lead


def test_after_the_confirmation_no_edit_changes_anything(definition):
    from eligibility.questionnaire_edit import answered_by

    session = q.start("firma", definition)
    typed_walk(session, [*FIRM_CONSENT, "evet"], definition)
    assert session.stage == "done"
    assert answered_by(session, "1", definition) is None


# --- issue 11: head-counts, suggestions, districts, sectors, names --------------------------


@pytest.mark.parametrize(
    ("raw", "band"),
    [("3", "1-9"), ("1", "1-9"), ("4", "1-9"), ("12", "10-49"), ("250", "250+"),
     ("3 kişi", "1-9"), ("10-49", "10-49"), ("50–249 çalışan", "50-249"), ("orta", "50-249")],
)  # fmt: skip
def test_a_typed_number_is_always_a_head_count(definition, raw, band):
    size = definition.paths["firma"].question("size_band")
    assert q.parse_answer(size, raw) == band


def test_size_buttons_answer_with_the_band_and_zero_is_refused(definition):
    size = definition.paths["firma"].question("size_band")
    buttons = q.choices(size, definition)
    assert [q.parse_answer(size, b.answer) for b in buttons] == [o.value for o in size.options]
    with pytest.raises(q.ValidationProblem) as info:
        q.parse_answer(size, "0")
    assert info.value.message == definition.messages.employee_count_invalid


def _to(session, qid, definition, answers=("Deneme Makina Ltd.", "Samsun", "mobilya", "3")):
    for raw in answers:
        if q.current_question(session, definition).id == qid:
            return
        q.answer(session, raw, definition)
    assert q.current_question(session, definition).id == qid


def test_evet_or_a_button_accepts_a_suggested_province(definition):
    session = q.start("firma", definition)
    _to(session, "province", definition)
    step = q.answer(session, "Gebez", definition)  # a near-miss of Gebze (Kocaeli)
    assert step.kind == "reask" and "Kocaeli" in step.message
    assert [c.label for c in step.suggestions] == ["Kocaeli"]
    assert q.choices(step.question, definition, session=session)[0].answer == "Kocaeli"
    step = q.answer(session, "evet", definition)
    assert session.answers["province"] == "Kocaeli" and session.pending is None
    assert step.question.id == "sector"


def test_no_to_a_suggestion_asks_again_and_another_answer_is_read_as_typed(definition):
    session = q.start("firma", definition)
    _to(session, "province", definition)
    q.answer(session, "Gebez", definition)
    step = q.answer(session, "hayır", definition)
    assert step.kind == "reask" and step.question.id == "province"
    assert "province" not in session.answers and session.pending is None
    q.answer(session, "Gebez", definition)
    q.answer(session, "Samsun", definition)
    assert session.answers["province"] == "Samsun"


@pytest.mark.parametrize(
    ("district", "province"),
    [("Gebze", "Kocaeli"), ("Tuzla", "İstanbul"), ("kadikoy", "İstanbul"),
     ("Çankaya", "Ankara"), ("Nilüfer", "Bursa"), ("Bornova", "İzmir"), ("Atakum", "Samsun"),
     ("Şehitkamil", "Gaziantep"), ("Elbistan", "Kahramanmaraş"), ("Sungurlu", "Çorum"),
     ("Akçaabat", "Trabzon")],
)  # fmt: skip
def test_districts_answer_their_province(definition, district, province):
    question = definition.paths["firma"].question("province")
    assert q.parse_answer(question, district) == province


def test_a_district_of_several_provinces_is_a_choice(definition):
    session = q.start("firma", definition)
    _to(session, "province", definition)
    step = q.answer(session, "Yenişehir", definition)
    assert {c.label for c in step.suggestions} == {"Bursa", "Mersin", "Diyarbakır"}
    q.answer(session, step.suggestions[1].answer, definition)  # the button's text
    assert session.answers["province"] == step.suggestions[1].label


@pytest.mark.parametrize(
    ("raw", "code"),
    [("mobilya", "31"), ("Mobilya yapıyoruz", "31"), ("MOBILYACIYIZ", "31"),
     ("gıda makinesi", "28"), ("tarım makinesi", "28"), ("yazilim", "62"), ("31", "31"),
     ("NACE 25", "25"), ("leblebi üretimi", "10"), ("otomotiv yan sanayi", "29")],
)  # fmt: skip
def test_a_sector_in_own_words_maps_to_a_nace_division(definition, raw, code):
    sector = definition.paths["firma"].question("sector")
    assert q.parse_answer(sector, raw) == code


def test_an_unsure_sector_is_offered_for_confirmation(definition):
    session = q.start("firma", definition)
    _to(session, "sector", definition)
    step = q.answer(session, "mobila", definition)  # a typo: found only fuzzily
    assert step.kind == "reask" and step.suggestions
    assert step.suggestions[0].answer == "31" and "Mobilya" in step.suggestions[0].label
    q.answer(session, "evet", definition)
    assert session.answers["sector"] == "31"
    assert dict(q.summary(session, definition))["Sektör"] == "Mobilya imalatı (31)"


def test_an_unknown_sector_says_how_to_go_on_and_may_be_skipped(definition):
    session = q.start("firma", definition)
    _to(session, "sector", definition)
    step = q.answer(session, "qwxz", definition)
    assert step.kind == "reask" and "geç" in step.message
    q.answer(session, "geç", definition)
    assert session.answers["sector"] is None


@pytest.mark.parametrize("raw", ["12345", "onayliyorum", "Onaylıyorum", "evet", "😀😀", "A"])
def test_a_contact_name_needs_letters_and_is_no_answer_word(definition, raw):
    name = next(x for x in definition.paths["firma"].questions if x.id == "contact_name")
    with pytest.raises(q.ValidationProblem):
        q.parse_answer(name, raw)
    assert q.parse_answer(name, "Ayşe Deneme") == "Ayşe Deneme"


@pytest.mark.parametrize(
    ("qid", "raw"), [("firm", "😀😀😀"), ("firm", "!!"), ("needs", "🙏🙏🙏🙏")]
)
def test_emoji_only_firm_names_and_needs_are_refused(definition, qid, raw):
    question = definition.paths["firma"].question(qid)
    with pytest.raises(q.ValidationProblem) as info:
        q.parse_answer(question, raw)
    assert info.value.message == definition.messages.text_needs_letters
    assert q.parse_answer(definition.paths["firma"].question("firm"), "3M") == "3M"
