"""NACE Rev. 2 divisions (content/nace.yaml) and the mapping of a firm's own words to one.

`match_sector("mobilya yapıyoruz")` scores every division by its search words (Turkish-folded;
a word matches a typed word that starts with it, so "mobilyacıyız" finds "mobilya"; a phrase
matches when all its words are there). One clear winner is certain; a tie, or a near-miss
spelling found only fuzzily (rapidfuzz), gives candidates for the user to confirm. A typed
code ("31", "NACE 31", "31.09") is taken as that division when it exists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from eligibility.text import fold, tokens

CERTAIN = 10.0  # a search word matched as typed (fuzzy matches score below this)
MARGIN = 3.0  # how far the best division must lead the next one to be certain
FUZZY_SCORE = 85  # rapidfuzz ratio from which a typed word is a near-miss of a search word
MAX_CANDIDATES = 3


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NaceSource(_Strict):
    title: str
    publisher: str
    url: str
    retrieved: dt.date


class Section(_Strict):
    code: str = Field(pattern=r"^[A-U]$")
    name: str


class Division(_Strict):
    code: str = Field(pattern=r"^\d{2}$")
    section: str
    name: str
    words: list[str] = Field(min_length=1)


class NaceMessages(_Strict):
    unknown: str
    unsure: str  # {options}


class Nace(_Strict):
    source: NaceSource
    sections: list[Section]
    divisions: list[Division]
    messages: NaceMessages

    def division(self, code: str) -> Division | None:
        return next((d for d in self.divisions if d.code == code), None)


def load_nace(directory: Path | str | None = None) -> Nace:
    from eligibility.content import ContentError, _read_yaml, _validate, content_dir

    root = Path(directory) if directory else content_dir()
    file = root / "nace.yaml"
    nace: Nace = _validate(Nace, _read_yaml(file), file)
    sections = {s.code for s in nace.sections}
    codes = [d.code for d in nace.divisions]
    if len(set(codes)) != len(codes):
        raise ContentError(f"{file}: divisions: bir bölüm kodu iki kez var")
    for d in nace.divisions:
        if d.section not in sections or not 1 <= int(d.code) <= 99:
            raise ContentError(f"{file}: divisions: {d.code}: bölüm ya da kod geçersiz")
    return nace


@functools.cache
def _cached(root: str) -> Nace:
    return load_nace(root)


def get_nace() -> Nace:
    from eligibility.content import content_dir

    return _cached(str(content_dir()))


def division_name(code: str | None) -> str:
    found = get_nace().division(str(code)) if code else None
    return found.name if found else ""


@dataclasses.dataclass(frozen=True)
class SectorMatch:
    code: str | None  # the division when certain
    candidates: tuple[str, ...]  # divisions to offer when not certain, best first


@functools.cache
def _index() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """(division code, folded search words as token tuples), once per process."""
    return tuple(
        (d.code, tuple(tuple(tokens(w)) for w in d.words if tokens(w)))
        for d in get_nace().divisions
    )


def _same_word(typed: str, word: str) -> bool:
    """A typed word is a search word, or the search word with a Turkish suffix."""
    return typed == word or (len(word) >= 4 and typed.startswith(word))


_CODE = re.compile(r"(?:nace\s*)?(?:[a-u]\s*)?(\d{1,2})(?:[.,]\d+)*")


def match_sector(text: str) -> SectorMatch:
    from rapidfuzz import fuzz

    folded = fold(text or "")
    code = _CODE.fullmatch(folded)
    if code:
        number = code.group(1).zfill(2)
        found = get_nace().division(number)
        return SectorMatch(found.code if found else None, ())
    typed = tokens(text or "")
    scores: dict[str, float] = {}
    for division, words in _index():
        best = 0.0
        for word in words:
            if all(any(_same_word(t, w) for t in typed) for w in word):
                best = max(best, CERTAIN + sum(map(len, word)))
            elif len(word) == 1 and len(word[0]) >= 5:
                if any(fuzz.ratio(t, word[0]) >= FUZZY_SCORE for t in typed if len(t) >= 4):
                    best = max(best, CERTAIN / 2)
        if best:
            scores[division] = best
    ranked = sorted(scores, key=lambda c: (-scores[c], c))
    if not ranked:
        return SectorMatch(None, ())
    top = scores[ranked[0]]
    runner = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if top >= CERTAIN and top - runner >= MARGIN:
        return SectorMatch(ranked[0], ())
    close = [c for c in ranked if scores[c] >= top - MARGIN][:MAX_CANDIDATES]
    return SectorMatch(None, tuple(close))
