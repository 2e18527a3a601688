"""Match what a firm types ("eleman bulamıyoruz", "CE belgesi") to catalogue activities
and FAQ entries.

Each entry is indexed by its phrases (an activity's keywords and title, an FAQ entry's
question and keywords), folded to ASCII word tokens. A query token meets an indexed
token when they are equal, when the query token extends it with a Turkish suffix
("ihracatımızı" → "ihracat"), when the two differ only in a short suffix ("fiyatları" /
"fiyatı"), when it is another form of an indexed verb ("bulamıyoruz" / "bulmak"), or when
the two are one typo apart.

A phrase scores the share of its tokens, weighted by rarity (IDF), that the query
covers. An entry is returned only if one of its phrases reaches MIN_SCORE; that gate is
what keeps greetings and off-topic text out. Its displayed score (0-100) then blends the
best phrase score with the share of the query it explains, and ranks the results.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from eligibility.models import Catalogue, Content, Faq, FaqEntry
from eligibility.text import fold

MIN_SCORE = 75.0
MAX_CHARS = 2000  # longer messages are cut: needs are stated early, and it bounds the cost
MAX_TOKENS = 200
_EXTRA_PHRASE_BONUS = 2.0  # each further matched phrase adds a little confidence
_COVERAGE_SHARE = 0.4  # weight of "how much of the query this entry explains"

# Function words and chat filler carry no need; dropped from indexed phrases unless
# the phrase would be left with a single word.
STOPWORDS = frozenset(
    """
    ve veya ile icin bir bu su o da de ki mi mu ne nasil neden nedir midir kim kimler
    hangi gibi cok daha en ama fakat ancak olarak olan olmak icinde uzere vb vs yani
    ben biz siz onlar bizim sizin benim var yok lazim gerek istiyoruz istiyorum ayrica
    """.split()
)

_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Match:
    category: int
    activity_id: str
    title: str  # verbatim catalogue title
    score: float  # 0-100

    def to_json(self) -> dict:
        return {
            "category": self.category,
            "activity_id": self.activity_id,
            "title": self.title,
            "score": self.score,
        }


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float  # 0-100

    def to_json(self) -> dict:
        return {"id": self.entry.id, "question": self.entry.question, "score": self.score}


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    words = _WORD_RE.findall(fold(phrase))
    kept = tuple(t for t in words if t not in STOPWORDS)
    # "kredi mi", "markamız yok": the function word is what makes the phrase specific;
    # "kredi" alone would answer "kredi kartı borcum".
    return kept if len(kept) >= 2 or len(words) == 1 else tuple(words)


def _phrase_variants(phrase: str) -> list[tuple[str, ...]]:
    """"ar-ge" is also typed "arge": index the hyphen-joined form as well."""
    out = [_phrase_tokens(phrase)]
    if "-" in phrase:
        out.append(_phrase_tokens(re.sub(r"\s*-\s*", "", phrase)))
    return [v for v in out if v]


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


def token_similarity(q: str, p: str) -> float:
    """How well query token q stands for indexed token p (0 = not at all)."""
    if q == p:
        return 1.0
    lp = len(p)
    if lp < 4:
        return 0.0  # "ce", "iso", "ges": exact only, too easy to hit by chance
    if q.startswith(p):
        return 1.0  # Turkish suffix on the query side
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


class Index:
    """Keyword index over entries (activities or FAQ entries); build once, query often."""

    def __init__(self, entries: Sequence[Iterable[str]]):
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
        self._vocab_hits = lru_cache(maxsize=50_000)(self._vocab_hits_uncached)

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
                        q[:length], bucket, scorer=Levenshtein.distance, score_cutoff=1,
                        limit=None,
                    )
                    cands.update(p for p, _, _ in found)
        return tuple(
            (p, s) for p in sorted(cands) if (s := token_similarity(q, p)) > 0.0
        )

    def score(self, text: str) -> dict[int, tuple[float, frozenset[int]]]:
        """Entry key → (score, positions of the query tokens its phrases matched).

        An entry needs one phrase whose tokens the query covers to at least MIN_SCORE;
        its score then blends that phrase score with the share of the query's
        meaningful tokens it explains, so "güneş paneli" ranks the solar activity
        above one that only knows "panel". Extra matched phrases add a small bonus;
        the score is capped at 100 only for display.
        """
        # Query function words are kept: they only count where an indexed phrase has them.
        qtoks = _WORD_RE.findall(fold(text[:MAX_CHARS]))[:MAX_TOKENS]
        # best similarity of each indexed token, and where in the query it was found
        best: dict[str, tuple[float, int]] = {}
        qweight: dict[int, float] = {}  # query position → weight of its best hit
        for pos, q in enumerate(qtoks):
            for p, s in self._vocab_hits(q):
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
        out: dict[int, tuple[float, frozenset[int]]] = {}
        for key, scored in per_key.items():
            top = max(s for s, _ in scored)
            covered = frozenset().union(*(w for _, w in scored))
            coverage = sum(qweight[p] for p in covered) / total_weight
            score = (1 - _COVERAGE_SHARE) * top + _COVERAGE_SHARE * 100.0 * coverage
            out[key] = (score + _EXTRA_PHRASE_BONUS * (len(scored) - 1), covered)
        return out


def _diversify(ranked: list[tuple[int, float, frozenset[int]]]) -> list[tuple[int, float]]:
    """Best first, but a sentence with several needs gets each need near the top:
    the best entry of every distinct matched span comes before the runners-up."""
    firsts: list[tuple[int, float]] = []
    rest: list[tuple[int, float]] = []
    spans_seen: list[frozenset[int]] = []
    for key, score, where in ranked:
        if any(where & s for s in spans_seen):
            rest.append((key, score))
        else:
            spans_seen.append(where)
            firsts.append((key, score))
    return firsts + rest


def _rank(index: Index, text: str, limit: int) -> list[tuple[int, float]]:
    if not isinstance(text, str) or limit <= 0:
        return []
    scores = index.score(text)
    ranked = sorted(
        ((k, s, w) for k, (s, w) in scores.items()), key=lambda x: (-x[1], x[0])
    )
    return [(k, round(min(100.0, s), 1)) for k, s in _diversify(ranked)[:limit]]


# ---- catalogue ------------------------------------------------------------------------

_CACHE_LOCK = threading.Lock()
# id(model) → (model, index); the model is kept so that its id cannot be reused.
_INDEXES: dict[tuple[str, int], tuple[object, object]] = {}


def _cached(kind: str, model: object, build):
    key = (kind, id(model))
    with _CACHE_LOCK:
        hit = _INDEXES.get(key)
        if hit is not None and hit[0] is model:
            return hit[1]
    built = build(model)
    with _CACHE_LOCK:
        if len(_INDEXES) > 32:  # tests build many small contents; keep memory bounded
            _INDEXES.clear()
        _INDEXES[key] = (model, built)
    return built


class CatalogueIndex:
    def __init__(self, catalogue: Catalogue):
        self.activities = list(catalogue.activities)
        self.index = Index([[*a.keywords, a.title] for a in self.activities])

    def match(self, text: str, limit: int = 5) -> list[Match]:
        out = []
        for key, score in _rank(self.index, text, limit):
            a = self.activities[key]
            out.append(Match(a.category, a.id, a.title, score))
        return out


def build_index(catalogue: Catalogue) -> CatalogueIndex:
    """The activity index of a catalogue, built once per catalogue object."""
    return _cached("catalogue", catalogue, CatalogueIndex)


def _catalogue_of(content: Content | Catalogue | None) -> Catalogue:
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    return content if isinstance(content, Catalogue) else content.catalogue


def match_needs(
    text: str, limit: int = 5, content: Content | Catalogue | None = None
) -> list[Match]:
    """Confident activity matches for a free-text need, best first; [] when none."""
    return build_index(_catalogue_of(content)).match(text, limit)


# ---- FAQ ------------------------------------------------------------------------------


class FaqIndex:
    def __init__(self, entries: Sequence[FaqEntry]):
        self.entries = list(entries)
        self.index = Index([[e.question, *e.keywords] for e in self.entries])

    def match(self, text: str, limit: int = 3) -> list[FaqMatch]:
        return [FaqMatch(self.entries[k], s) for k, s in _rank(self.index, text, limit)]


def build_faq_index(entries: Sequence[FaqEntry]) -> FaqIndex:
    """FAQ index, built once per entry list object (e.g. content.faq.entries)."""
    return _cached("faq", entries, FaqIndex)


def match_faq(
    text: str, limit: int = 3, content: Content | Faq | Sequence[FaqEntry] | None = None
) -> list[FaqMatch]:
    """Confident FAQ matches (question and keywords), best first; [] when none."""
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    if isinstance(content, Content):
        content = content.faq
    entries = content.entries if isinstance(content, Faq) else content
    return build_faq_index(entries).match(text, limit)
