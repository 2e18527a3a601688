"""A shared location (Telegram's "share my location") as a province, offline: the province
whose centre (content/provinces.yaml coordinates) is nearest. Centres are not boundaries,
so near a border the guess can be the neighbour: front ends always ask "Samsun mu?".

A point far from every province centre, or outside Türkiye's bounding box, is no province.
"""

from __future__ import annotations

from dataclasses import dataclass

from eligibility.models import Content, Province, Provinces
from eligibility.routing import great_circle_km
from eligibility.text import lower_tr
from eligibility.validators import load_part

# Türkiye lies within these (with a margin for its coasts); outside them no guess is made.
LAT_RANGE = (35.7, 42.2)
LON_RANGE = (25.5, 45.0)
# Farther than this from every province centre is not in Türkiye (the largest provinces
# reach about 130 km from their centre).
MAX_DISTANCE_KM = 150.0


@dataclass(frozen=True)
class Located:
    province: Province
    distance_km: float


def _provinces(content: Content | None) -> list[Province]:
    if content is not None:
        return content.provinces.provinces
    provinces: Provinces = load_part("provinces", Provinces)
    return provinces.provinces


def province_at(lat: float, lon: float, content: Content | None = None) -> Located | None:
    """The province nearest to a point, or None when the point is not in Türkiye."""
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return None
    here = Province(plate=1, name="-", lat=lat, lon=lon)
    distance, province = min(
        ((great_circle_km(here, p), p) for p in _provinces(content)), key=lambda dp: dp[0]
    )
    if distance > MAX_DISTANCE_KM:
        return None
    return Located(province, distance)


_BACK_VOWELS = {"a": "mı", "ı": "mı", "o": "mu", "u": "mu"}
_FRONT_VOWELS = {"e": "mi", "i": "mi", "ö": "mü", "ü": "mü"}


def question_particle(word: str) -> str:
    """The Turkish question particle after a word, by its last vowel: "Samsun mu?",
    "Ankara mı?", "İzmir mi?", "Düzce mi?", "Gümüşhane mi?", "Tokat mı?"."""
    for ch in reversed(lower_tr(word)):
        found = _BACK_VOWELS.get(ch) or _FRONT_VOWELS.get(ch)
        if found:
            return found
    return "mi"


def ask_province(name: str) -> str:
    """ "Samsun mu?" """
    return f"{name} {question_particle(name)}?"
