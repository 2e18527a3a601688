"""Notices every page carries, right under its title: the texts' dates with a pointer to the
ministry's portal, and, while the operator is not configured, the demo notice. Wording from
content/notices.yaml."""

from __future__ import annotations

from eligibility.dating import dating_notice
from eligibility.models import Content
from sitegen.fmt import esc

DATING_CLASS = "kume-dating"
DEMO_CLASS = "kume-demo"


def portal_link(content: Content, portal_url: str | None = None) -> str:
    portal = content.notices.ministry_portal
    return f"[{esc(portal.name)}]({portal_url or portal.url})"


def _admonition(kind: str, css: str, title: str, body: str) -> str:
    return f'!!! {kind} {css} "{title}"\n    {body}\n'


def page_notices(content: Content, portal_url: str | None = None) -> str:
    """The Markdown of the notices: the demo notice first (when it applies), then the dates."""
    parts = []
    if content.operator.is_demo:
        demo = content.notices.demo
        parts.append(_admonition("warning", DEMO_CLASS, esc(demo.title), esc(demo.text)))
    # Untitled admonition: the dating notice is short and shown on every page.
    link = portal_link(content, portal_url)
    body = esc(dating_notice("\x00", content)).replace("\x00", link)
    parts.append(_admonition("note", DATING_CLASS, "", body))
    return "\n".join(parts)


def with_notices(markdown: str, notices: str) -> str:
    """Insert the notices right after the page's first level-1 heading (or at the top)."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: i + 1], "", notices, *lines[i + 1 :]])
    return notices + "\n" + markdown
