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


def change_note(lead: Lead, text: str, by: str, ref: str | None = None) -> None:
    """Appends a note. With `ref` (where the note came from, e.g. a Telegram message) a note
    of that ref already there means this one was stored before: a message delivered again
    after a crash adds nothing."""
    if ref and any(note.get("ref") == ref for note in lead["notes"]):
        return
    lead["notes"] = [*lead["notes"], note_entry(clean_note(text), by, ref=ref)]


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


# --- follow-up, duplicates, merging and the audit log (issue 11) ------------------------

MAX_REASON_CHARS = 300


def parse_day_iso(text: str) -> str:
    """A follow-up day as stored: ISO "YYYY-MM-DD" (ValueError otherwise)."""
    return dt.date.fromisoformat(str(text)).isoformat()


def change_followup(lead: Lead, owner: str | None = None, next_contact: str | None = None) -> None:
    """Sets who follows the lead up and/or the day of the next contact (given ones only)."""
    if owner is not None:
        lead["owner"] = owner.strip() or None
    if next_contact is not None:
        lead["next_contact"] = parse_day_iso(next_contact) if next_contact else None


def change_status_and_followup(
    lead: Lead,
    status: str,
    by: str,
    owner: str | None = None,
    next_contact: str | None = None,
) -> None:
    """A status change that may also set the owner and the next contact day."""
    change_followup(lead, owner, next_contact)  # a bad day fails before anything changes
    if parse_status(status) != lead["status"]:
        change_status(lead, status, by)


def change_duplicates(lead: Lead, ids: list[int]) -> None:
    """Records the earlier leads this one probably repeats (see bot/leads/duplicates.py)."""
    lead["duplicate_of"] = sorted({int(i) for i in ids if int(i) != lead["id"]})


def change_merge(leads: list[Lead], by: str) -> None:
    """Merges leads[1] (the duplicate) into leads[0] (the one kept): the kept lead gets the
    other's notes and history (each marked with the lead it came from), a note of the merge,
    and any contact field it lacked; the duplicate is marked `merged_into`. Both stay stored
    (the duplicate's number still resolves; KVKK erasure deletes each on its own)."""
    from eligibility.staff_words import staff_text

    target, source = leads
    if target["id"] == source["id"]:
        raise ValueError(staff_text("merge.same"))
    for lead in (target, source):
        if lead.get("merged_into") is not None:
            raise ValueError(staff_text("merge.already", id=lead["id"], into=lead["merged_into"]))
    origin = {"merged_from": source["id"]}
    target["notes"] = [*target["notes"], *({**n, **origin} for n in source["notes"])]
    target["history"] = [*target["history"], *({**h, **origin} for h in source["history"])]
    for key in ("phone", "email", "contact_name", "nace", "sector", "size_band"):
        if not target.get(key) and source.get(key):
            target[key] = source[key]
    merged_note = note_entry(staff_text("merge.note", source=source["id"]), by)
    target["notes"] = [*target["notes"], merged_note]
    target["duplicate_of"] = [i for i in target.get("duplicate_of") or [] if i != source["id"]]
    source["merged_into"] = target["id"]


def clean_reason(text: str) -> str:
    """The reason of an erasure as stored: one line, bounded; ValueError when empty."""
    from eligibility.staff_words import staff_text

    reason = " ".join(str(text).split())[:MAX_REASON_CHARS]
    if not reason:
        raise ValueError(staff_text("delete.reason_missing"))
    return reason


def audit_entry(action: str, lead_id: int, by: str, reason: str, **extra: int) -> dict[str, object]:
    """One line of the audit log: who did what to which lead number, when, why. It never
    holds personal data of the lead (no name, phone, e-mail, firm), so it may outlive it."""
    return {
        "at": utc_now_iso(),
        "action": action,
        "lead_id": int(lead_id),
        "by": by,
        "reason": clean_reason(reason),
        **extra,
    }
