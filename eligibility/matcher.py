"""Match what a firm types ("eleman bulamıyoruz", "CE belgesi") to catalogue activities
and FAQ entries: the public entry points over eligibility/matching/.

Two stages: keywords (eligibility.matching.lexical: catalogue keywords and titles, FAQ
questions and keywords, lexicon synonyms; suffix- and typo-tolerant) and meaning
(eligibility.matching.semantic: a small multilingual sentence-embedding model against
each entry's paraphrase seeds and against off-topic examples), fused by
eligibility.matching.fusion. Every match carries `evidence`: the words of the message
that led to it, as the user typed them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from eligibility.matching.classifier import ClassifierIndex
from eligibility.matching.examples import Examples, get_examples
from eligibility.matching.fusion import Params, Ranker
from eligibility.matching.gate import GateParams
from eligibility.matching.lexical import MIN_SCORE, Index, token_similarity
from eligibility.matching.lexicon import Lexicon, evidence_sentence, get_lexicon
from eligibility.matching.semantic import SeedIndex, get_encoder
from eligibility.matching.signals import MessageWords
from eligibility.models import Catalogue, Content, Faq, FaqEntry

__all__ = [
    "MIN_SCORE",
    "CatalogueIndex",
    "FaqIndex",
    "FaqMatch",
    "Match",
    "build_faq_index",
    "build_index",
    "evidence_sentence",
    "match_faq",
    "match_needs",
    "message_words",
    "token_similarity",
]

# The meaning stage is a classifier (classifier.py): its scores are probabilities, so the
# thresholds are in probability units. Round 6, measured leaving each independent writer's
# set out of the examples (sets B, C, D): a message is on topic when P(some need) >
# P(off-topic) (margin 0 on 1 - 2 P(off-topic)); its best need needs P >= 0.03; the gate's
# margins are the cosine ones times 5 (times 2 or 10: the same figures); keywords weigh 0.2
# against the classifier's 0.5 (0.3: top-1 -1, 0.1: +1 on C and D at -2 on B; 0.0: top-1
# -15 to -40). Budget: the classifier gains from reading more of a message (set D top-1
# 151 at 16 tokens, 163 at 24, 165 at 32; an extra part adds nothing when the first text
# is 24 tokens or more). A part's runners-up within 0.3 of its best need are candidates too
# (top-3 +2, +1, +2 on B, C, D: a second need in the same text; 0.5: the same).
NEED_PARAMS = Params(
    margin=0.0,
    floor=0.03,
    sem_lo=0.0,
    sem_hi=1.0,
    w_lex=0.2,
    budget=24,
    extra_parts=0,
    near=0.3,
    gate=GateParams(
        veto=-0.15, veto_strong=-0.30, weak_margin=0.10, personal_margin=0.25, lone_margin=0.05
    ),
)
# The bot answers with an FAQ entry instead of activity matches, so an FAQ keyword hit
# counts only when the message is nearer to FAQ questions than to any need (measured on
# the dev sets: needs taken for an FAQ 125/357 -> 7/357); a question ("karşılanır mı",
# "başvurabilir miyim") may be a little nearer to a need (round 3, FAQ dev + retired set A:
# 115 -> 122 of 133 at needs taken for an FAQ 10 -> 8 of 709, off-topic 7 -> 6 of 450).
FAQ_PARAMS = Params(
    margin=0.03,
    gate=GateParams(veto=0.0, veto_strong=0.0, question_veto=-0.02),
    # the meaning stage alone answers a question ("5 firmayız, yeter mi?") a little nearer
    # a need than a statement (round 4, FAQ dev + sets A and B: 182 -> 185 of 220, needs
    # and off-topic inputs answered with an FAQ entry unchanged at 13 of 910 and 5 of 550;
    # 0.0: 187 at 7 off-topic; wh-words as question words: +4 at 5 more needs and 3 more
    # off-topic answered)
    question_margin=0.01,
    # a question's nearest need seed counts 0.01 less against it (round 5, every tuning
    # set: FAQ 235 -> 243 of 301 at needs answered with an FAQ entry 19 -> 21 of 1 107 and
    # off-topic 7 -> 8 of 664; -0.02: 247 at 24 and 9)
    question_others_bias=-0.01,
    confident=1e9,
    beyond=False,  # an FAQ answer replaces the activities: only what the model read counts
)


@dataclass(frozen=True)
class Match:
    category: int
    activity_id: str
    title: str  # verbatim catalogue title
    score: float  # 0-100
    evidence: str = ""  # the user's words that led to it, original spelling (a substring)

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "activity_id": self.activity_id,
            "title": self.title,
            "score": self.score,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float  # 0-100
    evidence: str = ""  # as Match.evidence

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.entry.id,
            "question": self.entry.question,
            "score": self.score,
            "evidence": self.evidence,
        }


def message_words(lex: Lexicon) -> MessageWords:
    """The lexicon's lists that describe a message (personal, firm, question, weak)."""
    return MessageWords(
        personal_words=lex.offtopic.personal_words,
        firm_words=lex.firm_words,
        question_words=lex.question_words,
        weak_words=lex.weak_words,
        greetings=lex.greetings,
    )


_CACHE_LOCK = threading.Lock()
# (kind, id(model), id(lexicon)) → (model, index); the model is kept so its id is not reused
_INDEXES: dict[tuple[str, int, int], tuple[object, object]] = {}
_T = TypeVar("_T")


def _cached(kind: str, model: object, lexicon: Lexicon, build: Callable[[], _T]) -> _T:
    key = (kind, id(model), id(lexicon))
    with _CACHE_LOCK:
        hit = _INDEXES.get(key)
        if hit is not None and hit[0] is model:
            return hit[1]  # type: ignore[return-value]
    built = build()
    with _CACHE_LOCK:
        if len(_INDEXES) > 32:  # tests build many small contents; keep memory bounded
            _INDEXES.clear()
        _INDEXES[key] = (model, built)
    return built


# ---- catalogue ------------------------------------------------------------------------


class CatalogueIndex:
    def __init__(
        self,
        catalogue: Catalogue,
        lexicon: Lexicon | None = None,
        examples: Examples | None = None,
    ):
        """`examples`: what the meaning stage learns from besides the lexicon (default:
        content/match_examples.yaml; `get_examples().without({...})` to measure a set)."""
        lex = lexicon or get_lexicon()
        ex = get_examples() if examples is None else examples
        self.activities = list(catalogue.activities)
        words = [lex.for_activity(a.id) for a in self.activities]
        self.index = Index(
            [
                [*a.keywords, a.title, *w.synonyms]
                for a, w in zip(self.activities, words, strict=True)
            ],
            no_typo=lex.no_typo,
        )
        encoder = get_encoder()
        keys = {a.id: k for k, a in enumerate(self.activities)}
        labelled = [
            (e.text, [(keys[i], 1.0 / len(e.ids)) for i in e.ids if i in keys])
            for e in ex.needs
        ]
        seeds = (
            ClassifierIndex(
                encoder,
                [[a.title, *w.paraphrases] for a, w in zip(self.activities, words, strict=True)],
                [*lex.offtopic.paraphrases, *(e.text for e in ex.offtopic)],
                labelled=labelled,
            )
            if encoder
            else None
        )
        self.ranker = Ranker(self.index, seeds, lex.connectors, message_words(lex), NEED_PARAMS)

    def match(self, text: str, limit: int = 5) -> list[Match]:
        if not isinstance(text, str):
            return []
        out = []
        for r in self.ranker.rank(text, limit):
            a = self.activities[r.key]
            out.append(Match(a.category, a.id, a.title, r.score, r.evidence))
        return out


def build_index(catalogue: Catalogue, lexicon: Lexicon | None = None) -> CatalogueIndex:
    """The activity index of a catalogue, built once per catalogue object."""
    lex = lexicon or get_lexicon()
    return _cached("catalogue", catalogue, lex, lambda: CatalogueIndex(catalogue, lex))


def _catalogue_of(content: Content | Catalogue | None) -> Catalogue:
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    return content if isinstance(content, Catalogue) else content.catalogue


def match_needs(
    text: str, limit: int = 5, content: Content | Catalogue | None = None
) -> list[Match]:
    """Confident activity matches for a free-text need, best first; [] when none.
    A message with several needs gets a match for each among the first results."""
    return build_index(_catalogue_of(content)).match(text, limit)


# ---- FAQ ------------------------------------------------------------------------------


class FaqIndex:
    def __init__(self, entries: Sequence[FaqEntry], lexicon: Lexicon | None = None):
        lex = lexicon or get_lexicon()
        self.entries = list(entries)
        words = [lex.for_faq(e.id) for e in self.entries]
        self.index = Index(
            [
                [e.question, *e.keywords, *w.synonyms]
                for e, w in zip(self.entries, words, strict=True)
            ],
            no_typo=lex.no_typo,
        )
        encoder = get_encoder()
        # A need ("eleman bulamıyoruz") is no question: need paraphrases are negatives
        # here, so that the bot answers needs with activities, not with an FAQ entry.
        needs = [s for w in lex.activities.values() for s in w.paraphrases]
        seeds = (
            SeedIndex(
                encoder,
                [[e.question, *w.paraphrases] for e, w in zip(self.entries, words, strict=True)],
                lex.offtopic.paraphrases,
                needs,
            )
            if encoder
            else None
        )
        self.ranker = Ranker(self.index, seeds, lex.connectors, message_words(lex), FAQ_PARAMS)

    def match(self, text: str, limit: int = 3) -> list[FaqMatch]:
        if not isinstance(text, str):
            return []
        return [
            FaqMatch(self.entries[r.key], r.score, r.evidence)
            for r in self.ranker.rank(text, limit)
        ]


def build_faq_index(entries: Sequence[FaqEntry], lexicon: Lexicon | None = None) -> FaqIndex:
    """FAQ index, built once per entry list object (e.g. content.faq.entries)."""
    lex = lexicon or get_lexicon()
    return _cached("faq", entries, lex, lambda: FaqIndex(entries, lex))


def match_faq(
    text: str, limit: int = 3, content: Content | Faq | Sequence[FaqEntry] | None = None
) -> list[FaqMatch]:
    """Confident FAQ matches (question, keywords, meaning), best first; [] when none."""
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    if isinstance(content, Content):
        content = content.faq
    entries = content.entries if isinstance(content, Faq) else content
    return build_faq_index(entries).match(text, limit)
