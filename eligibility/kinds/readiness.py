"""`readiness`: the readiness questions of the eligibility walk (rules.yaml `readiness`, one
question each through `- include: readiness`). Yes, no, or "bilmiyorum": the programme
expects these things, the screening reports a gap as advice, and not knowing is a gap to
look into, so it is advice too, never ineligibility (eligibility.rules.evaluate)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import Choice
from eligibility.kinds.yesno import YesNoKind
from eligibility.text import fold, folded_set

if TYPE_CHECKING:
    from eligibility.models import Content
    from eligibility.questionnaire_def import Messages, Question

UNKNOWN = "unknown"  # the stored value of "bilmiyorum"


@register
class ReadinessKind(YesNoKind):
    name = "readiness"

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        if fold(raw or "").strip(" .!?") in folded_set(tuple(words.unknown_words)):
            return UNKNOWN
        return super().parse(question, raw, words)

    def display(self, question: Question, value: Any, words: Messages) -> str:
        if value == UNKNOWN:
            return words.answer_unknown
        return super().display(question, value, words)

    def choices(
        self, question: Question, words: Messages, content: Content | None = None
    ) -> list[Choice]:
        return [
            *super().choices(question, words, content),
            Choice(words.answer_unknown, words.answer_unknown, "plain"),
        ]

    def typed_hint(self, question: Question, words: Messages) -> str | None:
        return words.readiness_hint
