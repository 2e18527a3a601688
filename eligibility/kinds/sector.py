"""`nace`: a firm's sector in its own words, mapped to a NACE Rev. 2 division
(content/nace.yaml, eligibility/nace.py). A certain match is the answer (the division code);
an unsure one is offered for confirmation (buttons in Telegram, "evet" anywhere); a code
("31") is taken as typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind
from eligibility.validators import ValidationProblem

if TYPE_CHECKING:
    from eligibility.questionnaire_def import Messages, Question

MAX_LABEL = 60  # characters of a suggestion button


def division_label(code: str) -> str:
    from eligibility.nace import division_name

    label = f"{code} — {division_name(code)}"
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


@register
class SectorKind(AnswerKind):
    name = "nace"

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        from eligibility.nace import get_nace, match_sector

        match = match_sector(raw)
        if match.code is not None:
            return match.code
        messages = get_nace().messages
        if not match.candidates:
            raise ValidationProblem(messages.unknown)
        labels = [division_label(code) for code in match.candidates]
        raise ValidationProblem(
            messages.unsure.replace("{options}", " ya da ".join(labels)),
            choices=list(zip(labels, match.candidates, strict=True)),
        )

    def display(self, question: Question, value: Any, words: Messages) -> str:
        from eligibility.nace import division_name

        return f"{division_name(str(value))} ({value})"
