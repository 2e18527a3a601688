"""The questionnaire's definition: content/questionnaire.yaml, validated and expanded.

The definition is data (reviewed like the rest of content/): paths, questions with their
answer kinds (eligibility/kinds/), branches (`when`), and the words the engine interprets.
`- include: readiness` expands to one yes/no question per readiness expectation of
rules.yaml. The engine that walks it is eligibility/questionnaire.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from eligibility.kinds import AnswerKind, kind_for
from eligibility.models import Rules
from eligibility.validators import load_part

READINESS_PREFIX = "readiness."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: str
    label: str
    aliases: list[str] = []
    min: int | None = None  # size bands: employees from…
    max: int | None = None  # …to (none: and more)


class Question(_Strict):
    id: str
    label: str  # short name for the summary
    text: str
    kind: str  # a name registered in eligibility/kinds/
    help: str
    options: list[Option] = []
    when: dict[str, Any] | None = None  # {question id: value or [values]}
    required: bool = True

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        kind_for(kind)  # ValueError naming the valid kinds
        return kind

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Question:
        uses_options = kind_for(self.kind).uses_options
        if uses_options and not self.options:
            raise ValueError(f"'{self.kind}' türündeki soru için options gerekli")
        if not uses_options and self.options:
            raise ValueError(f"'{self.kind}' türündeki soruda options olamaz")
        return self

    @property
    def answer_kind(self) -> AnswerKind:
        return kind_for(self.kind)


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
    """The questionnaire's own words. Navigation, skip and yes/no words are interpreted by
    the engine alone (`intent`, `answer`); front ends ask it instead of keeping lists."""

    invalid: str
    skip_words: list[str]
    back_words: list[str]  # typed instead of an answer: go back one question
    restart_words: list[str]  # typed instead of an answer: start over
    quit_words: list[str]  # the terminal chat: leave (nothing is saved)
    help_words: list[str]  # the terminal chat: show the commands
    yes_words: list[str]
    no_words: list[str]
    yesno_invalid: str  # the answer to a yes/no question was neither
    yesno_hint: str  # typed-answer hint of a yes/no question
    menu_words: list[str]  # typed instead of an answer: the menu (the walk is kept)
    unknown_words: list[str]  # "bilmiyorum": an answer to the readiness questions
    answer_unknown: str  # how that answer is shown (and its button)
    readiness_hint: str  # typed-answer hint of a readiness question
    notice_words: list[str]  # having read the KVKK information notice ("okudum")
    notice_invalid: str  # the answer to the notice was not an acknowledgement
    notice_hint: str  # typed-answer hint of the notice step
    notice_read: str  # how the acknowledgement is shown in the summary
    skip_hint: str  # an optional question may be skipped
    summary_title: str
    summary_prompt: str
    skipped: str
    answer_yes: str
    answer_no: str
    already_first: str
    suggestion_hint: str  # after "Bunu mu demek istediniz: …?": how to accept or refuse
    suggestion_declined: str  # the user said no to a suggestion
    employee_count_invalid: str  # the employee question: a head-count of at least 1
    name_needs_letters: str  # a person's name: letters, and not an answer word
    text_needs_letters: str  # a firm name, the needs text: letters or digits


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
                        kind="readiness",
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
            for ref in q.when or {}:
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
