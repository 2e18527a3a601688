"""Questionnaire engine over content/questionnaire.yaml.

The definition is data (reviewed like the rest of content/); the engine is pure: a `Session`
holds only JSON values, so a front end can persist it between messages and resume. Each
call returns a `Step`: the next question, a re-ask (invalid answer), the summary before
anything is saved, or the result.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from eligibility.models import Rules
from eligibility.validators import (
    ValidationProblem,
    find_province,
    fold,
    format_phone,
    load_part,
    parse_count,
    parse_email,
    parse_phone,
    parse_size_band,
    parse_yesno,
)

Kind = Literal[
    "choice", "size_band", "count", "text", "phone", "email", "province", "yesno", "consent",
    "needs",
]  # fmt: skip
READINESS_PREFIX = "readiness."
_OPTION_KINDS = {"choice", "size_band"}


# --- definition ----------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: str
    label: str
    aliases: list[str] = []


class Question(_Strict):
    id: str
    label: str  # short name for the summary
    text: str
    kind: Kind
    help: str
    options: list[Option] = []
    when: dict[str, Any] | None = None  # {question id: value or [values]}
    required: bool = True

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Question:
        if self.kind in _OPTION_KINDS and not self.options:
            raise ValueError(f"'{self.kind}' türündeki soru için options gerekli")
        if self.kind not in _OPTION_KINDS and self.options:
            raise ValueError(f"'{self.kind}' türündeki soruda options olamaz")
        return self


class Include(_Strict):
    include: Literal["readiness"]
    help: str


class PathDef(_Strict):
    id: str
    title: str
    intro: str
    result: Literal["eligibility", "firm"]
    questions: list[Question | Include] = Field(min_length=1)


class Messages(_Strict):
    invalid: str
    skip_words: list[str]
    back_words: list[str] = []  # typed instead of an answer: go back one question
    restart_words: list[str] = []  # typed instead of an answer: start over
    summary_title: str
    summary_prompt: str
    skipped: str
    answer_yes: str
    answer_no: str
    already_first: str


class QuestionnaireFile(_Strict):
    version: int
    messages: Messages
    paths: list[PathDef] = Field(min_length=1)


@dataclass(frozen=True)
class Path_:
    """A path with includes expanded: the questions actually walked."""

    id: str
    title: str
    intro: str
    result: str
    questions: tuple[Question, ...]

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


@dataclass(frozen=True)
class Questionnaire:
    messages: Messages
    paths: dict[str, Path_]


def load_questionnaire(directory: Path | str | None = None) -> Questionnaire:
    """Load, validate and expand questionnaire.yaml; ContentError names file and field."""
    from eligibility.content import ContentError, _read_yaml, _validate, content_dir

    root = Path(directory) if directory else content_dir()
    file = root / "questionnaire.yaml"
    raw: QuestionnaireFile = _validate(QuestionnaireFile, _read_yaml(file), file)
    rules: Rules = load_part("rules", Rules, root)
    paths: dict[str, Path_] = {}
    for i, path in enumerate(raw.paths):
        where = f"{file}: paths.{i}"
        if path.id in paths:
            raise ContentError(f"{where}.id: '{path.id}' yolu iki kez tanımlanmış")
        questions: list[Question] = []
        for item in path.questions:
            if isinstance(item, Include):
                questions.extend(
                    Question(
                        id=f"{READINESS_PREFIX}{exp.id}",
                        label=exp.title,
                        text=exp.question,
                        kind="yesno",
                        help=item.help,
                    )
                    for exp in rules.readiness
                )
            else:
                questions.append(item)
        seen: dict[str, Question] = {}
        for j, q in enumerate(questions):
            if q.id in seen:
                raise ContentError(f"{where}.questions.{j}.id: '{q.id}' iki kez kullanılmış")
            for ref in (q.when or {}):
                if ref not in seen:
                    raise ContentError(
                        f"{where}.questions.{j}.when: '{ref}' bu sorudan önce sorulmuyor"
                    )
            seen[q.id] = q
        if path.result == "firm":
            missing = {"firm", "province", "needs", "consent"} - set(seen)
            if missing:
                raise ContentError(f"{where}.questions: eksik soru(lar) {sorted(missing)}")
        paths[path.id] = Path_(path.id, path.title, path.intro, path.result, tuple(questions))
    return Questionnaire(messages=raw.messages, paths=paths)


@functools.cache
def _default_questionnaire(root: str) -> Questionnaire:
    return load_questionnaire(root)


def get_questionnaire() -> Questionnaire:
    from eligibility.content import content_dir

    return _default_questionnaire(str(content_dir()))


# --- session and steps -----------------------------------------------------------------

class Session(BaseModel):
    """Everything the engine needs between two messages; JSON values only."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    path: str
    answers: dict[str, Any] = {}
    stage: Literal["asking", "summary", "done"] = "asking"
    consent_at: str | None = None  # ISO UTC time the KVKK consent was given

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls.model_validate(data)


@dataclass
class Result:
    path: str
    answers: dict[str, Any]
    verdict: Any = None  # eligibility.rules.Verdict for the kume path
    matches: list[Any] = field(default_factory=list)  # eligibility.matcher.Match
    routing: Any = None  # eligibility.routing.Routing for the firma path
    consent: bool = False


@dataclass
class Step:
    kind: Literal["question", "reask", "summary", "result"]
    question: Question | None = None
    number: int = 0
    total: int = 0
    message: str | None = None  # why an answer was refused, or a note ("already first")
    hint: str | None = None
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, answer shown)
    prompt: str | None = None  # what to type at the summary
    result: Result | None = None

    @property
    def progress(self) -> str:
        return f"{self.number}/{self.total}"


def _q(questionnaire: Questionnaire | None) -> Questionnaire:
    return questionnaire or get_questionnaire()


def _path(session: Session, questionnaire: Questionnaire | None) -> Path_:
    paths = _q(questionnaire).paths
    if session.path not in paths:
        raise ValueError(f"Bilinmeyen soru yolu: {session.path!r} (geçerli: {', '.join(paths)})")
    return paths[session.path]


def _applies(question: Question, answers: dict[str, Any]) -> bool:
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
    return [q for q in _path(session, questionnaire).questions if _applies(q, session.answers)]


def _prune(session: Session, path: Path_) -> None:
    """Drop answers to questions that no longer apply (e.g. after changing a branch)."""
    kept: dict[str, Any] = {}
    for q in path.questions:
        if q.id in session.answers and _applies(q, kept):
            kept[q.id] = session.answers[q.id]
    session.answers = kept
    if session.answers.get("consent") is not True:
        session.consent_at = None


def start(path_id: str, questionnaire: Questionnaire | None = None) -> Session:
    session = Session(path=path_id)
    _path(session, questionnaire)  # unknown path fails here, not at the first answer
    return session


def current_question(session: Session, questionnaire: Questionnaire | None = None):
    if session.stage != "asking":
        return None
    for q in applicable(session, questionnaire):
        if q.id not in session.answers:
            return q
    return None


def _question_step(
    session: Session, questionnaire: Questionnaire | None, kind: str = "question", **extra: Any
) -> Step:
    question = current_question(session, questionnaire)
    if question is None:
        return _summary_step(session, questionnaire)
    qs = applicable(session, questionnaire)
    total = len(qs) + _pending_branch_size(session, questionnaire)
    return Step(kind=kind, question=question, number=qs.index(question) + 1, total=total, **extra)


def _pending_branch_size(session: Session, questionnaire: Questionnaire | None) -> int:
    """Questions still to come behind an unanswered condition, counted once per branch:
    "sanayi odası var mı?" leads to one of two questions, so it adds 1, not 2."""
    branches: dict[tuple[str, ...], dict[str, int]] = {}
    for q in _path(session, questionnaire).questions:
        refs = tuple(sorted(q.when or {}))
        if refs and any(ref not in session.answers for ref in refs):
            outcome = repr(sorted((q.when or {}).items()))
            counts = branches.setdefault(refs, {})
            counts[outcome] = counts.get(outcome, 0) + 1
    return sum(max(counts.values()) for counts in branches.values())


def current_step(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    """What to show now, e.g. after resuming a persisted session."""
    if session.stage == "done":
        return Step(kind="result", result=compute_result(session, questionnaire))
    if session.stage == "summary":
        return _summary_step(session, questionnaire)
    return _question_step(session, questionnaire)


def _summary_step(session: Session, questionnaire: Questionnaire | None) -> Step:
    session.stage = "summary"
    messages = _q(questionnaire).messages
    return Step(
        kind="summary",
        summary=summary(session, questionnaire),
        message=messages.summary_title,
        prompt=messages.summary_prompt,
    )


def display(question: Question, value: Any, messages: Messages) -> str:
    """An answer as the user should see it in the summary."""
    if value is None:
        return messages.skipped
    if isinstance(value, bool):
        return messages.answer_yes if value else messages.answer_no
    if question.kind in _OPTION_KINDS:
        for option in question.options:
            if option.value == value:
                return option.label
    if question.kind == "phone":
        return format_phone(value)
    return str(value)


def summary(session: Session, questionnaire: Questionnaire | None = None) -> list[tuple[str, str]]:
    messages = _q(questionnaire).messages
    return [
        (q.label, display(q, session.answers[q.id], messages))
        for q in applicable(session, questionnaire)
        if q.id in session.answers
    ]


def match_option(question: Question, raw: str) -> str:
    """An option value from its number, value, label or alias (case/diacritics ignored)."""
    text = fold(raw).strip(" .)")
    if text.isdigit() and len(text) <= 3 and 1 <= int(text) <= len(question.options):
        return question.options[int(text) - 1].value
    for option in question.options:
        if text in {fold(option.value), fold(option.label), *map(fold, option.aliases)}:
            return option.value
    if len(text) >= 3:
        hits = [o.value for o in question.options if fold(o.label).startswith(text)]
        if len(hits) == 1:
            return hits[0]
    listed = ", ".join(f"{i}) {o.label}" for i, o in enumerate(question.options, 1))
    raise ValidationProblem(f"Seçeneklerden birini seçin: {listed}.")


def _parse_text(raw: str, minimum: int, maximum: int) -> str:
    text = " ".join((raw or "").split())
    if len(text) < minimum:
        raise ValidationProblem(f"Biraz daha ayrıntılı yazın (en az {minimum} karakter).")
    if len(text) > maximum:
        raise ValidationProblem(f"Daha kısa yazın (en çok {maximum} karakter).")
    return text


def parse_answer(question: Question, raw: str) -> Any:
    """The canonical value of an answer; ValidationProblem when it cannot be used."""
    kind = question.kind
    if kind == "choice":
        return match_option(question, raw)
    if kind == "size_band":
        try:
            return match_option(question, raw)
        except ValidationProblem:
            return parse_size_band(raw)
    if kind == "count":
        return parse_count(raw)
    if kind in {"yesno", "consent"}:
        return parse_yesno(raw)
    if kind == "phone":
        return parse_phone(raw)
    if kind == "email":
        return parse_email(raw)
    if kind == "province":
        return find_province(raw).name
    if kind == "needs":
        return _parse_text(raw, 3, 1000)
    return _parse_text(raw, 2, 200)


def answer(session: Session, raw: str, questionnaire: Questionnaire | None = None) -> Step:
    """Apply one message from the user and say what comes next."""
    path = _path(session, questionnaire)
    messages = _q(questionnaire).messages
    if session.stage == "done":
        return current_step(session, questionnaire)
    # Navigation words work the same in every front end and at every stage.
    word = fold(raw or "")
    if word and word in {fold(w) for w in messages.back_words}:
        return back(session, questionnaire)
    if word and word in {fold(w) for w in messages.restart_words}:
        return restart(session, questionnaire)
    if session.stage == "summary":
        try:
            confirmed = parse_yesno(raw)
        except ValidationProblem:
            step = _summary_step(session, questionnaire)
            step.kind = "reask"
            step.hint = messages.summary_prompt
            return step
        if not confirmed:
            return back(session, questionnaire)
        session.stage = "done"
        return Step(kind="result", result=compute_result(session, questionnaire))

    question = current_question(session, questionnaire)
    if question is None:
        return _summary_step(session, questionnaire)
    skip_words = {fold(w) for w in messages.skip_words}
    try:
        if not question.required and fold(raw or "") in skip_words:
            value = None
        else:
            value = parse_answer(question, raw)
    except ValidationProblem as problem:
        return _question_step(
            session,
            questionnaire,
            kind="reask",
            message=f"{messages.invalid} {problem.message}",
            hint=question.help,
        )
    session.answers[question.id] = value
    if question.kind == "consent" and value is True:
        session.consent_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _prune(session, path)
    return _question_step(session, questionnaire)


def back(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    """Go back one question, over the ones that were skipped; its answer is cleared."""
    path = _path(session, questionnaire)
    current = current_question(session, questionnaire)
    answered = [q for q in applicable(session, questionnaire) if q.id in session.answers]
    if current is not None:
        index = [q.id for q in path.questions].index(current.id)
        before = {q.id for q in path.questions[:index]}
        answered = [q for q in answered if q.id in before]
    if not answered:
        return _question_step(
            session, questionnaire, message=_q(questionnaire).messages.already_first
        )
    del session.answers[answered[-1].id]
    session.stage = "asking"
    _prune(session, path)
    return _question_step(session, questionnaire)


def restart(session: Session, questionnaire: Questionnaire | None = None) -> Step:
    session.answers = {}
    session.stage = "asking"
    session.consent_at = None
    return _question_step(session, questionnaire)


# --- result --------------------------------------------------------------------------

def association_from(answers: dict[str, Any]):
    from eligibility.rules import Association

    return Association(
        chambers_of_industry=answers.get("chambers_of_industry") or 0,
        chambers_of_commerce_and_industry=answers.get("chambers_of_commerce_and_industry") or 0,
        universities=answers.get("universities") or 0,
        chamber_of_industry_in_region=bool(answers.get("chamber_of_industry_in_region")),
        committed_firms=answers.get("committed_firms") or 0,
    )


def readiness_from(answers: dict[str, Any]) -> dict[str, bool]:
    return {
        key[len(READINESS_PREFIX) :]: value
        for key, value in answers.items()
        if key.startswith(READINESS_PREFIX) and isinstance(value, bool)
    }


def match_needs(text: str) -> list[Any]:
    try:
        from eligibility.matcher import match_needs as _match
    except ModuleNotFoundError as exc:  # a checkout without the matcher still routes firms
        if exc.name != "eligibility.matcher":
            raise
        return []
    return list(_match(text))


def compute_result(session: Session, questionnaire: Questionnaire | None = None) -> Result:
    """The verdict (kume) or matches + Knowledge Centre (firma) of a confirmed session."""
    path = _path(session, questionnaire)
    answers = dict(session.answers)
    if path.result == "eligibility":
        from eligibility.rules import evaluate

        verdict = evaluate(association_from(answers), readiness=readiness_from(answers))
        return Result(path=path.id, answers=answers, verdict=verdict)
    from eligibility.routing import centre_for

    return Result(
        path=path.id,
        answers=answers,
        matches=match_needs(answers.get("needs") or ""),
        routing=centre_for(answers["province"]) if answers.get("province") else None,
        consent=answers.get("consent") is True,
    )
