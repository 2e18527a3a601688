"""content/lexicon.yaml: the matcher's extra words (synonyms, paraphrase seeds, off-topic
examples, connectors) and the Turkish templates front ends fill with a match's evidence."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from eligibility.content import ContentError, content_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntryWords(_Strict):
    synonyms: list[str] = []  # extra keyword-stage phrases
    paraphrases: list[str] = []  # sentences for the meaning stage


class OffTopic(_Strict):
    personal_words: list[str] = []
    paraphrases: list[str] = Field(default_factory=list)


class Templates(_Strict):
    evidence: str  # "«{evidence}» ifadeniz için"
    evidence_faq: str


class Lexicon(_Strict):
    templates: Templates
    connectors: list[str] = []
    no_typo: list[str] = []
    weak_words: list[str] = []  # keywords too common to make a need on their own (gate.py)
    firm_words: list[str] = []  # words of a firm's message ("fabrika"): no private person
    question_words: list[str] = []  # words that make a message a question ("mı", "nasıl")
    greetings: list[str] = []  # a message's opening words that the meaning stage skips
    activities: dict[str, EntryWords] = {}
    faq: dict[str, EntryWords] = {}
    offtopic: OffTopic = OffTopic()

    def for_activity(self, activity_id: str) -> EntryWords:
        return self.activities.get(activity_id, _EMPTY)

    def for_faq(self, faq_id: str) -> EntryWords:
        return self.faq.get(faq_id, _EMPTY)


_EMPTY = EntryWords()


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    p = Path(path) if path else content_dir() / "lexicon.yaml"
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        return Lexicon.model_validate(data)
    except FileNotFoundError as exc:
        raise ContentError(f"{p}: dosya yok") from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise ContentError(f"{p}: geçersiz sözlük: {exc}") from exc


@functools.cache
def get_lexicon() -> Lexicon:
    """The lexicon of content_dir(), loaded once per process."""
    return load_lexicon()


def evidence_sentence(evidence: str, faq: bool = False) -> str:
    """The Turkish sentence for a match's evidence («eleman bulamıyoruz» ifadeniz için)."""
    t = get_lexicon().templates
    return (t.evidence_faq if faq else t.evidence).format(evidence=evidence)
