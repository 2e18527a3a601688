"""Which questions of a walk apply: a question with `when` applies once the answers it
refers to hold; answers to questions that no longer apply are dropped (`prune`), and the
progress counts the questions still behind an unanswered branch once per branch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.questionnaire_def import Path_, Question, Questionnaire, get_questionnaire

if TYPE_CHECKING:
    from eligibility.questionnaire_session import Session


def definition(questionnaire: Questionnaire | None) -> Questionnaire:
    return questionnaire or get_questionnaire()


def path_of(session: Session, questionnaire: Questionnaire | None) -> Path_:
    paths = definition(questionnaire).paths
    if session.path not in paths:
        raise ValueError(f"Bilinmeyen soru yolu: {session.path!r} (geçerli: {', '.join(paths)})")
    return paths[session.path]


def applies(question: Question, answers: dict[str, Any]) -> bool:
    for ref, expected in (question.when or {}).items():
        if ref not in answers:
            return False
        got = answers[ref]
        if isinstance(expected, list):
            if got not in expected:
                return False
        elif got != expected or type(got) is not type(expected):
            return False
    return True


def applicable(session: Session, questionnaire: Questionnaire | None = None) -> list[Question]:
    """Questions that apply given the answers so far (later branches unknown yet)."""
    return [q for q in path_of(session, questionnaire).questions if applies(q, session.answers)]


def prune(session: Session, path: Path_) -> None:
    """Drop answers to questions that no longer apply (e.g. after changing a branch), and
    the KVKK times whose answer is gone."""
    kept: dict[str, Any] = {}
    for q in path.questions:
        if q.id in session.answers and applies(q, kept):
            kept[q.id] = session.answers[q.id]
    session.answers = kept
    session.answer_refs = {k: v for k, v in session.answer_refs.items() if k in kept}
    for q in path.questions:
        if kept.get(q.id) is not True:
            if q.answer_kind.records_consent:
                session.consent_at = None
            if q.answer_kind.records_notice:
                session.notice_at = None


def pending_branch_size(session: Session, questionnaire: Questionnaire | None) -> int:
    """Questions still to come behind an unanswered condition, counted once per branch:
    "sanayi odası var mı?" leads to one of two questions, so it adds 1, not 2."""
    branches: dict[tuple[str, ...], dict[str, int]] = {}
    for q in path_of(session, questionnaire).questions:
        refs = tuple(sorted(q.when or {}))
        if refs and any(ref not in session.answers for ref in refs):
            outcome = repr(sorted((q.when or {}).items()))
            counts = branches.setdefault(refs, {})
            counts[outcome] = counts.get(outcome, 0) + 1
    return sum(max(counts.values()) for counts in branches.values())
