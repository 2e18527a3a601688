"""What front ends ask the questionnaire engine about words and questions, without a
session: what a typed word means (`intent`), a question's buttons (`choices`) and typed hint,
how an answer is shown (`display`), what confirms the summary, the suggestions waiting
after an unclear answer (`pending_choices`: a session's `pending`, read, never changed), and
an answer parsed (`parse_answer`, `parse_typed`). Re-exported by eligibility.questionnaire."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from eligibility import suggestions
from eligibility.kinds import Choice
from eligibility.models import Content
from eligibility.questionnaire_def import Messages, Question, Questionnaire, get_questionnaire
from eligibility.text import fold, folded_set

Intent = Literal["back", "restart", "leave", "help", "menu"]


def _q(questionnaire: Questionnaire | None) -> Questionnaire:
    return questionnaire or get_questionnaire()


def display(question: Question, value: Any, messages: Messages) -> str:
    """An answer as the user should see it in the summary."""
    if value is None:
        return messages.skipped
    return question.answer_kind.display(question, value, messages)


class _HasPending(Protocol):
    pending: dict[str, Any] | None


def choices(
    question: Question,
    questionnaire: Questionnaire | None = None,
    content: Content | None = None,
    session: _HasPending | None = None,
) -> list[Choice]:
    """The buttons of a question (none for typed answers); with `session`, what the engine
    suggested after an unclear answer comes first."""
    own = question.answer_kind.choices(question, _q(questionnaire).messages, content)
    return [*pending_choices(session, question), *own]


def pending_choices(session: _HasPending | None, question: Question | None) -> list[Choice]:
    """The suggestions waiting for an answer to `question` (eligibility/suggestions.py)."""
    return suggestions.offered(session.pending if session is not None else None, question)


def typed_hint(question: Question, questionnaire: Questionnaire | None = None) -> str | None:
    """What to tell someone typing the answer (e.g. "(evet / hayır)", or that it may be
    skipped)."""
    messages = _q(questionnaire).messages
    hint = question.answer_kind.typed_hint(question, messages)
    if hint is None and not question.required:
        return messages.skip_hint
    return hint


def intent(raw: str, questionnaire: Questionnaire | None = None) -> Intent | None:
    """What a typed navigation word asks for, if the text is one: back, restart, and for the
    terminal quit and help."""
    word = fold(raw or "").strip(" .!")
    if not word:
        return None
    messages = _q(questionnaire).messages
    for name, words in (
        ("back", messages.back_words),
        ("restart", messages.restart_words),
        ("leave", messages.quit_words),
        ("help", messages.help_words),
        ("menu", messages.menu_words),
    ):
        if word in folded_set(tuple(words)):
            return name  # type: ignore[return-value]
    return None


def confirm_answer(questionnaire: Questionnaire | None = None) -> str:
    """The text that confirms the summary (what its button sends)."""
    return _q(questionnaire).messages.answer_yes


def parse_answer(question: Question, raw: str, questionnaire: Questionnaire | None = None) -> Any:
    """The canonical value of an answer; ValidationProblem when it cannot be used."""
    return question.answer_kind.parse(question, raw, _q(questionnaire).messages)


def parse_typed(question: Question, raw: str, questionnaire: Questionnaire | None = None) -> Any:
    """A typed answer's value: None for a skip word ("geç") where the question may be
    skipped, else `parse_answer`; ValidationProblem when it cannot be used (an edited
    answer, eligibility/questionnaire_edit.py)."""
    skip_words = folded_set(tuple(_q(questionnaire).messages.skip_words))
    if not question.required and fold(raw or "") in skip_words:
        return None
    return parse_answer(question, raw, questionnaire)
