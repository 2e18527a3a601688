"""Search-index additions for Material for MkDocs.

Turkish spelling variants are handled in the browser (assets/javascripts/workers/
kume-search.js folds indexed words and queries alike, as eligibility.text.fold does). At
build time this module adds each activity's keywords — the words firms actually type, which
the page does not show because they include everyday misspellings — as a separate field.
"""

from __future__ import annotations

from typing import Any

# Keywords say what a section is about: ranked between body text (1) and titles (1000).
KEYWORD_FIELD, KEYWORD_BOOST = "kume_keywords", 1000.0


def augment(index: dict[str, Any], keywords: dict[str, list[str]]) -> dict[str, Any]:
    """Add keywords to the documents of a Material search_index.json at those locations
    ("page.html#anchor"), in place."""
    config = index.setdefault("config", {})
    config.setdefault("fields", {})[KEYWORD_FIELD] = {"boost": KEYWORD_BOOST}
    for doc in index.get("docs", []):
        words = keywords.get(doc.get("location", ""))
        if words:
            doc[KEYWORD_FIELD] = ", ".join(words)
    return index
