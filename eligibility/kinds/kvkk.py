"""The two KVKK steps of a firm walk, one question each: `notice` (the information notice,
aydınlatma, md. 10: acknowledged, never consented to) and `consent` (explicit consent, açık
rıza: a yes or a no of its own). The engine records when each was given; front ends show
the KVKK text the kind names (`kvkk_text`) above the question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind, Choice
from eligibility.kinds.yesno import YesNoKind, parse_yesno
from eligibility.text import fold, folded_set
from eligibility.validators import ValidationProblem

if TYPE_CHECKING:
    from eligibility.models import Content
    from eligibility.questionnaire_def import Messages, Question


def _content(content: Content | None) -> Content:
    if content is not None:
        return content
    from eligibility.content import get_content

    return get_content()


@register
class NoticeKind(AnswerKind):
    """Having read the information notice: "Okudum" (its button), or a yes word."""

    name = "notice"
    kvkk_text = "notice"
    records_notice = True

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        text = fold(raw or "").strip(" .!")
        if text in folded_set(tuple(words.notice_words)):
            return True
        try:
            if parse_yesno(raw, words):
                return True
        except ValidationProblem:
            pass
        raise ValidationProblem(words.notice_invalid)

    def display(self, question: Question, value: Any, words: Messages) -> str:
        return words.notice_read

    def choices(
        self, question: Question, words: Messages, content: Content | None = None
    ) -> list[Choice]:
        button = _content(content).kvkk.notice_ack_button
        return [Choice(button, button, "plain")]

    def typed_hint(self, question: Question, words: Messages) -> str | None:
        return words.notice_hint


@register
class ConsentKind(YesNoKind):
    name = "consent"
    choices_in_row = False
    kvkk_text = "consent_question"
    records_consent = True

    def choices(
        self, question: Question, words: Messages, content: Content | None = None
    ) -> list[Choice]:
        kvkk = _content(content).kvkk
        return [
            Choice(kvkk.consent_button, words.answer_yes, "confirm"),
            Choice(kvkk.refuse_button, words.answer_no, "refuse"),
        ]
