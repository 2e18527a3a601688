"""Parsers for what people type: counts, phone numbers, e-mail (provinces: province_input).

Each parser returns a canonical value or raises `ValidationProblem` with a Turkish message
that can be shown to the user as is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# Re-exported: callers read every parser of typed input from here.
from eligibility.parsing import ValidationProblem, load_part, provinces_of
from eligibility.province_input import (
    PROVINCE_MATCH,
    PROVINCE_NOISE_WORDS,
    PROVINCE_PROBLEMS,
    find_province,
    province_key,
    province_keys,
    province_query,
)
from eligibility.text import fold

__all__ = [
    "COUNT_PROBLEMS", "MAX_COUNT", "NUMBER_WORDS", "PROVINCE_MATCH", "PROVINCE_NOISE_WORDS",
    "PROVINCE_PROBLEMS", "ZERO_WORDS", "ValidationProblem", "find_province", "format_phone",
    "load_part", "parse_count", "parse_email", "parse_phone", "province_key", "province_keys",
    "province_query", "provinces_of",
]  # fmt: skip


# --- counts --------------------------------------------------------------------------

MAX_COUNT = 100_000  # more members than this is a typo, not a cluster

# Public: the site's check reads counts with the same vocabulary (eligibility/tool_data.py).
# Folded forms (eligibility.text.fold), as typed input is compared after folding.
NUMBER_WORDS: Mapping[str, int] = MappingProxyType({
    "sifir": 0, "bir": 1, "iki": 2, "uc": 3, "dort": 4, "bes": 5, "alti": 6, "yedi": 7,
    "sekiz": 8, "dokuz": 9, "on": 10, "yirmi": 20, "otuz": 30, "kirk": 40, "elli": 50,
    "altmis": 60, "yetmis": 70, "seksen": 80, "doksan": 90, "yuz": 100, "bin": 1000,
})  # fmt: skip
_WORDS_LONGEST_FIRST = sorted(NUMBER_WORDS, key=len, reverse=True)
ZERO_WORDS: frozenset[str] = frozenset({"yok", "hic", "hicbiri", "none"})

# What parse_count says about each kind of unusable answer ({value}: the number read).
COUNT_PROBLEMS: Mapping[str, str] = MappingProxyType({
    "empty": "Bir sayı yazın, örneğin 20.",
    "negative": "Sayı eksi olamaz; 0 ya da daha büyük bir sayı yazın.",
    "fraction": "Küsuratlı değil, tam sayı yazın, örneğin 20.",
    "huge": "Bu sayı çok büyük görünüyor; lütfen sayıyı kontrol edin.",
    "several": "Tek bir sayı yazın, örneğin 20.",
    "nonumber": "Yanıtta bir sayı bulamadım; rakamla yazın, örneğin 20.",
    "large": "{value} çok büyük görünüyor; lütfen sayıyı kontrol edin.",
})  # fmt: skip


def _split_number_word(token: str) -> list[str] | None:
    """'yirmibes' -> ['yirmi', 'bes']; None when the token is not made of number words."""
    if not token:
        return []
    for word in _WORDS_LONGEST_FIRST:
        if token.startswith(word):
            rest = _split_number_word(token[len(word) :])
            if rest is not None:
                return [word, *rest]
    return None


def _words_to_int(words: list[str]) -> int:
    total, current = 0, 0
    for word in words:
        value = NUMBER_WORDS[word]
        if value == 100:
            current = (current or 1) * 100
        elif value == 1000:
            total += (current or 1) * 1000
            current = 0
        else:
            current += value
    return total + current


def parse_count(text: str, *, maximum: int = MAX_COUNT) -> int:
    """A non-negative whole number written in digits or Turkish words.

    "20", "20+", "25 firma", "1.200", "yirmi beş", "bin", "yok" (0).
    """
    folded = fold(text or "")
    if not folded:
        raise ValidationProblem(COUNT_PROBLEMS["empty"])
    if re.match(r"^[-−–]\s*\d", folded):
        raise ValidationProblem(COUNT_PROBLEMS["negative"])
    groups = re.findall(r"\d[\d.,]*\d|\d", folded)
    if groups:
        values = set()
        for group in groups:
            if re.fullmatch(r"\d{1,3}([.,]\d{3})+", group):  # 1.200 = bin iki yüz
                group = re.sub(r"[.,]", "", group)
            elif not group.isdigit():
                raise ValidationProblem(COUNT_PROBLEMS["fraction"])
            if len(group) > 12:  # also keeps int() far from Python's 4300-digit limit
                raise ValidationProblem(COUNT_PROBLEMS["huge"])
            values.add(int(group))
        if len(values) > 1:
            raise ValidationProblem(COUNT_PROBLEMS["several"])
        value = values.pop()
    else:
        words: list[str] = []
        for token in re.findall(r"[a-z]+", folded):
            parts = _split_number_word(token)
            if parts:
                words.extend(parts)
        if words:
            value = _words_to_int(words)
        elif set(re.findall(r"[a-z]+", folded)) & ZERO_WORDS:
            value = 0
        else:
            raise ValidationProblem(COUNT_PROBLEMS["nonumber"])
    if value > maximum:
        raise ValidationProblem(COUNT_PROBLEMS["large"].format(value=value))
    return value


# --- phone and e-mail ----------------------------------------------------------------


def parse_phone(text: str) -> str:
    """A Turkish or international phone number in E.164 form, e.g. "+905321234567"."""
    import phonenumbers

    raw = (text or "").strip()
    if not re.search(r"\d", raw):
        raise ValidationProblem("Telefon numarasını rakamlarla yazın, örneğin 0532 123 45 67.")
    try:
        number = phonenumbers.parse(raw, "TR")
    except phonenumbers.NumberParseException as exc:
        raise ValidationProblem(
            "Telefon numarasını anlayamadım; örneğin 0532 123 45 67 biçiminde yazın."
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationProblem(
            "Bu geçerli bir telefon numarası görünmüyor; alan koduyla birlikte yazın, "
            "örneğin 0532 123 45 67."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Human form of a stored number: "0532 123 45 67" for Turkish numbers."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 90:
        national = str(number.national_number)
        if len(national) == 10:
            return f"0{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def parse_email(text: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    raw = (text or "").strip()
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationProblem(
            "Bu geçerli bir e-posta adresi görünmüyor; örneğin ad@firma.com.tr biçiminde yazın."
        ) from exc
