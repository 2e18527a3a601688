"""What an answer kind is: how it reads an answer, shows it, offers buttons and hints.

Every question in content/questionnaire.yaml names a kind. A kind is one class in one module
of this package (`@register`), so a new kind is one module plus the YAML line that uses it;
the engine and the front ends ask the kind and never test a kind's name.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from eligibility.models import Content
    from eligibility.questionnaire_def import Messages, Question

Tone = Literal["plain", "confirm", "refuse"]
Shared = Literal["contact", "location"]
# A KVKK text of content/kvkk.yaml that front ends show above the question (filled from the
# operator file by eligibility.kvkk): the information notice, or the explicit-consent text.
KvkkText = Literal["notice", "consent_question"]


@dataclasses.dataclass(frozen=True)
class Choice:
    """One button: its label and the text the engine takes as if the user had typed it."""

    label: str
    answer: str
    tone: Tone = "plain"  # a front end may mark yes/no buttons (e.g. ✅ / ✖️)


class AnswerKind:
    """Base class; subclasses set `name` and override what differs."""

    name: ClassVar[str]
    # The question lists `options` in the YAML (and must); they are its choices.
    uses_options: ClassVar[bool] = False
    # Choices fit on one row (yes/no) rather than one per row (options).
    choices_in_row: ClassVar[bool] = False
    # Telegram can share this answer instead of typing it (issue: share-contact buttons).
    shared_input: ClassVar[Shared | None] = None
    # The KVKK text shown with the question. The information notice is acknowledged on its
    # own step (`records_notice`), and explicit consent asked on the next one
    # (`records_consent`): the engine records when each was given.
    kvkk_text: ClassVar[KvkkText | None] = None
    records_notice: ClassVar[bool] = False
    records_consent: ClassVar[bool] = False

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        """The canonical value of an answer; ValidationProblem (Turkish) when unusable."""
        raise NotImplementedError

    def display(self, question: Question, value: Any, words: Messages) -> str:
        """An answer as the user should see it in the summary."""
        return str(value)

    def choices(
        self, question: Question, words: Messages, content: Content | None = None
    ) -> list[Choice]:
        """Buttons for the question; none for typed answers."""
        return (
            [
                Choice(option.label, str(number))
                for number, option in enumerate(question.options, start=1)
            ]
            if self.uses_options
            else []
        )

    def typed_hint(self, question: Question, words: Messages) -> str | None:
        """A hint for front ends without buttons (the terminal), e.g. "(evet / hayır)"."""
        return None
