"""`text` (a firm's name: 2–200 characters), `person` (a contact's name) and `needs` (a
firm's needs in its own words: 3–1000 characters). Each needs letters: an emoji-only firm
name or needs text, a name of digits ("12345") or an answer word ("onaylıyorum") is refused
with the hint of content/questionnaire.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
from eligibility.text import fold, folded_set
from eligibility.validators import ValidationProblem

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question


def parse_text(raw: str, minimum: int, maximum: int) -> str:
    text = " ".join((raw or "").split())
    if len(text) < minimum:
        raise ValidationProblem(f"Biraz daha ayrıntılı yazın (en az {minimum} karakter).")
    if len(text) > maximum:
        raise ValidationProblem(f"Daha kısa yazın (en çok {maximum} karakter).")
    return text


def letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


@register
class TextKind(AnswerKind):
    name = "text"
    minimum: ClassVar[int] = 2
    maximum: ClassVar[int] = 200
    letters_needed: ClassVar[int] = 1  # plus letters or digits up to `minimum`

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        text = parse_text(raw, self.minimum, self.maximum)
        alnum = sum(1 for ch in text if ch.isalnum())
        if letters(text) < self.letters_needed or alnum < self.minimum:
            raise ValidationProblem(words.text_needs_letters)
        return text


@register
class PersonKind(TextKind):
    """A person's name: at least two letters, no digits, not a word that answers a question
    (yes / no / skip words of the questionnaire)."""

    name = "person"
    maximum = 120

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        text = parse_text(raw, self.minimum, self.maximum)
        answers = folded_set(tuple([*words.yes_words, *words.no_words, *words.skip_words]))
        if letters(text) < 2 or any(ch.isdigit() for ch in text) or fold(text) in answers:
            raise ValidationProblem(words.name_needs_letters)
        return text


@register
class NeedsKind(TextKind):
    name = "needs"
    minimum = 3
    maximum = 1000
    letters_needed = 3
