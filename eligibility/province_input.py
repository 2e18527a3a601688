"""A province from what people type (`find_province`): a plate code, a name or alias, a
district, one province named among the words, a unique part of a name, or a near-miss
spelling, suggested rather than guessed. The constants are public: the site's centre finder
reads typed text with them (eligibility/tool_data.py, kume-province.js)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

from eligibility.models import Province, Provinces
from eligibility.parsing import ValidationProblem, provinces_of
from eligibility.text import fold


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
    for prov in provinces_of(provinces):
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

    items = provinces_of(provinces)
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
