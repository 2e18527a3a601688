"""What a message says of its writer and where the meaning stage reads it: one-word
keyword hits, firm owners writing in the singular, opening greetings, questions for the
FAQ, softened stems, and the token budget counted by pieces."""

from __future__ import annotations

import pytest

from eligibility.content import get_content
from eligibility.matcher import build_index, match_faq, match_needs, message_words
from eligibility.matching import semantic
from eligibility.matching.lexical import token_similarity
from eligibility.matching.lexicon import get_lexicon
from eligibility.matching.signals import Signals
from eligibility.matching.tokens import tokenize
from eligibility.text import normalize

pytestmark = pytest.mark.skipif(
    semantic.get_encoder() is None, reason="meaning stage unavailable on this platform"
)


def need_ids(text: str) -> list[str]:
    return [m.activity_id for m in match_needs(text)]


def faq_ids(text: str) -> list[str]:
    return [m.entry.id for m in match_faq(text)]


def signals() -> Signals:
    return Signals(message_words(get_lexicon()))


@pytest.mark.parametrize(
    "text",
    [
        "kitap fuarı ne zaman başlıyor",
        "kripto paraya yatırım yapmalı mıyım",
        "çamaşır makinem su akıtıyor",
        "telefonumun markası ne olsun",
        "evdeki atık pilleri nereye atabilirim",
    ],
)
def test_a_keyword_on_one_word_of_a_private_message_is_no_need(text):
    # "fuar", "yatırım", "makine", "marka", "atık" are the catalogue's words, but the
    # message is about something else: the meaning stage must lean to a need
    assert need_ids(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fuarlara toplu katılım istiyoruz", {"k1-06", "k1-10"}),
        ("yatırımcıları ilimize çekmek istiyoruz", {"k1-09"}),
        ("ortak boyahane kurmak", {"k3-02"}),
    ],
)
def test_the_same_words_in_a_firms_need_still_match(text, expected):
    assert expected & set(need_ids(text)[:3])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "fabrikam icin kaynakci bulamiyorum, ustalarimi yetistirecek kurs lazim",
            {"k2-01", "k2-02"},
        ),
        ("urunlerimi almanyaya satmak istiyorum ama alici bulamiyorum", {"k1-10", "k1-11"}),
        ("atölyemde çalışacak CNC operatörü yetiştirmek istiyorum", {"k2-01", "k2-02"}),
    ],
)
def test_a_firm_owner_writing_in_the_singular_is_no_private_person(text, expected):
    assert signals().personal(tokenize(text)) is False
    assert expected & set(need_ids(text)[:3])


@pytest.mark.parametrize(
    "text",
    ["iş arıyorum", "fabrikada işçi olarak çalışmak istiyorum", "ben üniversite öğrencisiyim"],
)
def test_a_private_person_stays_one_beside_a_firm_word(text):
    assert signals().personal(tokenize(text)) is True


def test_an_opening_greeting_is_not_what_the_meaning_stage_reads():
    s = signals()
    toks = tokenize("Selamlar hocam, ortak bir depo lazım")
    assert s.greeting_length(toks) == 2
    assert s.greeting_length(tokenize("Merhaba, iyi günler")) == 0  # greetings only
    assert s.greeting_length(tokenize("ortak depo")) == 0


def test_a_long_message_after_a_greeting_gets_each_of_its_needs():
    text = (
        "Merhaba, Kayseri'de mobilya üreticileriyiz. Tasarımlarımız eski kaldı, yeni "
        "modeller lazım. Ayrıca ürünlerimizi Avrupa'ya satmak istiyoruz ama bağlantımız yok."
    )
    got = need_ids(text)
    assert "k4-08" in got
    assert {"k1-10", "k1-11"} & set(got)
    assert need_ids("Merhaba, iyi çalışmalar") == []


@pytest.mark.parametrize(
    ("query", "indexed"),
    [("tuzugunu", "tuzuk"), ("dernegin", "dernek"), ("kitabi", "kitap"), ("ortagi", "ortak")],
)
def test_a_softened_stem_is_the_stem_with_a_suffix(query, indexed):
    assert token_similarity(query, indexed) == 1.0


def test_softening_needs_a_vowel_after_it():
    assert token_similarity("dernegs", "dernek") < 1.0
    assert token_similarity("derne", "dernek") < 1.0


def test_questions_and_statements():
    s = signals()
    for text in ("ORTAK LAB KURULUMU HIBEDEN KARSILANIR MI", "başvuru ne zaman?"):
        assert s.question(text, tokenize(text)), text
    for text in ("ortak atölye kurmak", "kimse bilmiyor"):
        assert not s.question(text, tokenize(text)), text


def test_a_question_about_what_is_covered_finds_its_faq_entry():
    assert faq_ids("ORTAK LAB KURULUMU HIBEDEN KARSILANIR MI")[:1] == ["ortak-atolye-laboratuvar"]
    assert faq_ids("ortak atölye kurmak") == []  # a need: the bot shows the activity
    assert "k3-02" in need_ids("ortak atölye kurmak")[:3]


@pytest.mark.parametrize(
    "text",
    [
        "Derneğimizin çalışanlarına proje yönetimi eğitimi aldırmak istiyoruz",
        "BİRLİĞİMİZİ RESMİLEŞTİRMEK İSTİYORUZ, ŞİRKET Mİ KURALIM",
        "laboratuvarımız yok testleri İstanbul'a gönderiyoruz!",
    ],
)
def test_a_text_costs_the_sum_of_its_pieces(text):
    encoder = semantic.get_encoder()
    assert encoder is not None
    pieces = text.split()
    total = sum(encoder.chunk_tokens(p, i == 0) for i, p in enumerate(pieces))
    assert total == encoder.token_count(normalize(text))


def test_the_meaning_stage_reads_at_most_its_budget_of_what_the_model_sees():
    ranker = build_index(get_content().catalogue).ranker
    encoder = semantic.get_encoder()
    assert encoder is not None
    text = "BİRLİĞİMİZİ RESMİLEŞTİRMEK İSTİYORUZ, ŞİRKET Mİ KURALIM DERNEK Mİ, BİLEMEDİK"
    toks = tokenize(text)
    first, last = ranker._meaning_span(text, toks)
    read = normalize(text[toks[first].start : toks[last - 1].end])
    assert encoder.token_count(read) <= ranker.params.budget
    more = normalize(text[toks[first].start : toks[min(last, len(toks) - 1)].end])
    assert last == len(toks) or encoder.token_count(more) > ranker.params.budget
