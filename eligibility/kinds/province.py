"""`province`: one of the 81 provinces (name, alias, plate number or a near-miss spelling)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
from eligibility.validators import find_province

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question


@register
class ProvinceKind(AnswerKind):
    name = "province"
    shared_input = "location"

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return find_province(raw).name
