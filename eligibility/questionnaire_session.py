"""What the questionnaire engine keeps between two messages (`Session`, JSON values only:
it is persisted by both front ends) and what it answers each time (`Step`). Re-exported by
eligibility.questionnaire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from eligibility.kinds import Choice
from eligibility.questionnaire_def import Question
from eligibility.questionnaire_result import Result


class Session(BaseModel):
    """Everything the engine needs between two messages; JSON values only."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    path: str
    answers: dict[str, Any] = {}
    stage: Literal["asking", "summary", "done"] = "asking"
    consent_at: str | None = None  # ISO UTC time the KVKK explicit consent was given
    notice_at: str | None = None  # ISO UTC time the KVKK information notice was acknowledged
    # Answers cleared by `back`, offered to keep when their question is shown again.
    previous: dict[str, Any] = {}
    # The verdict (Verdict.to_json()) of an eligibility walk finished before this firm walk
    # in the same conversation: it goes into the firm's lead with the rest of the Result.
    earlier_verdict: dict[str, Any] | None = None
    # What the engine suggested for the current question after an answer it could not use
    # as typed ("Bunu mu demek istediniz: Kocaeli?"): {"question": id, "choices": [[label,
    # answer], …]}. "evet" (or a button) takes the first; any other answer is read as usual.
    pending: dict[str, Any] | None = None
    # Given when the walk reaches the summary, kept through the confirmation: saving the lead
    # is idempotent on it (LeadStore.add), so a save repeated after a crash or a retry returns
    # the first lead instead of making a second one. Changing an answer afterwards (back,
    # restart, a correction) drops it; the next summary gets a new one.
    submission_key: str | None = None
    # question id -> the front end's reference of the typed message that gave its answer
    # (Telegram: the message id), so that editing that message can correct that answer
    # (eligibility/questionnaire_edit.py). Dropped with the answer.
    answer_refs: dict[str, str] = {}

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls.model_validate(data)


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
    previous: str | None = None  # the answer "geri" cleared, as shown; `keep_previous` keeps it
    suggestions: list[Choice] = field(default_factory=list)  # offered after an unclear answer

    @property
    def progress(self) -> str:
        return f"{self.number}/{self.total}"
