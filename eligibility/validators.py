"""Parsers for what people type: counts, phone numbers, e-mail, provinces.

Each parser returns a canonical value or raises `ValidationProblem` with a Turkish message
that can be shown to the user as is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from eligibility.models import Province, Provinces
from eligibility.text import fold


class ValidationProblem(Exception):
    """The input cannot be used; `message` is Turkish and safe to show to the user."""

    def __init__(
        self,
        message: str,
        suggestion: str | None = None,
        choices: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        # What the user probably meant, as (label, answer the parser accepts), best first;
        # the engine offers them and takes "evet" for the first (eligibility/questionnaire.py).
        self.choices = list(choices or ([(suggestion, suggestion)] if suggestion else []))
        self.suggestion = suggestion or (self.choices[0][1] if self.choices else None)

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Every close candidate the message names, best first (the site's tools show them)."""
        return tuple(answer for _, answer in self.choices)


# --- content parts -------------------------------------------------------------------


def load_part(name: str, model: type[BaseModel], directory: Path | str | None = None) -> Any:
    """Load and validate one content file (e.g. provinces.yaml) without the whole content/.

    Lets the validators work while unrelated files are being edited; errors name the file
    and the field like `eligibility.content.load_content`.
    """
    from eligibility.content import content_dir

    root = Path(directory) if directory else content_dir()
    return _load_part_cached(str(root / f"{name}.yaml"), model)


@functools.cache
def _load_part_cached(path: str, model: type[BaseModel]) -> Any:
    from eligibility.content import _read_yaml, _validate

    return _validate(model, _read_yaml(Path(path)), Path(path))


def _provinces(provinces: Provinces | list[Province] | None) -> list[Province]:
    if provinces is None:
        table: Provinces = load_part("provinces", Provinces)
        return table.provinces
    if isinstance(provinces, Provinces):
        return provinces.provinces
    return list(provinces)


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


# --- provinces -----------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def province_key(text: str) -> str:
    """Letters only: "K.Maraş" -> "kmaras", "Şanlıurfa" -> "sanliurfa".

    Cached: find_province keys all 81 names and their aliases on every call (about a
    hundred folds per typed province otherwise)."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


# Public, like the thresholds below: the site's centre finder (eligibility/tool_data.py)
# reads what people type exactly as find_province does.
PROVINCE_NOISE_WORDS = ("ili", "il", "merkez", "merkezi", "sehri", "sehir", "province")
_PROVINCE_NOISE = re.compile(r"\b(" + "|".join(PROVINCE_NOISE_WORDS) + r")\b")
# Fuzzy matching (rapidfuzz's fuzz.ratio, 0–100): a name is taken when it scores at least
# `accept` and leads the next province by `margin`; candidates from `suggest` up are offered
# ("Bunu mu demek istediniz?"), at most `suggestions` of them. A query of `partial` letters
# or more that is part of exactly one province's name or alias ("Antep") is that province.
PROVINCE_MATCH: Mapping[str, int] = MappingProxyType(
    {
        "partial": 4,
        "limit": 8,
        "accept": 85,
        "margin": 8,
        "suggest": 60,
        "suggestions": 3,
        # a near-miss of a district ("Gebez") suggests its province: the best few districts
        # scoring at least this much, one point under a province's own name
        "district_limit": 4,
        "district_near": 80,
    }
)
PROVINCE_PROBLEMS: Mapping[str, str] = MappingProxyType({
    "empty": "Bir il adı yazın, örneğin Samsun.",
    "plate": "Plaka kodu 1 ile 81 arasında olmalı; il adını da yazabilirsiniz.",
    "suggest": "Bunu mu demek istediniz: {names}?",
    "or": " ya da ",
    "unknown": "Bu ili bulamadım; il adını yazın, örneğin Kahramanmaraş.",
})  # fmt: skip


def province_keys(provinces: Provinces | list[Province] | None = None) -> dict[str, Province]:
    """Every name and alias as a key (province_key), in order; the first province wins."""
    keys: dict[str, Province] = {}
    for prov in _provinces(provinces):
        for name in (prov.name, *prov.aliases):
            keys.setdefault(province_key(name), prov)
    return keys


def province_query(text: str) -> str:
    """What find_province compares: folded, without "ili"/"merkez" and case suffixes."""
    folded = _PROVINCE_NOISE.sub(" ", fold(text or ""))
    # Drop a Turkish case suffix written with an apostrophe: "Samsun'da" -> "samsun".
    folded = re.sub(r"['’`][a-z]*", "", folded)
    return province_key(folded)


def _province_words(text: str) -> list[str]:
    """The words of the typed text, folded, noise words and case suffixes dropped."""
    folded = re.sub(r"['’`][a-z]*", "", _PROVINCE_NOISE.sub(" ", fold(text or "")))
    return re.findall(r"[a-z]{3,}", folded)


def find_province(text: str, provinces: Provinces | list[Province] | None = None) -> Province:
    """One of the 81 provinces from a name, alias, plate number or a near-miss spelling."""
    from rapidfuzz import fuzz, process

    items = _provinces(provinces)
    query = province_query(text)
    if not query:
        raise ValidationProblem(PROVINCE_PROBLEMS["empty"])
    if query.isdigit():
        plate = int(query) if len(query) <= 3 else 0
        for prov in items:
            if prov.plate == plate:
                return prov
        raise ValidationProblem(PROVINCE_PROBLEMS["plate"])

    keys = province_keys(items)
    if query in keys:
        return keys[query]
    by_name = {prov.name: prov for prov in items}
    district = _district_provinces(query, by_name)
    if len(district) == 1:  # "Gebze" is in Kocaeli
        return district[0]
    if district:  # "Yenişehir": Bursa, Mersin or Diyarbakır
        options = [p.name for p in district]
        raise ValidationProblem(
            PROVINCE_PROBLEMS["suggest"].format(names=PROVINCE_PROBLEMS["or"].join(options)),
            choices=[(n, n) for n in options],
        )
    named = {  # "Gebze, Kocaeli" / "Tuzla İstanbul": one province among the words
        keys[word].plate: keys[word] for word in _province_words(text) if word in keys
    }
    if len(named) == 1:
        return next(iter(named.values()))
    if len(query) >= PROVINCE_MATCH["partial"]:  # "Afyon", "Antep", "Urfa": part of a name
        partial = {prov.plate: prov for key, prov in keys.items() if query in key}
        if len(partial) == 1:
            return next(iter(partial.values()))

    ranked = process.extract(query, list(keys), scorer=fuzz.ratio, limit=PROVINCE_MATCH["limit"])
    best: dict[int, tuple[float, Province]] = {}
    for key, score, _ in ranked:
        prov = keys[key]
        if prov.plate not in best or best[prov.plate][0] < score:
            best[prov.plate] = (score, prov)
    # a near-miss of a district ("Gebez") suggests its province, never answers it
    near_limit, near_score = PROVINCE_MATCH["district_limit"], PROVINCE_MATCH["district_near"]
    districts = _districts()
    for key, score, _ in process.extract(
        query, list(districts), scorer=fuzz.ratio, limit=near_limit
    ):
        for province_name in districts[key]:
            near = by_name.get(province_name)
            if near is None or score < near_score:
                continue
            if best.get(near.plate, (0.0,))[0] < score - 1:
                best[near.plate] = (score - 1, near)  # a province's own name wins a tie
    candidates = sorted(best.values(), key=lambda item: -item[0])
    if candidates:
        top_score, top = candidates[0]
        runner = candidates[1][0] if len(candidates) > 1 else 0.0
        accept, margin, suggest = (PROVINCE_MATCH[k] for k in ("accept", "margin", "suggest"))
        if top_score >= accept and top_score - runner >= margin:
            return top
        if top_score >= suggest:
            close = [p.name for s, p in candidates if s >= suggest and top_score - s < margin]
            close = close[: PROVINCE_MATCH["suggestions"]]
            names = PROVINCE_PROBLEMS["or"].join(close)
            raise ValidationProblem(
                PROVINCE_PROBLEMS["suggest"].format(names=names), choices=[(n, n) for n in close]
            )
    raise ValidationProblem(PROVINCE_PROBLEMS["unknown"])


def _districts() -> dict[str, tuple[str, ...]]:
    from eligibility.districts import district_table

    return district_table()


def _district_provinces(query: str, by_name: dict[str, Province]) -> list[Province]:
    return [by_name[name] for name in _districts().get(query, ()) if name in by_name]
