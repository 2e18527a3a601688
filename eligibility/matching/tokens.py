"""Word tokens of a message with their place in the original text, and the parts a message
with several needs is cut into.

Matching works on folded tokens ("İHRACATIMIZI" -> "ihracatimizi"), but evidence is shown
in the user's own spelling, so every token keeps the span of the original text it came from.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eligibility.text import fold

# A raw word: letters/digits plus what fold() removes or composes inside a word (combining
# marks of NFD input, zero-width characters, soft hyphen), so that "s\u0327" stays one word.
_RAW_WORD_RE = re.compile(r"[\w\u0300-\u036f\u00ad\u200b-\u200d\u2060\ufeff]+")
_WORD_RE = re.compile(r"[^\W_]+")
# Sentence and clause ends; a part of a message never crosses one.
_CLAUSE_END_RE = re.compile(r"[.!?;:\n]+|,\s|\s-\s")


@dataclass(frozen=True)
class Token:
    text: str  # folded (ASCII, lower case)
    start: int  # span in the original text
    end: int


def tokenize(text: str) -> list[Token]:
    """Folded word tokens with their spans in `text` (letters and digits only)."""
    out: list[Token] = []
    for m in _RAW_WORD_RE.finditer(text):
        folded = fold(m.group())
        for sub in _WORD_RE.findall(folded):
            # fold() may split a raw word ("e\u200bihracat"); every part keeps the whole span
            out.append(Token(sub, m.start(), m.end()))
    return out


def span_text(text: str, start: int, end: int) -> str:
    return text[start:end].strip()


def cover(tokens: Sequence[Token], positions: Iterable[int]) -> tuple[int, int] | None:
    """The span of the original text from the first to the last of the given tokens."""
    pos = sorted(positions)
    if not pos:
        return None
    return tokens[pos[0]].start, tokens[pos[-1]].end


def _connector_at(tokens: Sequence[Token], phrases: Sequence[tuple[str, ...]]) -> dict[int, int]:
    """Token position → length of the connector phrase that begins there (longest first)."""
    words = [t.text for t in tokens]
    found: dict[int, int] = {}
    for i in range(len(words)):
        for ph in phrases:
            if tuple(words[i : i + len(ph)]) == ph:
                found[i] = len(ph)
                break
    return found


def parts(
    text: str, tokens: Sequence[Token], connectors: Sequence[tuple[str, ...]], min_words: int = 2
) -> list[tuple[int, int]]:
    """Token ranges [i, j) of the parts of a message: cut at clause punctuation and at
    connectors ("ve", "ayrıca", "bir de"); a part shorter than min_words joins the next."""
    if not tokens:
        return []
    cuts = {0, len(tokens)}
    for m in _CLAUSE_END_RE.finditer(text):
        for i, t in enumerate(tokens):
            if t.start >= m.end():
                cuts.add(i)
                break
    connector_at = _connector_at(tokens, sorted(connectors, key=len, reverse=True))
    cuts.update(connector_at)
    bounds = sorted(cuts)
    ranges: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        a += connector_at.get(a, 0)  # the connector itself belongs to no part
        if a < b:
            ranges.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in ranges:
        if merged and (merged[-1][1] - merged[-1][0] < min_words):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if len(merged) > 1 and merged[-1][1] - merged[-1][0] < min_words:
        last = merged.pop()
        merged[-1] = (merged[-1][0], last[1])
    return merged
