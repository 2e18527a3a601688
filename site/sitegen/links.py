"""Relative Markdown links between generated pages (MkDocs validates them in strict mode)."""

from __future__ import annotations

import posixpath

from eligibility.models import Activity, Content
from sitegen import urls


def rel(from_page: str, to_page: str) -> str:
    """Link from one docs-relative page path to another, as Markdown wants it."""
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(to_page, start)


def activity_link(from_page: str, activity: Activity, content: Content) -> str:
    category = next(c for c in content.catalogue.categories if c.number == activity.category)
    return f"{rel(from_page, urls.category_page(category))}#{activity.id}"


def activity_list(from_page: str, ids: list[str], content: Content) -> str:
    """Markdown bullet list linking activity ids to their sections."""
    by_id = {a.id: a for a in content.catalogue.activities}
    from sitegen.fmt import esc

    return "\n".join(
        f"- [{esc(by_id[i].title)}]({activity_link(from_page, by_id[i], content)}) "
        f"<small>({i})</small>"
        for i in ids
        if i in by_id
    )
