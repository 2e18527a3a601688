"""`text` (a name, a sector: 2–200 characters) and `needs` (a firm's needs in its own words:
3–1000 characters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
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


@register
class TextKind(AnswerKind):
    name = "text"
    minimum: ClassVar[int] = 2
    maximum: ClassVar[int] = 200

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return parse_text(raw, self.minimum, self.maximum)


@register
class NeedsKind(TextKind):
    name = "needs"
    minimum = 3
    maximum = 1000
