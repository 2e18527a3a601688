import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.text import fold, lower_tr, normalize, tokens, upper_tr


@pytest.mark.parametrize(
    ("raw", "lower"),
    [
        ("İSTANBUL", "istanbul"),
        ("IŞIK", "ışık"),
        ("ISPARTA", "ısparta"),
        ("Isparta", "ısparta"),
        ("İşbirliği", "işbirliği"),
        ("ÇĞÖŞÜ", "çğöşü"),
        ("KOBİ", "kobi"),
    ],
)
def test_lower_tr(raw, lower):
    assert lower_tr(raw) == lower


def test_lower_tr_leaves_no_combining_dot():
    # str.lower() turns "İ" into "i" + U+0307; the Turkish rule must not.
    assert "İ".lower() == "i\u0307"
    assert lower_tr("İ") == "i"
    assert "\u0307" not in lower_tr("İZMİR İLİ")


@pytest.mark.parametrize(
    ("raw", "upper"),
    [("istanbul", "İSTANBUL"), ("ışık", "IŞIK"), ("işbirliği", "İŞBİRLİĞİ"), ("çğöşü", "ÇĞÖŞÜ")],
)
def test_upper_tr(raw, upper):
    assert upper_tr(raw) == upper


@given(st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyz ", max_size=40))
@settings(max_examples=200, deadline=None)
def test_upper_lower_round_trip(s):
    assert lower_tr(upper_tr(s)) == s


def test_fold_equalities():
    assert fold("ISPARTA") == fold("Isparta") == fold("ısparta") == "isparta"
    assert fold("ISBIRLIGI") == fold("İşbirliği") == fold("isbirligi") == fold("işbirliği")
    assert fold("işbirliği") == "isbirligi"
    assert fold("Kümelenme") == "kumelenme"
    assert fold("ihracatımızı") == "ihracatimizi"
    assert fold("dâhil") == fold("dahil") == "dahil"
    assert fold("Gaziantep'teki ÜRÜN") == "gaziantep'teki urun"


def test_nfd_input_is_composed():
    nfd = unicodedata.normalize("NFD", "İşbirliği Çorum Güneş")
    assert nfd != "İşbirliği Çorum Güneş"
    assert normalize(nfd) == "işbirliği çorum güneş"
    assert fold(nfd) == "isbirligi corum gunes"
    # an NFD capital dotted I written as I + combining dot
    assert lower_tr("I\u0307STANBUL") == "istanbul"
    assert normalize("I\u0307STANBUL") == "istanbul"


def test_zero_width_and_control_characters():
    assert normalize("ihra\u200bcat") == "ihracat"
    assert normalize("\ufeffCE\u200d belgesi\u2060") == "ce belgesi"
    assert normalize("güneş\u202epaneli") == "güneşpaneli"  # bidi override is dropped
    assert normalize("eleman\x00bulamıyoruz") == "eleman bulamıyoruz"  # NUL splits words
    assert normalize("  çok\t\n boşluk  ") == "çok boşluk"


def test_punctuation_is_plain():
    assert normalize("Üniversite – Sanayi") == "üniversite - sanayi"
    assert normalize("Üniversite — Sanayi") == normalize("Üniversite - Sanayi")
    assert normalize("TÜBİTAK’a") == "tübitak'a"
    assert normalize("“tırnak”") == '"tırnak"'
    assert normalize("ＣＥ") == "ce"  # full-width letters (NFKC)


def test_tokens():
    assert tokens("İhracatımızı artırmak; AR-GE!") == ["ihracatimizi", "artirmak", "ar", "ge"]
    assert tokens("CE belgesi 👍 lazım") == ["ce", "belgesi", "lazim"]
    assert tokens("TÜBİTAK’a başvuru") == ["tubitak", "a", "basvuru"]
    assert tokens("") == []
    assert tokens("🙂🙂") == []


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_never_crashes_and_is_idempotent(s):
    n = normalize(s)
    assert normalize(n) == n
    f = fold(s)
    assert not set(f) & set("çğıöşüâîûÇĞİIÖŞÜ\u0307")
    assert fold(f) == f
    assert all(t == t.strip() and t for t in tokens(s))
