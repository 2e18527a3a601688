"""Is a message a firm's need at all? The off-topic gate over keyword hits.

A keyword ("test", "belgesi", "kurs", "servis") also turns up in messages that are no
firm's need: "covid testi nerede", "ikametgah belgesi", "ingilizce kursu arıyorum". The
meaning stage's margin (the message's nearest entry seed minus its nearest off-topic
example, see fusion) decides whether the keyword stage's hits stand:
- a hit that rests only on the lexicon's `weak_words` (common outside any firm) stands
  only where the meaning stage agrees (margin above weak_margin);
- with a personal word or a first-person-singular verb ("evimin", "arıyorum"), every hit
  needs the meaning stage to agree (personal_margin);
- when every hit rests on one word of a longer message ("kitap fuarı ne zaman", "kripto
  paraya yatırım"), the meaning stage must lean to a need (lone_margin), even for a
  near-exact hit (measured on the dev sets and retired set A: off-topic rejected 433 -> 444
  of 450 at lone_margin 0, no need lost; 0.01 rejects 3 more of 470 at 3 needs of 740 that
  the lexicon then won back);
- otherwise hits stand unless the message is clearly nearer to off-topic examples (veto).
A one-word message is never a need through the meaning stage alone ("para", "fiyat").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eligibility.matching.lexical import Index
from eligibility.matching.tokens import Token


@dataclass(frozen=True)
class GateParams:
    veto: float = -0.03  # keyword hits are dropped when the margin is at most this ...
    veto_strong: float = -0.06  # ... with a near-exact keyword hit, only this far off
    weak_margin: float = 0.02  # a hit resting on weak words only needs more than this
    personal_margin: float = 0.05  # with a personal word, the meaning stage must agree
    lone_margin: float = 0.01  # hits resting on one word of a longer message need more
    question_veto: float | None = None  # a question's hits stand above this (FAQ), if set


class WordSet:
    """A lexicon word list (weak words, firm words), met with the index's suffix and typo
    tolerance: "testi" is "test", "fabrikamız" is "fabrika"."""

    def __init__(self, words: Sequence[str]) -> None:
        self.index = Index([list(words)]) if words else None

    def has(self, word: str) -> bool:
        return self.index is not None and any(s >= 1.0 for _, s in self.index.vocab_hits(word))

    def only(self, tokens: Sequence[Token], positions: frozenset[int]) -> bool:
        """Whether every query word at these positions is in the set ("testi", "kursu")."""
        return self.index is not None and all(self.has(tokens[i].text) for i in positions)

    def any(self, tokens: Sequence[Token]) -> bool:
        """Whether some word of the message is in the set."""
        return self.index is not None and any(self.has(t.text) for t in tokens)


def keyword_hits_stand(
    p: GateParams,
    margin: float,
    strong: bool,
    personal: bool,
    lone: bool = False,
    question: bool = False,
) -> bool:
    """Whether the keyword stage's hits count, given the meaning stage's margin."""
    asked = question and p.question_veto is not None
    if lone:
        bar = max(p.lone_margin, p.veto)
    elif asked:
        bar = p.question_veto if p.question_veto is not None else p.veto
    else:
        bar = p.veto_strong if strong else p.veto
    if personal and not asked:  # "başvurabilir miyim" is a firm owner's question too
        bar = max(bar, p.personal_margin)
    return margin > bar
