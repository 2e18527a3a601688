"""Keyword stage: the message's folded tokens against each entry's phrases (catalogue
keywords and title, FAQ question and keywords, lexicon synonyms).

A query token meets an indexed token when they are equal, when the query token extends it
with a Turkish suffix ("ihracatımızı" → "ihracat"), when the two differ only in a short
suffix ("fiyatları" / "fiyatı"), when it is another form of an indexed verb ("bulamıyoruz"
/ "bulmak"), or when the two are one typo apart (not for the lexicon's no_typo words:
"ulaşamıyoruz" is one letter from "ulaşım" but means "we cannot reach").

A phrase scores the share of its tokens, weighted by rarity (IDF), that the query covers.
An entry counts only if one of its phrases reaches MIN_SCORE; its score then blends the
best phrase score with the share of the query it explains.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from eligibility.matching.tokens import Token
from eligibility.text import fold

MIN_SCORE = 75.0
MAX_CHARS = 2000  # longer messages are cut: needs are stated early, and it bounds the cost
MAX_TOKENS = 200
_EXTRA_PHRASE_BONUS = 2.0  # each further matched phrase adds a little confidence
_COVERAGE_SHARE = 0.4  # weight of "how much of the query this entry explains"

# Function words and chat filler carry no need; dropped from indexed phrases unless the
# phrase would be left with a single word.
STOPWORDS = frozenset(
    """
    ve veya ile icin bir bu su o da de ki mi mu ne nasil neden nedir midir kim kimler
    hangi gibi cok daha en ama fakat ancak olarak olan olmak icinde uzere vb vs yani
    ben biz siz onlar bizim sizin benim var yok lazim gerek istiyoruz istiyorum ayrica
    """.split()
)

_WORD_RE = re.compile(r"[^\W_]+")


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    words = _WORD_RE.findall(fold(phrase))
    kept = tuple(t for t in words if t not in STOPWORDS)
    # "kredi mi", "markamız yok": the function word is what makes the phrase specific
    return kept if len(kept) >= 2 or len(words) == 1 else tuple(words)


def _phrase_variants(phrase: str) -> list[tuple[str, ...]]:
    """ "ar-ge" is also typed "arge": index the hyphen-joined form as well."""
    out = [_phrase_tokens(phrase)]
    if "-" in phrase:
        out.append(_phrase_tokens(re.sub(r"\s*-\s*", "", phrase)))
    return [v for v in out if v]


# Turkish stems ending in p, t, k soften before a vowel ("kitap" -> "kitabı", "dernek" ->
# "derneğin", folded "dernegin"); ç -> c is folded away already
_SOFTENED = {"k": "g", "p": "b", "t": "d"}
_VOWELS = frozenset("aeiou")


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _verb_stem(p: str) -> str | None:
    """Stem of an infinitive ("bulmak" → "bul"), if long enough to be telling."""
    if p.endswith(("mak", "mek")) and len(p) >= 6:
        return p[:-3]
    return None


def token_similarity(q: str, p: str, typo: bool = True) -> float:
    """How well query token q stands for indexed token p (0 = not at all)."""
    if q == p:
        return 1.0
    lp = len(p)
    if lp < 4:
        return 0.0  # "ce", "iso", "ges": exact only, too easy to hit by chance
    if q.startswith(p):
        return 1.0  # Turkish suffix on the query side
    soft = _SOFTENED.get(p[-1])
    if soft and len(q) > lp and q[lp] in _VOWELS and q.startswith(p[:-1] + soft):
        return 1.0  # the stem's last consonant softened before a vowel: "tüzüğü" / "tüzük"
    if not typo:
        return 0.0
    if lp >= 5:
        cp = _common_prefix(q, p)
        if cp >= max(5, lp - 2) and len(q) >= lp - 1:
            return 0.95  # suffix swapped: "faturamız" / "faturası"
    stem = _verb_stem(p)
    if stem and len(q) >= len(stem) + 2 and q.startswith(stem):
        return 0.9  # other form of a verb: "yazacak" / "yazmak", "bulamıyoruz" / "bulmak"
    if lp >= 6 and len(q) >= 5:
        for cut in (lp - 1, lp, lp + 1):
            if Levenshtein.distance(q[:cut], p, score_cutoff=1) <= 1:
                return 0.9  # one typo: "hammade", "laboratuar"
    return 0.0


@dataclass(frozen=True)
class _Phrase:
    key: int  # index of the entry this phrase belongs to
    tokens: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class LexHit:
    score: float  # may exceed 100 (bonus); capped only for display
    covered: frozenset[int]  # query token positions any matched phrase used
    best: frozenset[int]  # query token positions of the best phrase (the evidence)


class Index:
    """Keyword index over entries (activities or FAQ entries); build once, query often."""

    def __init__(self, entries: Sequence[Iterable[str]], no_typo: Iterable[str] = ()):
        phrase_lists = [
            [v for phrase in phrases for v in _phrase_variants(phrase)] for phrases in entries
        ]
        df: dict[str, int] = {}
        for plist in phrase_lists:
            for tok in {t for p in plist for t in p}:
                df[tok] = df.get(tok, 0) + 1
        n = max(len(entries), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.vocab = tuple(sorted(df))
        self._no_typo = frozenset(fold(w) for w in no_typo)
        self.phrases: list[_Phrase] = []
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for key, plist in enumerate(phrase_lists):
            for toks in plist:
                if (key, toks) in seen:
                    continue
                seen.add((key, toks))
                self.phrases.append(_Phrase(key, toks, tuple(self.idf[t] for t in toks)))
        self._by_token: dict[str, list[int]] = {}
        for i, ph in enumerate(self.phrases):
            for t in set(ph.tokens):
                self._by_token.setdefault(t, []).append(i)
        # Candidate lookup, so an unseen query token is not compared with every token:
        # all rules but the typo rule need the same first three letters.
        self._vocab_set = frozenset(self.vocab)
        self._by_prefix: dict[str, list[str]] = {}
        for p in self.vocab:
            if len(p) >= 4:
                self._by_prefix.setdefault(p[:3], []).append(p)
        # typo rule: a query prefix of length L is compared with tokens of length L±1
        self._max_len = max((len(p) for p in self.vocab), default=0)
        self._typo_by_len: dict[int, list[str]] = {}
        for p in self.vocab:
            if len(p) >= 6:
                for length in (len(p) - 1, len(p), len(p) + 1):
                    self._typo_by_len.setdefault(length, []).append(p)
        self.vocab_hits = lru_cache(maxsize=50_000)(self._vocab_hits_uncached)

    def _vocab_hits_uncached(self, q: str) -> tuple[tuple[str, float], ...]:
        # single letters say nothing; long digit runs are phone numbers, not "iso 50001"
        if (len(q) < 2 and not q.isdigit()) or (q.isdigit() and len(q) > 6):
            return ()
        cands = set(self._by_prefix.get(q[:3], ()))
        if q in self._vocab_set:
            cands.add(q)
        if len(q) >= 5:
            for length in range(5, min(len(q), self._max_len + 1) + 1):
                bucket = self._typo_by_len.get(length)
                if bucket:
                    found = process.extract(
                        q[:length],
                        bucket,
                        scorer=Levenshtein.distance,
                        score_cutoff=1,
                        limit=None,
                    )
                    cands.update(p for p, _, _ in found)
        return tuple(
            (p, s)
            for p in sorted(cands)
            if (s := token_similarity(q, p, typo=p not in self._no_typo)) > 0.0
        )

    def score(self, tokens: Sequence[Token]) -> dict[int, LexHit]:
        """Entry key → LexHit for every entry with a phrase the query covers to MIN_SCORE.

        Its score blends that phrase score with the share of the query's meaningful tokens
        it explains, so "güneş paneli" ranks the solar activity above one that only knows
        "panel". Extra matched phrases add a small bonus.
        """
        qtoks = [t.text for t in tokens if t.end <= MAX_CHARS][:MAX_TOKENS]
        # best similarity of each indexed token, and where in the query it was found
        best: dict[str, tuple[float, int]] = {}
        qweight: dict[int, float] = {}  # query position → weight of its best hit
        for pos, q in enumerate(qtoks):
            for p, s in self.vocab_hits(q):
                if s > best.get(p, (0.0, -1))[0]:
                    best[p] = (s, pos)
                qweight[pos] = max(qweight.get(pos, 0.0), s * self.idf[p])
        if not best:
            return {}
        total_weight = sum(qweight.values())
        candidates = {i for p in best for i in self._by_token.get(p, ())}
        per_key: dict[int, list[tuple[float, frozenset[int]]]] = {}
        for i in candidates:
            ph = self.phrases[i]
            got = 0.0
            positions = set()
            for t, w in zip(ph.tokens, ph.weights, strict=True):
                hit = best.get(t)
                if hit:
                    got += w * hit[0]
                    positions.add(hit[1])
            s = 100.0 * got / sum(ph.weights)
            if s >= MIN_SCORE:
                per_key.setdefault(ph.key, []).append((s, frozenset(positions)))
        out: dict[int, LexHit] = {}
        for key, scored in per_key.items():
            # equal scores (up to float noise): the phrase covering more words is the evidence
            top, top_where = max(scored, key=lambda x: (round(x[0], 6), len(x[1])))
            covered = frozenset().union(*(w for _, w in scored))
            coverage = sum(qweight[p] for p in covered) / total_weight
            score = (1 - _COVERAGE_SHARE) * top + _COVERAGE_SHARE * 100.0 * coverage
            out[key] = LexHit(score + _EXTRA_PHRASE_BONUS * (len(scored) - 1), covered, top_where)
        return out
