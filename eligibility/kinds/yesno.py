"""`yesno`: a yes or a no. Yes and no words are content: `messages.yes_words` / `no_words` in
content/questionnaire.yaml. (KVKK consent, a yes/no of its own, is in kinds/kvkk.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind, Choice
from eligibility.text import fold, folded_set
from eligibility.validators import ValidationProblem

if TYPE_CHECKING:
    from eligibility.models import Content
    from eligibility.questionnaire_def import Messages, Question


def parse_yesno(text: str, words: Messages) -> bool:
    """True/False from a yes or no word, or a sentence starting with one (single letters
    count only on their own: "e", "h")."""
    yes = folded_set(tuple(words.yes_words))
    no = folded_set(tuple(words.no_words))
    folded = fold(text or "").strip(" .!?")
    if folded in yes:
        return True
    if folded in no:
        return False
    first = folded.split(" ", 1)[0].strip(",.!") if folded else ""
    if len(first) > 1 and first in yes:
        return True
    if len(first) > 1 and first in no:
        return False
    raise ValidationProblem(words.yesno_invalid)


@register
class YesNoKind(AnswerKind):
    name = "yesno"
    choices_in_row = True

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return parse_yesno(raw, words)

    def display(self, question: Question, value: Any, words: Messages) -> str:
        return words.answer_yes if value else words.answer_no

    def choices(
        self, question: Question, words: Messages, content: Content | None = None
    ) -> list[Choice]:
        return [
            Choice(words.answer_yes, words.answer_yes, "plain"),
            Choice(words.answer_no, words.answer_no, "plain"),
        ]

    def typed_hint(self, question: Question, words: Messages) -> str | None:
        return words.yesno_hint
