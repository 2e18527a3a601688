"""The answer kinds of the questionnaire (see base.py): one module per kind, found by name.

`kind_for("phone")` returns the kind object; `KINDS` maps every name to its kind. Modules of
this package register themselves with `@register` and are all imported here, so a new kind
needs no edit outside its own module (and the YAML line that uses it).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TypeVar

from eligibility.kinds.base import AnswerKind, Choice

__all__ = ["KINDS", "AnswerKind", "Choice", "kind_for", "register"]

KINDS: dict[str, AnswerKind] = {}

K = TypeVar("K", bound=type[AnswerKind])


def register(cls: K) -> K:
    if cls.name in KINDS:
        raise ValueError(f"answer kind {cls.name!r} registered twice")
    KINDS[cls.name] = cls()
    return cls


def kind_for(name: str) -> AnswerKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(
            f"bilinmeyen soru türü '{name}'; geçerli türler: {', '.join(sorted(KINDS))}"
        ) from None


for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
