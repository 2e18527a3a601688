"""Correcting an earlier answer from an edited message, for every front end.

Chosen behaviour (issue 9): an edited message never answers the *current* question. When it
was the typed answer to a question still in the walk (Session.answer_refs), the edit
corrects *that* answer: re-validated like a new answer, branches that no longer apply
dropped as after any change, and the user told in one line. Why this and not only "type
«geri» to change an answer": in Telegram, editing a message is how people fix a typo, and
«geri» goes back one question at a time, clearing each answer on the way - fixing the firm's
name at the phone question would mean typing six answers again. The summary still shows
every answer before anything is saved, and an edit after the confirmation changes nothing
(the walk is no longer there to correct).
"""

from __future__ import annotations

from dataclasses import dataclass

from eligibility.questionnaire import (
    Question,
    Questionnaire,
    Session,
    Step,
    applicable,
    current_step,
    display,
    get_questionnaire,
    parse_typed,
    set_answer,
)
from eligibility.validators import ValidationProblem


@dataclass
class Correction:
    question: Question
    applied: bool
    shown: str  # the question's answer as the summary shows it now (new, or the one kept)
    problem: str | None  # why the edited text could not be used
    step: Step  # what to show next: the current question or the summary


def answered_by(
    session: Session, ref: str, questionnaire: Questionnaire | None = None
) -> Question | None:
    """The question of the walk whose current answer came from the message `ref`, if any
    (None when that answer was cleared, or the walk is confirmed)."""
    if session.stage == "done":
        return None
    for question in applicable(session, questionnaire):
        if session.answer_refs.get(question.id) == ref and question.id in session.answers:
            return question
    return None


def correct(
    session: Session, question: Question, raw: str, questionnaire: Questionnaire | None = None
) -> Correction:
    """Replaces the answer to `question` (one of `answered_by`) with the edited text."""
    definition = questionnaire or get_questionnaire()
    messages = definition.messages
    try:
        value = parse_typed(question, raw, definition)
    except ValidationProblem as problem:
        shown = display(question, session.answers.get(question.id), messages)
        return Correction(
            question, False, shown, problem.message, current_step(session, definition)
        )
    ref = session.answer_refs.get(question.id)
    set_answer(session, question, value, definition, ref)
    # The answers changed: a summary already shown no longer holds, nor does its key; the
    # walk goes on from the first open question (a changed branch may have opened one).
    session.stage = "asking"
    session.submission_key = None
    return Correction(
        question, True, display(question, value, messages), None, current_step(session, definition)
    )
