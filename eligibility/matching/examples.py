"""content/match_examples.yaml: the labelled texts the meaning stage's classifier learns
from (needs, FAQ questions, off-topic messages from retired evaluation sets), each with the
set it came from so that a measurement can leave that set out."""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from eligibility.content import ContentError, content_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Labelled(_Strict):
    text: str
    ids: list[str]
    source: str

    def classes(self, keys: dict[str, int]) -> tuple[str, list[tuple[int, float]]]:
        """The text and its classes as the classifier learns them: an example two ids accept
        counts half for each (ids not in `keys` are dropped)."""
        return self.text, [(keys[i], 1.0 / len(self.ids)) for i in self.ids if i in keys]


class Unlabelled(_Strict):
    text: str
    source: str


class Examples(_Strict):
    needs: list[Labelled] = []
    offtopic: list[Unlabelled] = []
    faq: list[Labelled] = []

    def without(self, sources: Collection[str]) -> Examples:
        """The examples of every source but these (to measure on a set left out)."""
        if not sources:
            return self
        return Examples(
            needs=[e for e in self.needs if e.source not in sources],
            offtopic=[e for e in self.offtopic if e.source not in sources],
            faq=[e for e in self.faq if e.source not in sources],
        )


def load_examples(path: Path | str | None = None) -> Examples:
    p = Path(path) if path else content_dir() / "match_examples.yaml"
    try:
        # two thousand lines: libyaml's loader where PyYAML has it (0.07 s against 1.4 s)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
        return Examples.model_validate(data or {})
    except FileNotFoundError:
        return Examples()  # a content without examples: the classifier learns from seeds
    except (yaml.YAMLError, ValueError) as exc:
        raise ContentError(f"{p}: geçersiz örnek dosyası: {exc}") from exc


@functools.cache
def get_examples() -> Examples:
    """The examples of content_dir(), loaded once per process."""
    return load_examples()
