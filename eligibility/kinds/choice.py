"""`choice`: one of the question's options, by number, value, label, alias or a unique
beginning of its label."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
from eligibility.text import fold
from eligibility.validators import ValidationProblem

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question


def match_option(question: Question, raw: str, *, numbers: bool = True) -> str:
    """An option value from its number (unless `numbers` is False), value, label or alias
    (case/diacritics ignored)."""
    text = fold(raw).strip(" .)")
    if numbers and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= len(question.options):
        return question.options[int(text) - 1].value
    for option in question.options:
        if text in {fold(option.value), fold(option.label), *map(fold, option.aliases)}:
            return option.value
    if len(text) >= 3:
        hits = [o.value for o in question.options if fold(o.label).startswith(text)]
        if len(hits) == 1:
            return hits[0]
    listed = ", ".join(f"{i}) {o.label}" for i, o in enumerate(question.options, 1))
    raise ValidationProblem(f"Seçeneklerden birini seçin: {listed}.")


def option_label(question: Question, value: Any) -> str:
    for option in question.options:
        if option.value == value:
            return option.label
    return str(value)


@register
class ChoiceKind(AnswerKind):
    name = "choice"
    uses_options = True

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return match_option(question, raw)

    def display(self, question: Question, value: Any, words: Messages) -> str:
        return option_label(question, value)
