"""What every parser of typed input shares: the Turkish `ValidationProblem` it raises, and
the content parts it reads without loading the whole of content/ (provinces, districts)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from eligibility.models import Province, Provinces


class ValidationProblem(Exception):
    """The input cannot be used; `message` is Turkish and safe to show to the user."""

    def __init__(
        self,
        message: str,
        suggestion: str | None = None,
        choices: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        # What the user probably meant, as (label, answer the parser accepts), best first;
        # the engine offers them and takes "evet" for the first (eligibility/questionnaire.py).
        self.choices = list(choices or ([(suggestion, suggestion)] if suggestion else []))
        self.suggestion = suggestion or (self.choices[0][1] if self.choices else None)

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Every close candidate the message names, best first (the site's tools show them)."""
        return tuple(answer for _, answer in self.choices)


# --- content parts -------------------------------------------------------------------


def load_part(name: str, model: type[BaseModel], directory: Path | str | None = None) -> Any:
    """Load and validate one content file (e.g. provinces.yaml) without the whole content/.

    Lets the validators work while unrelated files are being edited; errors name the file
    and the field like `eligibility.content.load_content`.
    """
    from eligibility.content import content_dir

    root = Path(directory) if directory else content_dir()
    return _load_part_cached(str(root / f"{name}.yaml"), model)


@functools.cache
def _load_part_cached(path: str, model: type[BaseModel]) -> Any:
    from eligibility.content import _read_yaml, _validate

    return _validate(model, _read_yaml(Path(path)), Path(path))


def provinces_of(provinces: Provinces | list[Province] | None) -> list[Province]:
    if provinces is None:
        table: Provinces = load_part("provinces", Provinces)
        return table.provinces
    if isinstance(provinces, Provinces):
        return provinces.provinces
    return list(provinces)
