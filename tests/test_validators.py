"""Parsers for what people type: counts, yes/no, phones, e-mail, provinces, size bands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eligibility.validators import (
    MAX_COUNT,
    ValidationProblem,
    find_province,
    format_phone,
    parse_count,
    parse_email,
    parse_phone,
)


def parse_yesno(text: str) -> bool:
    """Yes/no as the engine reads it, with the words of content/questionnaire.yaml."""
    from eligibility.kinds.yesno import parse_yesno as parse
    from eligibility.questionnaire import get_questionnaire

    return parse(text, get_questionnaire().messages)


def parse_size_band(text: str) -> str:
    """A size band as the size_band kind reads it, with the bands of questionnaire.yaml."""
    from eligibility.kinds.size_band import parse_band
    from eligibility.questionnaire import get_questionnaire

    return parse_band(get_questionnaire().paths["firma"].question("size_band"), text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20", 20),
        ("yirmi", 20),
        ("20+", 20),
        ("yirmi beş", 25),
        ("YİRMİ BEŞ", 25),
        ("yirmibeş", 25),
        ("25 firma", 25),
        ("1.200", 1200),
        ("1,200", 1200),
        ("bin", 1000),
        ("bin iki yüz", 1200),
        ("iki yüz elli", 250),
        ("0", 0),
        ("yok", 0),
        ("en az 20", 20),
        ("  7  ", 7),
    ],
)
def test_parse_count_accepts(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    "text", ["-5", "− 3", "abc", "", "firma", "2,5", "20 ya da 30", str(MAX_COUNT + 1), "9999999"]
)
def test_parse_count_rejects(text):
    with pytest.raises(ValidationProblem) as info:
        parse_count(text)
    assert info.value.message  # a Turkish sentence for the user, never empty


@given(st.integers(min_value=0, max_value=MAX_COUNT))
def test_parse_count_round_trips_digits(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n} firma") == n


@pytest.mark.parametrize("text", ["evet", "EVET", "Evet.", "e", "E", "var", "VAR", "yes", "tamam"])
def test_parse_yesno_yes(text):
    assert parse_yesno(text) is True


@pytest.mark.parametrize("text", ["hayır", "HAYIR", "hayir", "h", "H", "yok", "YOK", "no"])
def test_parse_yesno_no(text):
    assert parse_yesno(text) is False


@pytest.mark.parametrize("text", ["belki", "", "3", "evt hyr"])
def test_parse_yesno_rejects(text):
    with pytest.raises(ValidationProblem):
        parse_yesno(text)


@pytest.mark.parametrize(
    "text",
    [
        "0532 123 45 67",
        "+90 (532) 123-4567",
        "5321234567",
        "00905321234567",
        "0090 532 123 45 67",
        "905321234567",
    ],  # the last is how Telegram shares a contact
)
def test_parse_phone_forms(text):
    assert parse_phone(text) == "+905321234567"


def test_parse_phone_landline_and_format():
    assert parse_phone("0 312 123 45 67") == "+903121234567"
    assert format_phone("+905321234567") == "0532 123 45 67"


@pytest.mark.parametrize("text", ["123", "abc", "", "0532 123 45", "0532 123 45 67 89 12"])
def test_parse_phone_rejects(text):
    with pytest.raises(ValidationProblem):
        parse_phone(text)


def test_parse_email_normalises():
    assert parse_email("  ayse.deneme@Deneme-Makina.COM.TR ") == "ayse.deneme@deneme-makina.com.tr"


@pytest.mark.parametrize("text", ["ayse@", "@deneme.com", "a b@deneme.com", "deneme", ""])
def test_parse_email_rejects(text):
    with pytest.raises(ValidationProblem):
        parse_email(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("kahramanmaras", "Kahramanmaraş"),
        ("K.Maraş", "Kahramanmaraş"),
        ("Maraş", "Kahramanmaraş"),
        ("istanbul", "İstanbul"),
        ("İSTANBUL", "İstanbul"),
        ("izmır", "İzmir"),
        ("Afyon", "Afyonkarahisar"),
        ("Urfa", "Şanlıurfa"),
        ("Antep", "Gaziantep"),
        ("Samsun'da", "Samsun"),
        ("Trabzon ili", "Trabzon"),
        ("ankra", "Ankara"),
        ("46", "Kahramanmaraş"),
        ("ÇORUM", "Çorum"),
    ],
)
def test_find_province(text, name):
    assert find_province(text).name == name


def test_find_province_every_official_name_resolves_to_itself():
    from eligibility.models import Provinces
    from eligibility.validators import load_part

    provinces = load_part("provinces", Provinces).provinces
    for prov in provinces:
        assert find_province(prov.name).plate == prov.plate
        assert find_province(prov.name.upper()).plate == prov.plate


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("Kstmnu", "Kastamonu"), ("Dyrbkr", "Diyarbakır"), ("Eskşhr", "Eskişehir")],
)
def test_find_province_suggests_on_a_near_miss(text, suggestion):
    with pytest.raises(ValidationProblem) as info:
        find_province(text)
    assert info.value.message == f"Bunu mu demek istediniz: {suggestion}?"
    assert info.value.suggestion == suggestion


def test_find_province_ambiguous_names_both():
    with pytest.raises(ValidationProblem) as info:
        find_province("Siirt Sinop")
    assert "Siirt" in info.value.message
    assert "Sinop" in info.value.message


@pytest.mark.parametrize("text", ["xyzqw", "", "Atlantis", "99"])
def test_find_province_unknown(text):
    with pytest.raises(ValidationProblem):
        find_province(text)


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("1-9", "1-9"),
        ("10–49", "10-49"),
        ("50 - 249 çalışan", "50-249"),
        ("250+", "250+"),
        ("250 ve üzeri", "250+"),
        ("35", "10-49"),
        ("5 kişi", "1-9"),
        ("otuz beş", "10-49"),
        ("1.500", "250+"),
        ("mikro", "1-9"),
        ("orta ölçekli", "50-249"),
        ("Büyük", "250+"),
    ],
)
def test_parse_size_band(text, band):
    assert parse_size_band(text) == band


@pytest.mark.parametrize("text", ["0", "abc", "10-300", ""])
def test_parse_size_band_rejects(text):
    with pytest.raises(ValidationProblem):
        parse_size_band(text)
