"""content/staff.yaml: the words and counting rules of the Knowledge Centre staff tools.

`staff_text("digest.title", centre=…, date=…)` fills one template; an unknown key is a
ContentError-style KeyError naming the file, so a renamed text fails loudly in the tests
(tests/test_staff_words.py checks that every key the code uses exists).
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from eligibility.templates import fill


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SmeRule(_Strict):
    """Who counts as a KOBİ: a firm with fewer employees than `employees_below`."""

    employees_below: int = Field(ge=1)
    basis: str
    firm_roles: list[str]
    chamber_roles: list[str]
    university_roles: list[str]


class StaffWords(_Strict):
    sme_rule: SmeRule
    cluster_threshold_parameter: str
    texts: dict[str, str]

    def text(self, key: str, **values: object) -> str:
        try:
            template = self.texts[key]
        except KeyError:
            raise KeyError(f"content/staff.yaml: texts: '{key}' yok") from None
        return fill(template, {name: str(value) for name, value in values.items()})


def load_staff_words(directory: Path | str | None = None) -> StaffWords:
    from eligibility.content import _read_yaml, _validate, content_dir

    root = Path(directory) if directory else content_dir()
    file = root / "staff.yaml"
    words: StaffWords = _validate(StaffWords, _read_yaml(file), file)
    return words


@functools.cache
def _cached(root: str) -> StaffWords:
    return load_staff_words(root)


def get_staff_words() -> StaffWords:
    from eligibility.content import content_dir

    return _cached(str(content_dir()))


def staff_text(key: str, **values: object) -> str:
    """One staff text of content/staff.yaml, its {placeholders} filled."""
    return get_staff_words().text(key, **values)
