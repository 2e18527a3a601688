"""Fusion of the keyword and meaning stages: which entries a message is about, in which
order, and which words of the message led to each.

A message is cut into parts (clauses, and at connectors such as "ve", "ayrıca", "bir de");
the whole message and each part are embedded. A part is *on topic* when its best entry is
nearer than every off-topic example by a margin. An entry is a candidate when the keyword
stage found it (and the message is not a private person's matter the meaning stage rejects)
or when it is the best entry, or nearly, of an on-topic part. Candidates are ranked by a
blend of keyword score and meaning similarity; the best entry of every part comes before
the runners-up, so that a message with several needs gets each of them near the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from eligibility.matching.lexical import MAX_CHARS, Index, LexHit
from eligibility.matching.semantic import SeedIndex
from eligibility.matching.tokens import Token, cover, parts, tokenize
from eligibility.text import fold

MAX_PARTS = 8  # bounds the embedding cost of a long message
STRONG = 95.0  # keyword score of a near-exact phrase ("elektrik faturası yüksek")


@dataclass(frozen=True)
class Params:
    margin: float = 0.02  # a part is on topic when best entry - best off-topic > margin
    floor: float = 0.86  # ... and its best entry similarity is at least this
    near: float = 0.0  # runners-up of a part within this of its best are candidates
    veto: float = -0.02  # a keyword hit is dropped when the whole message is this far off
    veto_strong: float = -0.06  # ... and a near-exact keyword hit (>= STRONG) only this far
    personal_margin: float = 0.02  # with a personal word, the meaning stage must agree
    w_lex: float = 0.5
    w_sem: float = 0.5
    sem_lo: float = 0.85  # similarity mapped to 0 ...
    sem_hi: float = 0.95  # ... and to 1


@dataclass(frozen=True)
class Ranked:
    key: int
    score: float  # 0-100
    evidence: str  # the user's own words that led to it (a substring of the input)


def _norm(s: float, p: Params) -> float:
    return min(1.0, max(0.0, (s - p.sem_lo) / (p.sem_hi - p.sem_lo)))


class Ranker:
    def __init__(
        self,
        index: Index,
        seeds: SeedIndex | None,
        connectors: Sequence[str],
        personal_words: Sequence[str],
        params: Params,
    ) -> None:
        self.index = index
        self.seeds = seeds
        self.params = params
        self.connectors = sorted(
            {tuple(fold(c).split()) for c in connectors if c.strip()}, key=len, reverse=True
        )
        self.personal = [tuple(fold(w).split()) for w in personal_words if w.strip()]

    def _has_personal(self, tokens: Sequence[Token]) -> bool:
        words = [t.text for t in tokens]
        for ph in self.personal:
            n = len(ph)
            if any(tuple(words[i : i + n]) == ph for i in range(len(words) - n + 1)):
                return True
        return False

    def rank(self, text: str, limit: int) -> list[Ranked]:
        text = text[:MAX_CHARS]
        tokens = tokenize(text)
        if not tokens or limit <= 0:
            return []
        lex = self.index.score(tokens)
        if self.seeds is None:
            return self._lexical_only(text, tokens, lex, limit)
        return self._fused(text, tokens, lex, limit)

    def _lexical_only(
        self, text: str, tokens: Sequence[Token], lex: dict[int, LexHit], limit: int
    ) -> list[Ranked]:
        order = sorted(lex.items(), key=lambda kv: (-kv[1].score, kv[0]))
        firsts: list[tuple[int, LexHit]] = []
        rest: list[tuple[int, LexHit]] = []
        seen: list[frozenset[int]] = []
        for key, hit in order:
            if any(hit.covered & s for s in seen):
                rest.append((key, hit))
            else:
                seen.append(hit.covered)
                firsts.append((key, hit))
        return [
            Ranked(k, round(min(100.0, h.score), 1), self._lex_evidence(text, tokens, h))
            for k, h in (firsts + rest)[:limit]
        ]

    @staticmethod
    def _part_of(ranges: Sequence[tuple[int, int]], pos: int) -> int:
        for i, (a, b) in enumerate(ranges):
            if a <= pos < b:
                return i
        return len(ranges) - 1 if ranges and pos >= ranges[-1][1] else 0

    @staticmethod
    def _lex_evidence(text: str, tokens: Sequence[Token], hit: LexHit) -> str:
        span = cover(tokens, hit.best)
        return text[span[0] : span[1]] if span else text.strip()

    def _fused(
        self, text: str, tokens: Sequence[Token], lex: dict[int, LexHit], limit: int
    ) -> list[Ranked]:
        assert self.seeds is not None
        p = self.params
        ranges = parts(text, tokens, self.connectors)[:MAX_PARTS]
        spans = [(tokens[a].start, tokens[b - 1].end) for a, b in ranges]
        whole = (tokens[0].start, tokens[-1].end)
        if len(spans) != 1:
            spans = [whole, *spans]
        texts = [text[a:b] for a, b in spans]
        best, off = self.seeds.similarities(texts)
        margins = best.max(axis=1) - off
        whole_margin = float(margins[0])
        personal = self._has_personal(tokens)

        scores: dict[int, float] = {}
        evidence: dict[int, tuple[float, str]] = {}
        sem_parts: dict[int, list[int]] = {}  # key → parts (span index) it is best for

        strong = any(h.score >= STRONG for h in lex.values())
        keep_lex = bool(lex) and whole_margin > (p.veto_strong if strong else p.veto)
        if personal and whole_margin <= p.personal_margin:
            keep_lex = False
        for key, hit in lex.items() if keep_lex else ():
            s = float(best[:, key].max())
            scores[key] = p.w_lex * min(hit.score, 120.0) / 100.0 + p.w_sem * _norm(s, p)
            evidence[key] = (2.0, self._lex_evidence(text, tokens, hit))

        for i, (a, b) in enumerate(spans):
            row = best[i]
            top = float(row.max())
            if margins[i] <= p.margin or top < p.floor:
                continue
            if personal and margins[i] <= p.personal_margin:
                continue
            for key in np.flatnonzero(row >= top - p.near).tolist():
                s = float(row[key])
                lex_hit = lex.get(key) if keep_lex else None
                lex_part = p.w_lex * min(lex_hit.score, 120.0) / 100.0 if lex_hit else 0.0
                combined = lex_part + p.w_sem * _norm(s, p)
                scores[key] = max(scores.get(key, 0.0), combined)
                # evidence: the shortest on-topic part that found it (not the whole message
                # when a part did), unless the keyword stage gave a span
                rank_ = 1.0 if i > 0 or len(spans) == 1 else 0.0
                if evidence.get(key, (-1.0, ""))[0] < rank_:
                    evidence[key] = (rank_, text[a:b].strip())
                if i > 0 or len(spans) == 1:
                    sem_parts.setdefault(key, []).append(i)

        if not scores:
            return []
        order = sorted(scores, key=lambda k: (-scores[k], k))
        # The best entry of each part before the runners-up, so that a message with several
        # needs gets each of them near the top; within a part, the blended score decides.
        part_best: dict[int, int] = {}
        for key in order:
            hit = lex.get(key)
            where = [self._part_of(ranges, min(hit.best))] if keep_lex and hit else []
            where += [i - (len(spans) != 1) for i in sem_parts.get(key, ())]
            for i in where:
                part_best.setdefault(i, key)
        lead = [order[0], *sorted(set(part_best.values()), key=lambda k: -scores[k])]
        lead = list(dict.fromkeys(lead))
        ranked = lead + [k for k in order if k not in lead]
        top_score = 100.0
        return [
            Ranked(k, round(min(top_score, 100.0 * scores[k]), 1), evidence[k][1])
            for k in ranked[:limit]
        ]
