"""The one callback-data scheme of the bot's buttons: "<prefix>:<part>:<part>…".

Telegram caps callback data at 64 bytes and Turkish letters take two bytes in UTF-8, so
buttons carry short ASCII codes, never labels. The prefix says which side handles a button:
`USER` buttons belong to the user conversation ("u:m:kume", "u:q:o:<tag>:2"), `STATUS` and
`NOTE` to the staff tools ("st:12:i", "nt:12"). Button data is never trusted: every handler
re-checks who pressed and what the parts mean.
"""

from __future__ import annotations

MAX_CALLBACK_DATA = 64

USER = "u"
STATUS = "st"
NOTE = "nt"
ERASE = "kv"  # staff: confirm or cancel a KVKK erasure ("kv:12:y")


def encode(*parts: object) -> str:
    """Joins parts with ":"; ValueError when a part holds ":" or the data is over 64 bytes."""
    texts = [str(p) for p in parts]
    if any(":" in t for t in texts[:-1]):
        raise ValueError("callback data parts must not contain ':'")
    data = ":".join(texts)
    size = len(data.encode("utf-8"))
    if size > MAX_CALLBACK_DATA:
        raise ValueError(f"callback data is {size} bytes, Telegram allows {MAX_CALLBACK_DATA}")
    return data


def decode(data: str | None, prefix: str) -> list[str] | None:
    """The parts after `prefix` of "prefix:a:b", or None when the data has another prefix."""
    if not data:
        return None
    parts = data.split(":")
    if parts[0] != prefix:
        return None
    return parts[1:]


def pattern(prefix: str) -> str:
    """The CallbackQueryHandler pattern for one prefix."""
    return rf"^{prefix}:"
