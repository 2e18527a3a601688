"""Filling {placeholders} in content texts without str.format: only the names given are
replaced, so Markdown attribute lists ({#id}, { .class }) and stray braces stay intact."""

from __future__ import annotations

import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace {name} for each name in `values`; leave every other brace as it is."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def placeholders(template: str) -> set[str]:
    """The {name} placeholders a text uses."""
    return set(_PLACEHOLDER.findall(template))
