"""`phone` (stored as E.164, shown the Turkish way; Telegram can share it) and `email`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
from eligibility.validators import format_phone, parse_email, parse_phone

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question


@register
class PhoneKind(AnswerKind):
    name = "phone"
    shared_input = "contact"

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return parse_phone(raw)

    def display(self, question: Question, value: Any, words: Messages) -> str:
        return format_phone(value)


@register
class EmailKind(AnswerKind):
    name = "email"

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        return parse_email(raw)
