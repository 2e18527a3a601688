"""What a message says about its writer, beside its topic: a private person's matter
("evimin", "arıyorum"), a firm's ("fabrikam", "ürünlerimi"), a question ("mı", "nasıl",
"?"). The words come from content/lexicon.yaml; the gate (gate.py) and the ranker
(fusion.py) act on the answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eligibility.matching.gate import WordSet
from eligibility.matching.tokens import Token
from eligibility.text import fold


def _phrases(words: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
    """Folded phrases by their first word, for a look-up per message word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for w in words:
        ph = tuple(fold(w).split())
        if ph:
            out.setdefault(ph[0], []).append(ph)
    return out


def _at(words: Sequence[str], i: int, ph: tuple[str, ...]) -> bool:
    return tuple(words[i : i + len(ph)]) == ph


def _has_phrase(words: Sequence[str], firsts: dict[str, list[tuple[str, ...]]]) -> bool:
    return any(_at(words, i, ph) for i, w in enumerate(words) for ph in firsts.get(w, ()))


@dataclass(frozen=True)
class MessageWords:
    """The lexicon's word lists that describe a message rather than an entry."""

    personal_words: Sequence[str] = ()
    firm_words: Sequence[str] = ()
    question_words: Sequence[str] = ()
    weak_words: Sequence[str] = ()
    greetings: Sequence[str] = ()


class Signals:
    def __init__(self, words: MessageWords) -> None:
        self.weak = WordSet(words.weak_words)
        # "fabrikam için eleman arıyorum": a firm owner writing in the singular; a word
        # ending then says nothing of a private person (an explicit personal word still does)
        self.firm = WordSet(words.firm_words)
        # "evimin", "iş arıyorum"; an entry "-yorum" is a word ending (first person singular:
        # a private person writes "arıyorum", a firm "arıyoruz")
        personal = [w for w in words.personal_words if w.strip()]
        self._personal = _phrases([w for w in personal if not w.startswith("-")])
        self._endings = tuple(fold(w[1:]) for w in personal if w.startswith("-"))
        self._questions = _phrases([w for w in words.question_words if w.strip()])
        self._greetings = _phrases([w for w in words.greetings if w.strip()])

    def personal(self, tokens: Sequence[Token]) -> bool:
        """A private person's matter: a personal word, or a first-person-singular ending
        in a message without a firm word."""
        words = [t.text for t in tokens]
        ends = self._endings
        if (
            ends
            and any(len(w) > len(e) + 2 and w.endswith(e) for w in words for e in ends)
            and not self.firm.any(tokens)
        ):
            return True
        return _has_phrase(words, self._personal)

    def question(self, text: str, tokens: Sequence[Token]) -> bool:
        """Asked, not stated: a question mark or a question word ("mı", "nasıl", "kaç")."""
        return "?" in text or _has_phrase([t.text for t in tokens], self._questions)

    def greeting_length(self, tokens: Sequence[Token]) -> int:
        """How many words at the start of a message are a greeting ("Merhaba, iyi
        günler"); never the whole message ("merhaba" alone is what it says)."""
        words = [t.text for t in tokens]
        i = 0
        while i < len(words):
            found = [ph for ph in self._greetings.get(words[i], ()) if _at(words, i, ph)]
            if not found:
                return i
            i += max(len(ph) for ph in found)
        return 0  # greetings only
