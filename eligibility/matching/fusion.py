"""Fusion of the keyword and meaning stages: which entries a message is about, in which
order, and which words of the message led to each.

A message is cut into parts (clauses, and at connectors such as "ve", "ayrıca", "bir de").
The meaning stage reads one text: the message from its start, up to a token budget (the
model costs about 1 ms a token; one text per message, the same for match_faq and
match_needs); it is skipped when the keyword stage has a near-exact hit. The text is *on
topic* when the meaning stage puts it nearer the entries than off-topic talk by a margin
(with the classifier: P(some entry) - P(off-topic)). An entry is a
candidate when the keyword stage found it and the off-topic gate (gate.py) lets its hits
stand, or when it is the best entry, or nearly, of an on-topic text. Candidates are ranked
by a blend of keyword score and meaning similarity; the best entry of every part comes
before the runners-up, so that a message with several needs gets each of them near the top.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from eligibility.matching.gate import GateParams, keyword_hits_stand
from eligibility.matching.lexical import MAX_CHARS, Index, LexHit
from eligibility.matching.semantic import MeaningIndex
from eligibility.matching.signals import MessageWords, Signals
from eligibility.matching.tokens import Token, cover, parts, tokenize
from eligibility.text import fold

_PIECE_RE = re.compile(r"\S+")
MAX_PARTS = 8  # parts of a long message that lead the order; the rest follow by score
STRONG = 95.0  # keyword score of a near-exact phrase ("elektrik faturası yüksek")


@dataclass(frozen=True)
class Params:
    margin: float = 0.02  # the text is on topic when best entry - best off-topic > margin
    floor: float = 0.86  # ... and its best entry similarity is at least this
    near: float = 0.0  # runners-up of a part within this of its best are candidates
    gate: GateParams = field(default_factory=GateParams)  # do keyword hits stand?
    w_lex: float = 0.5
    w_sem: float = 0.5
    sem_lo: float = 0.85  # similarity mapped to 0 ...
    sem_hi: float = 0.95  # ... and to 1
    part_words: int = 8  # a longer part counts as pieces of this many words
    confident: float = STRONG  # a keyword score at which the model is not called at all
    budget: int = 16  # model tokens the meaning stage may read per message (~1 ms each)
    off_bias: float = 0.0  # added to the nearest off-topic example's similarity ...
    others_bias: float = 0.0  # ... and to the nearest other negative's (SeedIndex)
    beyond: bool = True  # keyword hits beyond the text the meaning stage read escape its veto
    question_margin: float | None = None  # the on-topic margin of a question, if set (FAQ)
    question_others_bias: float | None = None  # others_bias for a question, if set (FAQ)
    extra_parts: int = 0  # parts beyond the first text without a keyword hit, read too
    extra_budget: int = 10  # model tokens each of them may take


@dataclass(frozen=True)
class Ranked:
    key: int
    score: float  # 0-100
    evidence: str  # the user's own words that led to it (a substring of the input)


def _chunked(ranges: Sequence[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Long parts cut into pieces of at most `size` words (each piece leads with its best)."""
    out: list[tuple[int, int]] = []
    for a, b in ranges:
        n = max(1, -(-(b - a) // size))  # pieces of equal length
        step = -(-(b - a) // n)
        out += [(i, min(b, i + step)) for i in range(a, b, step)]
    return out


def _one_clause(s: str) -> bool:
    """No sentence end inside (a part may have absorbed a one-word "Merhaba.")."""
    return not any(ch in s for ch in ".!?;:\n")


def _norm(s: float, p: Params) -> float:
    return min(1.0, max(0.0, (s - p.sem_lo) / (p.sem_hi - p.sem_lo)))


class Ranker:
    def __init__(
        self,
        index: Index,
        seeds: MeaningIndex | None,
        connectors: Sequence[str],
        words: MessageWords,
        params: Params,
    ) -> None:
        self.index = index
        self.signals = Signals(words)
        self.seeds = seeds
        self.params = params
        self.connectors = sorted(
            {tuple(fold(c).split()) for c in connectors if c.strip()}, key=len, reverse=True
        )

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

    def _extra_spans(
        self,
        text: str,
        tokens: Sequence[Token],
        ranges: Sequence[tuple[int, int]],
        lex: dict[int, LexHit],
        last: int,
    ) -> list[tuple[int, tuple[int, int]]]:
        """Parts after the text the meaning stage read in which no keyword hit lies: a
        need said there in other words ("..., bir de malları taşıyacak ortak kamyonlar")
        would otherwise be lost. Each is read from its start, up to extra_budget tokens."""
        assert self.seeds is not None
        p = self.params
        hit_at = {i for h in lex.values() for i in h.covered}
        pieces = self.seeds.encoder.chunk_tokens
        out: list[tuple[int, tuple[int, int]]] = []
        for j, (a, b) in enumerate(ranges):
            if len(out) >= p.extra_parts:
                break
            if a < last or b - a < 2 or any(a <= i < b for i in hit_at):
                continue
            used, end = 0, tokens[a].end
            for i, m in enumerate(_PIECE_RE.finditer(text, tokens[a].start, tokens[b - 1].end)):
                used += pieces(m.group(), i == 0)
                if used > p.extra_budget:
                    break
                end = max(end, m.end())
            out.append((j, (tokens[a].start, end)))
        return out

    def _meaning_span(self, text: str, tokens: Sequence[Token]) -> tuple[int, int]:
        """The token range the meaning stage reads: the message from its start, as far as
        the token budget goes (the model's cost grows with every token it reads, about 1 ms
        each). One text per message, chosen from the text alone, so that match_faq and
        match_needs on the same message share one embedding through the encoder's LRU.
        Measured on the dev sets against embedding each part separately within the same
        budget: better on every figure (needs beyond the budget come from keywords)."""
        assert self.seeds is not None
        pieces = self.seeds.encoder.chunk_tokens
        # "Merhaba, ..." says nothing of the need: the budget is for what follows
        first = self.signals.greeting_length(tokens)
        used, end = 0, tokens[first].end
        for i, m in enumerate(_PIECE_RE.finditer(text, tokens[first].start)):
            used += pieces(m.group(), i == 0)
            if used > self.params.budget:
                break
            end = max(end, m.end())
        last = first + 1
        while last < len(tokens) and tokens[last].end <= end:
            last += 1
        return first, last

    def _fused(
        self, text: str, tokens: Sequence[Token], lex: dict[int, LexHit], limit: int
    ) -> list[Ranked]:
        assert self.seeds is not None
        p = self.params
        ranges = _chunked(parts(text, tokens, self.connectors), p.part_words)[:MAX_PARTS]
        personal = self.signals.personal(tokens)
        weak = {k for k, h in lex.items() if self.signals.weak.only(tokens, h.covered)}
        # every keyword hit rests on one word of a longer message ("kitap fuarı ne zaman",
        # "enerji içeceği"): the meaning stage must lean to a need (gate.py)
        # ("Merhaba, ihracat" and words in other scripts do not make it longer)
        hit_words = frozenset().union(*(h.covered for k, h in lex.items() if k not in weak))
        first, last = self._meaning_span(text, tokens)
        readable = sum(1 for t in tokens[first:] if t.text.isascii())
        lone = len(hit_words) == 1 and readable > 1
        embedded = [self._part_of(ranges, first)]
        spans = [(tokens[first].start, tokens[last - 1].end)]
        sure = any(h.score >= p.confident for k, h in lex.items() if k not in weak)
        if sure and not personal and not lone:
            embedded, spans = [], []  # the keywords are sure: no model call
        elif p.extra_parts and not personal:
            for j, span in self._extra_spans(text, tokens, ranges, lex, last):
                embedded.append(j)
                spans.append(span)
        best, off, others = self.seeds.similarities([text[a:b] for a, b in spans])
        asked = self.signals.question(text, tokens)
        others_bias = p.others_bias
        if asked and p.question_others_bias is not None:
            # a question near a need's seed ("ortak atölye kurmak destekleniyor mu")
            # is still more likely asked of the programme than stated as a need
            others_bias = p.question_others_bias
        off = np.maximum(off + p.off_bias, others + others_bias)
        margins = best.max(axis=1) - off if len(spans) else np.zeros(0, dtype=np.float32)
        # With no part embedded the keyword stage decides alone.
        # (the first text speaks for the message; the extra parts only add candidates)
        msg_margin = float(margins[0]) if len(spans) else 1.0

        scores: dict[int, float] = {}
        evidence: dict[int, tuple[float, str]] = {}
        sem_parts: dict[int, list[int]] = {}  # key → parts it is the best entry of

        one_word = len(tokens) == 1
        # hits that rest on weak words only ("testi", "kursu") need the meaning stage to
        # agree on the part they are in ("kombim arızalı, servis lazım"); in a part it did
        # not read they do not count ("bir yol haritası" is no road)
        part_margin = dict(zip(embedded, margins.tolist(), strict=True))
        lex = {
            k: h
            for k, h in lex.items()
            if k not in weak
            or part_margin.get(self._part_of(ranges, min(h.best)), -1.0) > p.gate.weak_margin
        }
        stand = bool(lex) and keyword_hits_stand(
            p.gate,
            msg_margin,
            strong=any(h.score >= STRONG for k, h in lex.items() if k not in weak),
            personal=personal,
            lone=lone,
            question=asked,
        )
        # The margin speaks for the text the meaning stage read: a hit further on in a long
        # message ("Merhaba, Kayseri'de mobilya üreticileriyiz. ... ortak depo") is not
        # vetoed by it, unless the whole message is a private person's or rests on one word
        beyond = p.beyond and not personal and not lone and bool(spans)
        lex = {k: h for k, h in lex.items() if stand or (beyond and min(h.best) >= last)}
        for key, hit in lex.items():
            sem = _norm(float(best[:, key].max()), p) if len(spans) else 0.5
            scores[key] = p.w_lex * min(hit.score, 120.0) / 100.0 + p.w_sem * sem
            evidence[key] = (2.0, self._lex_evidence(text, tokens, hit))

        bar = p.question_margin if asked and p.question_margin is not None else p.margin
        for j, (a, b) in enumerate(spans):
            row = best[j]
            top = float(row.max())
            if one_word or margins[j] <= bar or top < p.floor:
                continue  # a single word is a need only through its keywords
            if personal and margins[j] <= p.gate.personal_margin:
                continue
            for key in np.flatnonzero(row >= top - p.near).tolist():
                kw = lex.get(key)
                lex_part = p.w_lex * min(kw.score, 120.0) / 100.0 if kw else 0.0
                scores[key] = max(
                    scores.get(key, 0.0), lex_part + p.w_sem * _norm(float(row[key]), p)
                )
                if key not in evidence:  # a keyword span is the sharper evidence ...
                    evidence[key] = (1.0, text[a:b].strip())
                elif kw and " " not in evidence[key][1] and _one_clause(text[a:b]):
                    # ... unless it is one word ("Ankara'ya") of the clause that says it
                    if a <= tokens[min(kw.best)].start < b:
                        evidence[key] = (1.0, text[a:b].strip())
                sem_parts.setdefault(key, []).append(embedded[j])

        if not scores:
            return []
        order = sorted(scores, key=lambda k: (-scores[k], k))
        # The best entry of each part before the runners-up, so that a message with several
        # needs gets each of them near the top; within a part, the blended score decides.
        part_best: dict[int, int] = {}
        for key in order:
            lhit = lex.get(key)
            where = [self._part_of(ranges, min(lhit.best))] if lhit else []
            where += sem_parts.get(key, [])
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
