"""Telegram HTML: the one escaper, links, and splitting long messages.

Telegram rejects messages over 4096 characters and HTML with unbalanced tags or bare
`<`/`&`, so every message the bot builds goes through these helpers (and out through
bot/telegram/sender.py).
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_MESSAGE = 4096

# Tags and entities are atomic: a split must never fall inside one.
_ATOMIC_RE = re.compile(r"<[^<>]*>|&#?[a-zA-Z0-9]+;")
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")


def esc(text: Any) -> str:
    """Escape anything for a text node of a parse_mode=HTML message."""
    return html.escape(str(text), quote=False)


def esc_attr(text: Any) -> str:
    """Escape anything for an HTML attribute value (e.g. an href)."""
    return html.escape(str(text), quote=True)


def link(url: str, label: str) -> str:
    return f'<a href="{esc_attr(url)}">{esc(label)}</a>'


def _atomic_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ATOMIC_RE.finditer(text)]


def _is_safe(pos: int, spans: list[tuple[int, int]]) -> bool:
    return not any(start < pos < end for start, end in spans)


def _find_cut(text: str, budget: int, spans: list[tuple[int, int]]) -> int:
    """Best position ≤ budget to cut at: paragraph, then line, then word, then anywhere safe."""
    for sep in ("\n\n", "\n", " "):
        pos = text.rfind(sep, 0, budget + 1)
        while pos > 0:
            if _is_safe(pos, spans):
                return pos
            pos = text.rfind(sep, 0, pos)
    pos = min(budget, len(text))
    while pos > 0 and not _is_safe(pos, spans):
        pos -= 1
    if pos == 0:  # a single tag longer than the budget: cut after it rather than loop forever
        pos = next(end for start, end in spans if start == 0)
    return pos


def _open_tags(prefix: str) -> list[tuple[str, str]]:
    """(name, full opening tag) of the tags still open at the end of prefix."""
    stack: list[tuple[str, str]] = []
    for m in _TAG_RE.finditer(prefix):
        closing, name = m.group(1), m.group(2).lower()
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        else:
            stack.append((name, m.group(0)))
    return stack


def split_message(text: str, limit: int = MAX_MESSAGE, *, html_mode: bool = True) -> list[str]:
    """Split text into chunks of at most `limit` characters.

    Prefers paragraph, then line, then word boundaries; never cuts inside an HTML tag or
    entity; tags open at a cut are closed at the end of the chunk and reopened in the next one,
    so each chunk is well-formed HTML on its own. With html_mode=False, `<` and `&` are plain.
    """
    if limit < 32:
        raise ValueError("limit too small")
    chunks: list[str] = []
    rest = text
    keep_tags = html_mode
    while len(rest) > limit:
        spans = _atomic_spans(rest) if html_mode else []
        budget = limit
        while True:
            cut = _find_cut(rest, budget, spans)
            stack = _open_tags(rest[:cut]) if keep_tags else []
            closers = "".join(f"</{name}>" for name, _ in reversed(stack))
            head = rest[:cut].rstrip()
            if len(head) + len(closers) <= limit or budget <= 1:
                break
            budget = min(budget - 1, limit - len(closers))
        chunk = head + closers
        if chunk.strip():
            chunks.append(chunk)
        reopen = "".join(tag for _, tag in stack)
        following = reopen + rest[cut:].lstrip("\n ")
        if len(following) >= len(rest) or len(chunk) > limit:
            # Pathological markup (tags longer than the limit): keep the text, drop the tags.
            chunks = chunks[:-1] if chunk.strip() else chunks
            if not keep_tags:
                raise ValueError("cannot split this text")  # unreachable: cut > 0 always
            rest = _TAG_RE.sub("", rest)
            keep_tags = False
            continue
        rest = following
    if rest.strip():
        chunks.append(rest)
    return chunks
