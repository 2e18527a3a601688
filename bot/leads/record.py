"""The lead record (see docs/ARCHITECTURE.md, "Lead record"), its statuses and history entries.

Leads travel as plain JSON-compatible dicts: that is what the store keeps on disk, what the
bot renders and what a server database would hold later. `new_lead()` builds a complete
record with every field present; `normalize_lead()` fills missing fields of a stored one.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from typing import Any

from eligibility.text import fold

# A lead as stored and passed around: a JSON-compatible dict with the keys of LEAD_FIELDS.
Lead = dict[str, Any]


class Status(enum.StrEnum):
    YENI = "yeni"
    ILETISIME_GECILDI = "iletisime_gecildi"
    KUMEYE_KATILDI = "kumeye_katildi"
    ILGILENMIYOR = "ilgilenmiyor"


def _status_labels() -> dict[str, str]:
    """Status id -> Turkish label, from content/labels.yaml (every status must have one)."""
    from eligibility.labels import get_labels

    labels = get_labels().statuses
    missing = [s.value for s in Status if s.value not in labels]
    if missing:
        raise ValueError(f"content/labels.yaml: statuses: eksik durum(lar) {missing}")
    return {s.value: labels[s.value] for s in Status}


STATUS_LABELS: dict[str, str] = _status_labels()

# The normal path of a lead. Staff may still set any other status to correct a mistake;
# such changes are marked as corrections in the history.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.YENI: frozenset({Status.ILETISIME_GECILDI}),
    Status.ILETISIME_GECILDI: frozenset({Status.KUMEYE_KATILDI, Status.ILGILENMIYOR}),
    Status.KUMEYE_KATILDI: frozenset(),
    Status.ILGILENMIYOR: frozenset(),
}


@functools.cache
def size_bands() -> frozenset[str]:
    """The size-band values a lead may hold: the options of the questionnaire's size_band
    question (content/questionnaire.yaml)."""
    from eligibility.questionnaire import get_questionnaire

    return frozenset(
        option.value
        for path in get_questionnaire().paths.values()
        for question in path.questions
        if question.id == "size_band"
        for option in question.options
    )


# Field order of a lead record, as in docs/ARCHITECTURE.md.
LEAD_FIELDS = (
    "id",
    "created_at",
    "source",
    "user_key",
    "submission_key",
    "consent",
    "firm",
    "contact_name",
    "phone",
    "email",
    "province",
    "centre",
    "centre_override",
    "sector",
    "size_band",
    "role",
    "needs_text",
    "matched_activities",
    "eligibility",
    "status",
    "history",
    "notes",
    "announced",
    "announce_attempts",
    # follow-up and duplicates (issue 11)
    "nace",
    "owner",
    "next_contact",
    "duplicate_of",
    "merged_into",
    "kvkk_notice",
    "match_evidence",
)


class InvalidStatus(ValueError):
    """An unknown status name; the message is Turkish and lists the valid ones."""


def utc_now_iso(now: dt.datetime | None = None) -> str:
    """UTC time as ISO 8601 with seconds, e.g. "2026-11-25T06:30:58+00:00"."""
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_iso(value: str) -> dt.datetime:
    """An ISO timestamp from the store as an aware UTC datetime (naive means UTC)."""
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def quote_input(text: object, limit: int = 60) -> str:
    """User input echoed in an error message: quoted, shortened, with line breaks and other
    control characters escaped so that the message stays one line."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


_STATUS_BY_FOLDED = {fold(s.value.replace("_", " ")): s.value for s in Status} | {
    fold(label): s for s, label in STATUS_LABELS.items()
}


def parse_status(text: str) -> str:
    """A status id from its id or its Turkish label, in any case, with or without Turkish
    letters: "kumeye_katildi", "Kümeye katıldı" and "KUMEYE KATILDI" all work."""
    key = fold(str(text).replace("_", " ").replace("-", " "))
    try:
        return str(_STATUS_BY_FOLDED[key])
    except KeyError:
        valid = ", ".join(f"{s.value} ({STATUS_LABELS[s]})" for s in Status)
        raise InvalidStatus(
            f"bilinmeyen durum {quote_input(text)}; geçerli durumlar: {valid}"
        ) from None


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def is_normal_transition(old: str, new: str) -> bool:
    """True on the normal path (yeni → iletişime geçildi → kümeye katıldı / ilgilenmiyor)."""
    return new in TRANSITIONS.get(old, frozenset())


def history_entry(status: str, by: str, at: str | None = None, **extra: Any) -> dict[str, Any]:
    """One entry of a lead's history: who set which status when (UTC ISO)."""
    return {"status": parse_status(status), "by": by, "at": at or utc_now_iso(), **extra}


def note_entry(text: str, by: str, at: str | None = None, ref: str | None = None) -> dict[str, Any]:
    """One note; `ref` names the message it came from (bot/leads/rules.py `change_note`)."""
    entry: dict[str, Any] = {"text": text, "by": by, "at": at or utc_now_iso()}
    if ref:
        entry["ref"] = ref
    return entry


def new_lead(
    *,
    source: str,
    user_key: str,
    consent: Mapping[str, Any] | None,
    firm: str = "",
    contact_name: str = "",
    phone: str | None = None,
    email: str | None = None,
    province: str | None = None,
    centre: str | None = None,
    sector: str | None = None,
    nace: str | None = None,
    size_band: str | None = None,
    role: str | None = None,
    needs_text: str = "",
    matched_activities: list[str] | None = None,
    eligibility: Mapping[str, Any] | None = None,
    created_at: str | None = None,
    kvkk_notice: Mapping[str, Any] | None = None,
    match_evidence: Mapping[str, str] | None = None,
    submission_key: str | None = None,
) -> dict[str, Any]:
    """A complete new lead (status "yeni", no id yet: the store assigns it)."""
    created = created_at or utc_now_iso()
    return normalize_lead(
        {
            "created_at": created,
            "source": source,
            "user_key": user_key,
            "submission_key": submission_key,
            "consent": dict(consent) if consent else None,
            "firm": firm,
            "contact_name": contact_name,
            "phone": phone,
            "email": email,
            "province": province,
            "centre": centre,
            "sector": sector,
            "nace": nace,
            "size_band": size_band,
            "role": role,
            "needs_text": needs_text,
            "matched_activities": list(matched_activities or []),
            "eligibility": dict(eligibility) if eligibility else None,
            "kvkk_notice": dict(kvkk_notice) if kvkk_notice else None,
            "match_evidence": dict(match_evidence or {}),
        }
    )


def normalize_lead(lead: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `lead` with every field present (defaults for missing ones), in field
    order, status validated. Unknown extra keys are kept after the known ones."""
    data = dict(lead)
    if data.get("size_band") not in (None, "") and data["size_band"] not in size_bands():
        raise ValueError(f"bilinmeyen ölçek '{data['size_band']}'")
    created = data.get("created_at") or utc_now_iso()
    status = parse_status(data.get("status") or Status.YENI)
    defaults: dict[str, Any] = {
        "id": None,
        "created_at": created,
        "source": "",
        "user_key": "",
        "submission_key": None,
        "consent": None,
        "firm": "",
        "contact_name": "",
        "phone": None,
        "email": None,
        "province": None,
        "centre": None,
        "centre_override": False,
        "sector": None,
        "size_band": None,
        "role": None,
        "needs_text": "",
        "matched_activities": [],
        "eligibility": None,
        "status": status,
        "history": [history_entry(status, data.get("source") or "sistem", created)],
        "notes": [],
        "announced": False,
        "announce_attempts": 0,
        "nace": None,  # NACE Rev. 2 division code ("31"), content/nace.yaml
        "owner": None,  # who follows the lead up: "tg:<user id>" or a shell name
        "next_contact": None,  # ISO day of the next contact, "2026-12-15"
        "duplicate_of": [],  # ids of earlier leads this one probably repeats
        "merged_into": None,  # id of the lead this one was merged into
        "kvkk_notice": None,
        "match_evidence": {},
    }
    out = {key: data[key] if key in data else defaults[key] for key in LEAD_FIELDS}
    out["status"] = status
    out["submission_key"] = out["submission_key"] or None  # "" is no key
    out.update({k: v for k, v in data.items() if k not in out})
    return out
