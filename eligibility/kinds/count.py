"""`count`: a non-negative whole number in digits or Turkish words ("yirmi beş", "yok")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
from eligibility.validators import parse_count

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question


@register
class CountKind(AnswerKind):
    name = "count"

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return parse_count(raw)
