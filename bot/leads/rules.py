"""The rules of a lead's life, the same for every storage backend.

A backend stores and finds leads; what a change *means* is decided here: a status change
appends a history entry (marked as a correction off the normal path), a note records who and
when, a centre override is flagged and noted, an announcement attempt is counted, ids are
never reused, a submission key is saved once, and the retention purge has one cut-off. The
`change_*` functions edit a lead (a normalised record) in place; a backend runs them inside
its own transaction (`LeadStore.modify`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.leads.record import (
    Lead,
    history_entry,
    is_normal_transition,
    note_entry,
    parse_status,
    utc_now_iso,
)

MAX_NOTE_CHARS = 2000


def change_status(lead: Lead, status: str, by: str) -> None:
    """Sets the status (id or Turkish label) and appends who set it when; a change off the
    normal path (yeni → iletişime geçildi → kümeye katıldı / ilgilenmiyor) is a correction."""
    new = parse_status(status)
    entry = history_entry(new, by)
    if not is_normal_transition(lead["status"], new):
        entry["correction"] = True
    lead["status"] = new
    lead["history"] = [*lead["history"], entry]


def clean_note(text: str) -> str:
    """A note as stored: trimmed, bounded; ValueError (Turkish) when empty."""
    text = text.strip()[:MAX_NOTE_CHARS]
    if not text:
        raise ValueError("not boş olamaz")
    return text


def change_note(lead: Lead, text: str, by: str) -> None:
    lead["notes"] = [*lead["notes"], note_entry(clean_note(text), by)]


def change_centre(lead: Lead, centre_id: str, by: str) -> None:
    """Staff override of the routed centre: flagged, and noted with the old centre."""
    old = lead["centre"]
    lead["centre"] = centre_id
    lead["centre_override"] = True
    note = note_entry(f"Merkez değiştirildi: {old or '-'} → {centre_id}", by)
    lead["notes"] = [*lead["notes"], note]


def change_announced(lead: Lead, delivered: bool) -> None:
    """One attempt to announce the lead to its centre; `delivered` when it arrived."""
    lead["announce_attempts"] = int(lead["announce_attempts"] or 0) + 1
    if delivered:
        lead["announced"] = True
        lead["announced_at"] = utc_now_iso()


MAX_SUBMISSION_KEY_CHARS = 128


def submission_key(lead: Mapping[str, Any]) -> str | None:
    """The key `LeadStore.add` is idempotent on (None: the lead is always new). ValueError
    for a key no backend could index (not a string, or longer than 128 characters)."""
    key = lead.get("submission_key")
    if key is None or key == "":
        return None
    if not isinstance(key, str) or len(key) > MAX_SUBMISSION_KEY_CHARS:
        raise ValueError("geçersiz başvuru anahtarı")
    return key


def next_id(counter: int | None, highest_existing: int) -> int:
    """The id of a new lead: never one given before, even after deletions (`counter` is the
    backend's persisted next id) and never one in use (a hand-edited or older file)."""
    return max(int(counter or 1), highest_existing + 1)


def purge_cutoff(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """Leads created before this moment are past the retention period of `days` days."""
    if days < 1:
        raise ValueError("gün sayısı en az 1 olmalı")
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now - dt.timedelta(days=days)
