"""The one Turkish text normaliser used everywhere (matcher, validators, site search).

Python's str.lower() maps "I" to "i" and "İ" to "i" + U+0307 (combining dot above),
both wrong for Turkish; these helpers apply the Turkish dotted/dotless rules first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

# Zero-width, bidi and BOM characters users paste in from phones and web pages.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x180E,
        0x200B,
        0x200C,
        0x200D,
        0x200E,
        0x200F,
        0x2060,
        0x2061,
        0x2062,
        0x2063,
        0x2064,
        0xFEFF,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    None,
)

# Typographic variants mapped to their plain ASCII form.
_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\u2026": "...",
    }
)

# The two capitals whose lower case differs in Turkish (Python's lower() gets both wrong),
# and an i written with a combining dot above (from NFD input) that is a dotted i.
_UPPER_TR = {"İ": "i", "I": "ı"}
_DOTTED = {"ı\u0307": "i", "i\u0307": "i"}
_FOLD = str.maketrans("çğıöşüâîûÇĞIÖŞÜÂÎÛ", "cgiosuaiuCGIOSUAIU")

_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def lower_tr(s: str) -> str:
    """Turkish lower case: İ→i, I→ı, and no stray combining dot."""
    for upper, lower in _UPPER_TR.items():
        s = s.replace(upper, lower)
    # An NFD "I" + U+0307 became "ı" + U+0307 above: that pair is a dotted i; so is the
    # "i" + U+0307 that lower() may leave.
    for pair, letter in _DOTTED.items():
        s = s.replace(pair, letter)
    s = s.lower()
    for pair, letter in _DOTTED.items():
        s = s.replace(pair, letter)
    return s


def upper_tr(s: str) -> str:
    """Turkish upper case: i→İ, ı→I."""
    return s.replace("i", "İ").replace("ı", "I").upper()


def _strip_controls(s: str) -> str:
    s = s.translate(_INVISIBLE)
    # Other control/format characters become spaces so that words do not glue together.
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in s)


def normalize(s: str) -> str:
    """NFKC, invisible/control characters removed, Turkish lower case, plain
    punctuation, single spaces."""
    if not s:
        return ""
    # NFKC folds full-width letters and ligatures; it also composes NFD input.
    s = unicodedata.normalize("NFKC", s)
    s = _strip_controls(s)
    s = s.translate(_PUNCT)
    s = lower_tr(s)
    s = unicodedata.normalize("NFC", s)
    return _SPACE_RE.sub(" ", s).strip()


def fold(s: str) -> str:
    """normalize(), then ASCII-fold Turkish letters: "İşbirliği", "ISBIRLIGI",
    "isbirligi" and "işbirliği" all become "isbirligi"."""
    s = normalize(s).translate(_FOLD)
    # Any remaining accents (é, ñ...) are dropped too.
    if not s.isascii():
        s = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))
        s = _SPACE_RE.sub(" ", s).strip()  # a lone accent may have left a bare space
    return s


@functools.lru_cache(maxsize=256)
def folded_set(words: tuple[str, ...]) -> frozenset[str]:
    """The folded forms of a word list from content (computed once per list: front ends
    compare every message with them)."""
    return frozenset(fold(w) for w in words)


def fold_tables() -> dict[str, Any]:
    """The tables fold() applies, as plain JSON for the site's scripts (kume-core.js folds
    what people type the same way): invisible characters dropped, typographic punctuation
    made plain, the Turkish upper-case pair that lower() gets wrong, the dotted i, and the
    ASCII fold."""
    return {
        "invisible": sorted(_INVISIBLE),  # code points
        "punct": {chr(code): str(to) for code, to in _PUNCT.items()},
        "upper": dict(_UPPER_TR),
        "dotted": dict(_DOTTED),
        "letters": {chr(code): chr(to) for code, to in _FOLD.items() if chr(code).islower()},
    }


def tokens(s: str) -> list[str]:
    """Folded word tokens (letters and digits; punctuation and emoji split words)."""
    return _WORD_RE.findall(fold(s))
