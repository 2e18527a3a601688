"""What the engine suggests after an answer it could not use as typed ("Bunu mu demek
istediniz: Kocaeli?"): a kind raises `ValidationProblem(message, choices=[(label, answer)])`;
the engine keeps the choices in `Session.pending` for that question, the front ends show them
as buttons, and the next answer "evet" takes the first, "hayır" asks again, anything else
is read as typed (a button sends its answer text)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import Choice
from eligibility.kinds.yesno import parse_yesno
from eligibility.validators import ValidationProblem

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question


def offered(pending: dict[str, Any] | None, question: Question | None) -> list[Choice]:
    """The suggestions waiting for an answer to `question`, as buttons."""
    if not pending or question is None or pending.get("question") != question.id:
        return []
    return [Choice(str(label), str(text)) for label, text in pending.get("choices") or []]


def keep(problem: ValidationProblem, question: Question) -> dict[str, Any] | None:
    """The session's `pending` value for a refused answer (JSON only), None without
    suggestions."""
    if not problem.choices:
        return None
    return {"question": question.id, "choices": [[label, text] for label, text in problem.choices]}


def take(choices: list[Choice], raw: str, messages: Messages) -> str | None:
    """The text to read as the answer: the first suggestion for a yes, the answer itself
    otherwise; None for a no (ask again)."""
    if not choices:
        return raw
    try:
        accepted = parse_yesno(raw, messages)
    except ValidationProblem:
        return raw
    return choices[0].answer if accepted else None
