"""Questionnaire engine over content/questionnaire.yaml (its definition:
eligibility/questionnaire_def.py).

The engine is pure: a `Session` holds only JSON values, so a front end can persist it
between messages and resume. Each call returns a `Step`: the next question, a re-ask
(invalid answer), the summary before anything is saved, or the result. Front ends ask the
engine about every word (`intent`), every question's buttons (`choices`) and hints
(`typed_hint`); they keep no lists of their own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from eligibility import suggestions
from eligibility.kinds import Choice
from eligibility.kinds.yesno import parse_yesno
from eligibility.questionnaire_ask import (
    Intent,
    choices,
    confirm_answer,
    display,
    intent,
    parse_answer,
    parse_typed,
    pending_choices,
    typed_hint,
)
from eligibility.questionnaire_def import (
    READINESS_PREFIX,
    Include,
    Messages,
    Option,
    Path_,
    PathDef,
    Question,
    Questionnaire,
    get_questionnaire,
    load_questionnaire,
)
from eligibility.questionnaire_paths import (
    applicable,
    definition,
    path_of,
    pending_branch_size,
    prune,
)
from eligibility.questionnaire_result import (
    Result,
    association_from,
    compute_result,
    match_needs,
    readiness_from,
)
from eligibility.questionnaire_session import Session, Step
from eligibility.text import fold, folded_set
from eligibility.validators import ValidationProblem

__all__ = [
    "READINESS_PREFIX", "Choice", "Include", "Intent", "Messages", "Option", "PathDef", "Path_",
    "Question", "Questionnaire", "Result", "Session", "Step", "answer", "applicable",
    "association_from", "back", "choices", "compute_result", "confirm_answer",
    "current_question", "current_step", "display", "get_questionnaire", "help_step", "intent",
    "keep_previous", "load_questionnaire", "match_needs", "new_submission_key", "parse_answer",
    "parse_typed", "pending_choices", "readiness_from", "restart", "set_answer", "start",
    "summary", "typed_hint",
]  # fmt: skip


def _offers_previous(question: Question) -> bool:
    # KVKK steps are acts of their own each time: never "kept" from an earlier answer.
    kind = question.answer_kind
    return not (kind.records_consent or kind.records_notice)


def start(
    path_id: str,
    questionnaire: Questionnaire | None = None,
    *,
    earlier_verdict: dict[str, Any] | None = None,
) -> Session:
    session = Session(path=path_id, earlier_verdict=earlier_verdict)
    path_of(session, questionnaire)  # unknown path fails here, not at the first answer
    return session


def current_question(
    session: Session, questionnaire: Questionnaire | None = None
) -> Question | None:
    if session.stage != "asking":
        return None
    for q in applicable(session, questionnaire):
        if q.id not in session.answers:
            return q
    return None


def _question_step(
    session: Session,
    questionnaire: Questionnaire | None,
    kind: Literal["question", "reask"] = "question",
    **extra: Any,
) -> Step:
    question = current_question(session, questionnaire)
    if question is None:
        return _summary_step(session, questionnaire)
    qs = applicable(session, questionnaire)
    total = len(qs) + pending_branch_size(session, questionnaire)
    previous = None
    if question.id in session.previous and _offers_previous(question):
        messages = definition(questionnaire).messages
        previous = display(question, session.previous[question.id], messages)
    return Step(
        kind=kind,
        question=question,
        number=qs.index(question) + 1,
        total=total,
        previous=previous,
        **extra,
    )


def new_submission_key() -> str:
    return uuid.uuid4().hex


def _result_step(session: Session, questionnaire: Questionnaire | None) -> Step:
    # A session confirmed by an older version may lack the key; it gets one before any save.
    session.submission_key = session.submission_key or new_submission_key()
    return Step(kind="result", result=compute_result(session, questionnaire))


def current_step(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    """What to show now, e.g. after resuming a persisted session."""
    if session.stage == "done":
        return _result_step(session, questionnaire)
    if session.stage == "summary":
        return _summary_step(session, questionnaire)
    return _question_step(session, questionnaire)


def _summary_step(session: Session, questionnaire: Questionnaire | None) -> Step:
    session.stage = "summary"
    session.submission_key = session.submission_key or new_submission_key()
    messages = definition(questionnaire).messages
    return Step(
        kind="summary",
        summary=summary(session, questionnaire),
        message=messages.summary_title,
        prompt=messages.summary_prompt,
    )


def summary(session: Session, questionnaire: Questionnaire | None = None) -> list[tuple[str, str]]:
    messages = definition(questionnaire).messages
    return [
        (q.label, display(q, session.answers[q.id], messages))
        for q in applicable(session, questionnaire)
        if q.id in session.answers
    ]


def answer(
    session: Session,
    raw: str,
    questionnaire: Questionnaire | None = None,
    *,
    ref: str | None = None,
) -> Step:
    """Apply one message from the user and say what comes next. `ref` names the message
    (see Session.answer_refs) when it was typed, so that an edit of it can be recognised."""
    path_of(session, questionnaire)  # an unknown path fails here
    messages = definition(questionnaire).messages
    if session.stage == "done":
        return current_step(session, questionnaire)
    # Navigation words work the same in every front end and at every stage.
    wanted = intent(raw, questionnaire)
    if wanted == "back":
        return back(session, questionnaire)
    if wanted == "restart":
        return restart(session, questionnaire)
    if wanted is not None:  # help, menu, leave: never taken as an answer
        return help_step(session, questionnaire)
    if session.stage == "summary":
        try:
            confirmed = parse_yesno(raw, messages)
        except ValidationProblem:
            step = _summary_step(session, questionnaire)
            step.kind = "reask"
            step.hint = messages.summary_prompt
            return step
        if not confirmed:
            return back(session, questionnaire)
        session.stage = "done"
        return _result_step(session, questionnaire)

    question = current_question(session, questionnaire)
    if question is None:
        return _summary_step(session, questionnaire)
    skip_words = folded_set(tuple(messages.skip_words))
    offered = pending_choices(session, question)
    session.pending = None
    try:
        if not question.required and fold(raw or "") in skip_words:
            value = None
        else:
            text = suggestions.take(offered, raw, messages)  # "evet" takes a suggestion
            if text is None:
                return _question_step(
                    session, questionnaire, kind="reask", message=messages.suggestion_declined,
                    hint=question.help,
                )  # fmt: skip
            value = parse_answer(question, text, questionnaire)
    except ValidationProblem as problem:
        session.pending = suggestions.keep(problem, question)
        if session.pending:  # "Bunu mu demek istediniz: Kocaeli?" with its buttons
            return _question_step(
                session, questionnaire, kind="reask", message=problem.message,
                hint=messages.suggestion_hint, suggestions=pending_choices(session, question),
            )  # fmt: skip
        # One message per problem: what was wrong and how to answer (the validators say
        # both); the question's help is for "yardım", not repeated under every error.
        return _question_step(session, questionnaire, kind="reask", message=problem.message)
    set_answer(session, question, value, questionnaire, ref)
    return _question_step(session, questionnaire)


def set_answer(
    session: Session,
    question: Question,
    value: Any,
    questionnaire: Questionnaire | None = None,
    ref: str | None = None,
) -> None:
    """Stores a parsed answer (the KVKK steps with their time) and drops what no longer
    applies; `ref`: the typed message it came from (None: a button, a kept answer)."""
    session.answers[question.id] = value
    session.previous.pop(question.id, None)
    if ref is None:
        session.answer_refs.pop(question.id, None)
    else:
        session.answer_refs[question.id] = ref
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if question.answer_kind.records_consent and value is True:
        session.consent_at = now
    if question.answer_kind.records_notice and value is True:
        session.notice_at = now
    prune(session, path_of(session, questionnaire))


def help_step(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    """The current step again, with the question's help as its hint (nothing changes)."""
    step = current_step(session, questionnaire)
    if step.question is not None:
        step.kind = "reask"
        step.hint = step.question.help
    return step


def keep_previous(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    """Answer the current question with the answer "geri" cleared (the "keep" button)."""
    question = current_question(session, questionnaire)
    if question is None or question.id not in session.previous:
        return current_step(session, questionnaire)
    if not _offers_previous(question):
        return current_step(session, questionnaire)
    set_answer(session, question, session.previous[question.id], questionnaire)
    return _question_step(session, questionnaire)


def back(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    """Go back one question, over the ones that were skipped; its answer is cleared."""
    session.pending = None
    path = path_of(session, questionnaire)
    current = current_question(session, questionnaire)
    answered = [q for q in applicable(session, questionnaire) if q.id in session.answers]
    if current is not None:
        index = [q.id for q in path.questions].index(current.id)
        before = {q.id for q in path.questions[:index]}
        answered = [q for q in answered if q.id in before]
    if not answered:
        return _question_step(
            session, questionnaire, message=definition(questionnaire).messages.already_first
        )
    cleared = answered[-1]
    session.previous[cleared.id] = session.answers.pop(cleared.id)
    session.stage = "asking"
    session.submission_key = None
    prune(session, path)
    return _question_step(session, questionnaire)


def restart(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    session.pending = None
    session.answers = {}
    session.answer_refs = {}
    session.previous = {}
    session.stage = "asking"
    session.consent_at = None
    session.notice_at = None
    session.submission_key = None  # a new walk: its save is a new lead
    return _question_step(session, questionnaire)
