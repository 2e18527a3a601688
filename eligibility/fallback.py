"""content/fallback.yaml: what the bot says to messages that are not what was asked (unknown
commands, other kinds of messages, forwards, edits, an interruption), so that none goes
unanswered. Validated like every content file (ContentError names the field)."""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from eligibility.text import fold


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotText(_Strict):
    # (shared contacts and locations, venues included, have their own lines where they are
    # used: content/conversation.yaml `share`)
    sticker: str
    photo: str
    video: str
    animation: str
    voice: str
    video_note: str
    audio: str
    document: str
    poll: str
    dice: str
    other: str

    def line(self, kind: str) -> str:
        """The line for a Bot API message kind ("sticker", "photo"…), `other` if unknown."""
        found = getattr(self, kind, None) if kind in type(self).model_fields else None
        return found if isinstance(found, str) else self.other


class Fallback(_Strict):
    unknown_command: str
    did_you_mean: str
    no_close_command: str
    navigation_as_command: str
    command_synonyms: dict[str, list[str]]
    not_text: NotText
    forwarded: str
    current_question: str
    menu_hint: str
    edit_corrected: str
    edit_refused: str
    edit_not_an_answer: str
    edit_after_submission: str
    after_interruption: str
    typed_before_question: str
    chat_finishing: str

    def closest_command(self, typed: str, commands: tuple[str, ...]) -> str | None:
        """The real command (one of `commands`, without the slash) someone typing `typed`
        most likely meant: a listed synonym, else the nearest spelling; None if nothing is
        close. Case- and diacritic-insensitive: "/Başla" → "start", "/yardm" → "yardim"."""
        word = fold(typed).strip().lstrip("/").replace(" ", "")
        if not word:
            return None
        by_word: dict[str, str] = {}
        for command in commands:
            by_word.setdefault(fold(command), command)
        for command, synonyms in self.command_synonyms.items():
            if command in commands:
                for synonym in synonyms:
                    by_word.setdefault(fold(synonym).replace(" ", ""), command)
        if word in by_word:
            return by_word[word]
        near = difflib.get_close_matches(word, list(by_word), n=1, cutoff=0.7)
        return by_word[near[0]] if near else None


def load_fallback(directory: Path | str | None = None) -> Fallback:
    from eligibility.content import _read_yaml, _validate, content_dir

    root = Path(directory) if directory else content_dir()
    file = root / "fallback.yaml"
    fallback: Fallback = _validate(Fallback, _read_yaml(file), file)
    return fallback


@functools.cache
def _cached(root: str) -> Fallback:
    return load_fallback(root)


def get_fallback() -> Fallback:
    from eligibility.content import content_dir

    return _cached(str(content_dir()))
