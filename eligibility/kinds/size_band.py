"""`size_band`: a firm-size band. The bands are the question's options in
content/questionnaire.yaml (value, label, `min`/`max` employees, words such as "mikro" as
aliases); an answer is a head-count, a band written out ("10-49") or an option's label.
A typed number is always a head-count ("3" is three employees, never option 3); the option
buttons answer with the band itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from eligibility.kinds import register
from eligibility.kinds.base import AnswerKind, Choice
from eligibility.kinds.choice import match_option, option_label
from eligibility.text import fold
from eligibility.validators import ValidationProblem, parse_count

if TYPE_CHECKING:
    from eligibility.models import Content
    from eligibility.questionnaire_def import Messages, Option, Question


def _bands(question: Question) -> list[Option]:
    return [o for o in question.options if o.min is not None]


def _listed(question: Question) -> str:
    return ", ".join(o.label for o in question.options)


def band_for(question: Question, employees: int, words: Messages | None = None) -> str:
    """The band of a head-count."""
    for option in _bands(question):
        low = option.min if option.min is not None else 0
        if employees >= low and (option.max is None or employees <= option.max):
            return option.value
    raise ValidationProblem(words.employee_count_invalid if words else "Çalışan sayısı en az 1.")


def parse_band(question: Question, text: str, words: Messages | None = None) -> str:
    """A band from a band as written ("10-49", "250+", "250 ve üzeri"), a word or a count."""
    folded = fold(text or "")
    compact = re.sub(r"\s+", "", folded).replace("–", "-").replace("—", "-")
    compact = re.sub(r"(calisan|kisi|personel)$", "", compact)
    for option in question.options:
        if compact == fold(option.value).replace(" ", ""):
            return option.value
    top = [o for o in _bands(question) if o.max is None]
    if top and re.fullmatch(rf"{top[0].min}(\+|veuzeri|vefazla|ustu)", compact):
        return top[0].value
    written = re.fullmatch(r"(\d+)-(\d+)", compact)
    if written:
        low, high = int(written.group(1)), int(written.group(2))
        for option in _bands(question):
            if option.max is not None and low >= (option.min or 0) and high <= option.max:
                return option.value
        raise ValidationProblem(f"Bu aralık bantlardan birine denk gelmiyor: {_listed(question)}.")
    for option in question.options:
        for alias in option.aliases:
            if re.search(rf"\b{re.escape(fold(alias))}\b", folded):
                return option.value
    try:
        count = parse_count(text)
    except ValidationProblem as exc:
        raise ValidationProblem(
            f"Çalışan sayısını ya da bandı yazın: {_listed(question)}."
        ) from exc
    return band_for(question, count, words)


@register
class SizeBandKind(AnswerKind):
    name = "size_band"
    uses_options = True

    def parse(self, question: Question, raw: str, words: Messages) -> Any:
        try:
            return match_option(question, raw, numbers=False)
        except ValidationProblem:
            return parse_band(question, raw, words)

    def choices(
        self, question: Question, words: Messages, content: Content | None = None
    ) -> list[Choice]:
        # the band itself, not its number: a typed "3" is a head-count
        return [Choice(option.label, option.value) for option in question.options]

    def display(self, question: Question, value: Any, words: Messages) -> str:
        return option_label(question, value)
