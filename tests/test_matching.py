"""Need and FAQ matching in stages: evaluation floors, several needs, evidence, lexicon,
the meaning stage's cache and the keywords-only fallback."""

from __future__ import annotations

import functools

import eval_sets as E
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.content import get_content
from eligibility.matcher import (
    build_index,
    evidence_sentence,
    match_faq,
    match_needs,
    message_words,
)
from eligibility.matching import semantic
from eligibility.matching.fusion import Params, Ranker
from eligibility.matching.lexical import Index
from eligibility.matching.lexicon import get_lexicon
from eligibility.matching.tokens import parts, tokenize
from eligibility.text import fold

pytestmark = pytest.mark.skipif(
    semantic.get_encoder() is None, reason="meaning stage unavailable on this platform"
)


# Held-out set F (round 7), measured once at the end of round 7 (see match_heldout_f.yaml):
# its floors are a little below.
HAS_SET_F = (E.DATA / "match_heldout_f.yaml").exists()
needs_set_f = pytest.mark.skipif(not HAS_SET_F, reason="held-out set F not copied in yet")
# Measured once (bench_match.py -v, 2026-12-01): 166/177, 197/203, 106/107; FAQ 71/81.
HELD_OUT_FLOOR = (0.91, 0.95, 0.97)  # top-1, top-3, off-topic rejected on set F
HELD_OUT_FAQ_FLOOR = 0.85


def need_ids(text: str) -> list[str]:
    return [m.activity_id for m in match_needs(text)]


def faq_ids(text: str) -> list[str]:
    return [m.entry.id for m in match_faq(text)]


@functools.cache
def scored(which: str) -> E.NeedScore:
    """A set's figures, a retired set's with its own examples left out (eval_sets)."""
    return E.score_needs(E.need_matcher(which), E.need_set(which))


# ---- evaluation sets (floors a little below the measured figures; see bench) ----------


def test_evaluation_sets_are_big_enough_and_name_known_ids():
    tuned, set_a = E.need_set("tuned"), E.need_set("set_a")
    assert len(tuned["phrasings"]) + len(set_a["phrasings"]) >= 300
    assert len(tuned["offtopic"]) + len(set_a["offtopic"]) >= 100
    known = {a.id for a in get_content().catalogue.activities}
    cases = [*tuned["phrasings"], *set_a["phrasings"], *E.need_set("checks")["phrasings"]]
    for which in ("set_b", "set_c", "set_d", "set_e"):
        cases += E.need_set(which)["phrasings"]
    faqs = [*E.FAQ_SOURCE]
    if HAS_SET_F:
        cases += E.need_set("holdout")["phrasings"]
        faqs.append("faq_heldout_f")
    for case in cases:
        for group in case.get("expect_each") or [case["expect"]]:
            assert set(group) <= known, case
    faq_known = {e.id for e in get_content().faq.entries}
    for name in faqs:
        for q in E.load(name)["questions"]:
            assert set(q["expect"]) <= faq_known, q


@needs_set_f
def test_held_out_set_f_is_big_enough():
    held = E.need_set("holdout")
    assert len(held["phrasings"]) >= 200 and len(held["offtopic"]) >= 100
    assert len(E.load("faq_heldout_f")["questions"]) >= 78


# Round 6 (the classifier), each retired set with its own examples left out of what it
# learns from: tuned 0.976, 0.983, 0.989; set A 0.972, 0.992, 0.963; set B 0.957, 0.988,
# 0.988; set C 0.935, 0.970, 0.982; set D 0.915, 0.955, 0.973 (round 5, held out: 0.847,
# 0.916, 0.982); checks 0.971, 0.973, 0.969. Earlier rounds' figures (tuned on, without
# leaving out) are in the README.
RETIRED_FLOORS = {
    "tuned": (0.95, 0.97, 0.97),
    "set_a": (0.95, 0.97, 0.94),
    "set_b": (0.93, 0.97, 0.96),
    "set_c": (0.91, 0.95, 0.96),
    "set_d": (0.89, 0.93, 0.95),
    "set_e": (0.88, 0.94, 0.97),
    "checks": (0.94, 0.95, 0.95),
}


@pytest.mark.parametrize("which", sorted(RETIRED_FLOORS))
def test_retired_set_floor_with_its_examples_left_out(which):
    top1, top3, rejected = RETIRED_FLOORS[which]
    s = scored(which)
    assert s.rate(s.top1) >= top1, (which, s.misses)
    assert s.rate(s.hit3) >= top3, (which, s.misses)
    assert s.rate(s.rejected) >= rejected, (which, s.false_hits)


@needs_set_f
def test_held_out_floor():
    s = scored("holdout")
    print("\nheld out (set F):", s.line())
    assert s.rate(s.top1) >= HELD_OUT_FLOOR[0], s.misses
    assert s.rate(s.hit3) >= HELD_OUT_FLOOR[1], s.misses
    assert s.rate(s.rejected) >= HELD_OUT_FLOOR[2], s.false_hits


# Round 6, each with its own examples left out: dev 0.931, set A 0.947, B 0.943, C 0.914,
# D 0.938 (round 5: 0.966, 0.867, 0.805, 0.642 tuned on; D 0.688 held out)
FAQ_FLOORS = {
    "faq_dev": 0.90,
    "faq_heldout": 0.92,
    "faq_heldout_b": 0.92,
    "faq_heldout_c": 0.89,
    "faq_heldout_d": 0.91,
    "faq_heldout_e": 0.92,
}


@pytest.mark.parametrize("name", sorted(FAQ_FLOORS))
def test_faq_floor_with_its_examples_left_out(name):
    s = E.score_faq(E.faq_matcher(name), E.load(name)["questions"])
    assert E.NeedScore.rate(s.top1) >= FAQ_FLOORS[name], s.misses


@needs_set_f
def test_faq_held_out_floor():
    held = E.score_faq(faq_ids, E.load("faq_heldout_f")["questions"])
    print("\nFAQ held out (set F):", held.line())
    assert E.NeedScore.rate(held.top1) >= HELD_OUT_FAQ_FLOOR, held.misses


def test_needs_are_not_answered_with_an_faq_entry():
    # The bot answers with an FAQ entry when match_faq finds one and shows no activity.
    # Round 6, dev examples left out: 13 of 533 (round 3, tuned on: 5 of 533)
    faq = E.faq_matcher("tuned")
    needs = [c["text"] for c in E.need_set("tuned")["phrasings"]]
    taken = [t for t in needs if faq(t)]
    assert len(taken) / len(needs) <= 0.04, taken
    assert not [t for t in E.load("faq_dev")["not_faq"] if match_faq(t)]


# ---- behaviour --------------------------------------------------------------------------


def test_three_needs_in_one_message_each_get_a_match_in_the_first_five():
    text = (
        "Elektrik faturalarımız çok yüksek, ayrıca kalifiye eleman bulamıyoruz. "
        "Bir de ürünlerimize CE belgesi lazım."
    )
    found = match_needs(text, limit=5)
    got = [m.activity_id for m in found]
    assert {"k3-06", "k3-07"} & set(got)
    assert {"k2-01", "k2-02", "k2-03"} & set(got)
    assert "k3-12" in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kümeye katılmak istiyorum", "kumeye-katilmak"),
        ("KUMEYE NASIL KATILIRIZ", "kumeye-katilmak"),
        ("finansmana erişim", "diger-hibe-basvurulari"),
    ],
)
def test_faq_for_what_most_firms_ask(text, expected):
    assert faq_ids(text)[:1] == [expected]


def test_finance_access_is_also_a_need():
    assert "k1-15" in need_ids("finansmana erişim istiyoruz")[:3]


def test_trade_names_are_workforce_needs():
    for text in ("kaynakçı bulamıyoruz", "tornacilar yetistirmek lazim"):
        assert {"k2-01", "k2-02"} & set(need_ids(text)[:3]), text


def test_reaching_ankara_is_not_transport():
    found = need_ids("Ankara'ya ulaşıp taleplerimizi anlatmak istiyoruz")
    assert found and found[0] == "k1-08"
    assert "k3-11" not in found


@pytest.mark.parametrize(
    "text",
    [
        "evimin elektrik faturası çok geldi",
        "marka tescili ne demek sınavda çıkacak",
        "staj yeri arıyorum özgeçmişimi atayım mı",
        "test mesajı",
    ],
)
def test_a_private_persons_matter_is_no_need(text):
    assert need_ids(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "test",
        "ingilizce kursu arıyorum",
        "ikametgah belgesi nereden alınır",
        "kombim arızalı, servis lazım",
        "kaynakçı olarak iş arıyorum",
        "sen yapay zeka mısın",
        "para",
    ],
)
def test_weak_words_personal_endings_and_lone_words_are_no_need(text):
    # a keyword that is common outside any firm, a first-person-singular verb, a question
    # to the bot, a single word the keywords do not know: the meaning stage must agree
    assert need_ids(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CE belgesi", "k3-12"),
        ("servis maliyetlerimiz yüksek", "k3-11"),
        ("ürünlerimizi test ettirecek yer yok", "k3-08"),
        ("ihracat", "k1-10"),
    ],
)
def test_weak_words_still_count_beside_a_firms_words(text, expected):
    assert expected in need_ids(text)[:3]


class _Calls:
    def __init__(self, encoder: semantic.Encoder) -> None:
        self.texts: list[str] = []
        self._encode = encoder.encode

    def __call__(self, texts):
        self.texts += list(texts)
        return self._encode(texts)


def test_faq_and_needs_share_one_embedding_per_message(monkeypatch):
    encoder = semantic.get_encoder()
    calls = _Calls(encoder)
    monkeypatch.setattr(encoder, "encode", calls)
    encoder.clear_cache()
    text = "Bizim kooperatifin yönetimine eğitim lazım, bir de fuarlara katılmak istiyoruz"
    match_faq(text)
    match_needs(text)
    assert len(calls.texts) == 1  # one model call for the bot's FAQ + need look-up
    assert (
        encoder.token_count(calls.texts[0])
        <= build_index(get_content().catalogue).ranker.params.budget
    )


def test_a_near_exact_keyword_hit_needs_no_model_call(monkeypatch):
    encoder = semantic.get_encoder()
    calls = _Calls(encoder)
    monkeypatch.setattr(encoder, "encode", calls)
    encoder.clear_cache()
    assert need_ids("CE belgesi almak istiyoruz")[:1] == ["k3-12"]
    assert calls.texts == []
    assert need_ids("evimin çatısına güneş paneli koymak istiyorum") == []  # personal: asks
    assert calls.texts


def test_evidence_is_the_users_own_words():
    top = match_needs("ELEMAN BULAMIYORUZ, yardım edin")[0]
    assert top.evidence == "ELEMAN BULAMIYORUZ"
    assert evidence_sentence(top.evidence) == "«ELEMAN BULAMIYORUZ» ifadeniz için"
    found = match_needs("Firmalarımız için ortak depo lazım ve güneş paneli kurmak istiyoruz")
    by_id = {m.activity_id: m.evidence for m in found}
    assert by_id["k3-03"] == "ortak depo"
    assert "güneş paneli" in by_id["k3-07"]


def test_evidence_of_a_paraphrase_is_the_part_that_said_it():
    text = "Merhaba. Bir fabrikanın atığı diğerinin hammaddesi olsun istiyoruz."
    found = match_needs(text)
    assert found[0].activity_id == "k3-10"
    assert found[0].evidence in text
    assert "atığı" in found[0].evidence and "Merhaba" not in found[0].evidence


@given(st.text(max_size=200))
@settings(max_examples=60, deadline=None)
def test_evidence_is_always_a_substring(text):
    for m in match_needs(text):
        assert m.evidence and m.evidence in text
    for f in match_faq(text):
        assert f.evidence and f.evidence in text


def test_evidence_spans_of_the_evaluation_set_are_substrings():
    for case in E.need_set("tuned")["phrasings"][:120]:
        for m in match_needs(case["text"]):
            assert m.evidence and m.evidence in case["text"], (case["text"], m)


# ---- parts, lexicon, cache, fallback ---------------------------------------------------


def test_a_message_is_cut_at_clauses_and_connectors():
    text = "Ortak depo kurmak istiyoruz, ayrıca işçi servislerini birleştirelim ve CE belgesi"
    toks = tokenize(text)
    lex = get_lexicon()
    conn = [tuple(fold(c).split()) for c in ("ayrıca", "ve")]
    got = [text[toks[a].start : toks[b - 1].end] for a, b in parts(text, toks, conn)]
    assert got == ["Ortak depo kurmak istiyoruz", "işçi servislerini birleştirelim", "CE belgesi"]
    assert "ayrıca" in lex.connectors


def test_tokens_keep_their_original_span():
    text = "İHRACATIMIZI  s\u0327irket CE\u200b belgesi"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["ihracatimizi", "sirket", "ce", "belgesi"]
    originals = [text[t.start : t.end] for t in toks]
    assert originals == ["İHRACATIMIZI", "s\u0327irket", "CE\u200b", "belgesi"]


def test_lexicon_ids_exist_and_templates_fill():
    lex = get_lexicon()
    content = get_content()
    assert set(lex.activities) <= {a.id for a in content.catalogue.activities}
    assert set(lex.faq) <= {e.id for e in content.faq.entries}
    assert len(lex.offtopic.paraphrases) >= 20
    assert "{evidence}" in lex.templates.evidence and "{evidence}" in lex.templates.evidence_faq


class _CountingEncoder:
    tag = "test-encoder"

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += list(texts)
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)


def test_seed_vectors_are_cached_per_text(tmp_path, monkeypatch):
    monkeypatch.setenv("KUME_CACHE_DIR", str(tmp_path))
    enc = _CountingEncoder()
    first = semantic.embed_seeds(enc, ["bir", "iki"])
    assert enc.seen == ["bir", "iki"]
    again = semantic.embed_seeds(enc, ["iki", "üç", "bir"])
    assert enc.seen == ["bir", "iki", "üç"]  # only the new text was embedded
    assert np.allclose(again[2], first[0]) and np.allclose(again[0], first[1])
    assert list(tmp_path.glob("seed-vectors-test-encoder.npz"))


def test_keywords_only_ranker_still_matches():
    catalogue = get_content().catalogue
    acts = list(catalogue.activities)
    lex = get_lexicon()
    index = Index([[*a.keywords, a.title] for a in acts])
    ranker = Ranker(index, None, lex.connectors, message_words(lex), Params())
    ranked = ranker.rank("CE belgesi almak istiyoruz", 5)
    assert acts[ranked[0].key].id == "k3-12"
    assert ranked[0].evidence == "CE belgesi"
    assert ranker.rank("merhaba", 5) == []


def test_index_is_built_once():
    catalogue = get_content().catalogue
    assert build_index(catalogue) is build_index(catalogue)
