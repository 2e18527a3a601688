"""Match what a firm types ("eleman bulamıyoruz", "CE belgesi") to catalogue activities
and FAQ entries: the public entry points over eligibility/matching/.

Two stages: keywords (eligibility.matching.lexical: catalogue keywords and titles, FAQ
questions and keywords, lexicon synonyms; suffix- and typo-tolerant) and meaning
(eligibility.matching.semantic: a small multilingual sentence-embedding model; and
eligibility.matching.classifier: a linear classifier over its vectors, learnt from each
entry's seeds and from labelled examples, content/match_examples.yaml, with off-topic talk
as a class of its own), fused by eligibility.matching.fusion. Every match carries
`evidence`: the words of the message that led to it, as the user typed them.
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
from eligibility.matching.semantic import get_encoder
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
# -15 to -40). A part's runners-up within 0.3 of its best need are candidates too (top-3 +2,
# +1, +2 on B, C, D: a second need in the same text; 0.5: the same). Budget: the classifier
# gains from reading more of a message (sets A-D and checks, 660 single needs: top-1 623 at
# 24 tokens, 626 at 32, 628 at 40; top-3 756, 760, 761 of 776; FAQ 356, 360, 360 of 381); 40
# tokens cost about 8 ms with the engine of eligibility/matching/engine (45 ms with the
# shipped one); an extra part read after the first text adds nothing at 32 tokens or more.
NEED_PARAMS = Params(
    margin=0.0,
    floor=0.03,
    sem_lo=0.0,
    sem_hi=1.0,
    w_lex=0.2,
    budget=40,
    extra_parts=0,
    near=0.3,
    gate=GateParams(
        veto=-0.15, veto_strong=-0.30, weak_margin=0.10, personal_margin=0.25, lone_margin=0.05
    ),
)
# The bot answers with an FAQ entry instead of activity matches, so an FAQ answer needs the
# message to be a question of the FAQ more than a need or off-topic talk: the FAQ's
# classifier has both as classes, and its margin is P(some FAQ entry) - max(P(need),
# P(off-topic)). Round 6, leaving each of sets B, C, D out of the examples (248 FAQ
# questions, 569 need phrasings, 307 off-topic inputs): margins at 0 answered 166 questions;
# a statement may be 0.3 below, a question ("karşılanır mı", "?") 0.6 below: 219 answered
# right, needs answered with an FAQ entry 12, off-topic 2 (0.8 for a question: 220 at 16
# needs; 0.2 for a statement: 214 at 7); keywords weigh 0.1 (0.2: 215; 0.5: 202); all at
# the round-5 budget of 16 tokens: reading the needs' 40 (the same text, one embedding)
# gives 231 of the 248 at 2 needs answered with an FAQ entry (sets A-D and dev: 360 of 381).
FAQ_PARAMS = Params(
    margin=-0.3,
    floor=0.03,
    sem_lo=0.0,
    sem_hi=1.0,
    w_lex=0.1,
    budget=NEED_PARAMS.budget,  # one text per message: both share its embedding
    gate=GateParams(veto=-0.3, veto_strong=-0.3, question_veto=-0.6),
    question_margin=-0.6,
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
        labelled = [e.classes(keys) for e in ex.needs]
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
    def __init__(
        self,
        entries: Sequence[FaqEntry],
        lexicon: Lexicon | None = None,
        examples: Examples | None = None,
    ):
        lex = lexicon or get_lexicon()
        ex = get_examples() if examples is None else examples
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
        # A need ("eleman bulamıyoruz") is no question: needs are a class of their own
        # here, so that the bot answers needs with activities, not with an FAQ entry.
        needs = [s for w in lex.activities.values() for s in w.paraphrases]
        needs += [e.text for e in ex.needs]
        keys = {e.id: k for k, e in enumerate(self.entries)}
        labelled = [e.classes(keys) for e in ex.faq]
        seeds = (
            ClassifierIndex(
                encoder,
                [[e.question, *w.paraphrases] for e, w in zip(self.entries, words, strict=True)],
                [*lex.offtopic.paraphrases, *(e.text for e in ex.offtopic)],
                needs,
                labelled=labelled,
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
