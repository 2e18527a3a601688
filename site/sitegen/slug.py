"""Heading anchors that transliterate Turkish letters ("Koşulları" → "kosullari")
instead of dropping them, as Python-Markdown's default slugify does."""

from __future__ import annotations

import html
import re

from eligibility.text import fold

_TAGS = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(value: str, separator: str = "-") -> str:
    """Python-Markdown `toc` slugify signature: (text, separator) → anchor id."""
    text = html.unescape(_TAGS.sub("", value))
    return _NON_WORD.sub(separator, fold(text)).strip(separator)
