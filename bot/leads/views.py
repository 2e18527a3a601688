"""A lead as people read it: labelled fields for the staff card, `kume leads show`,
/verilerim and the exports, so that every surface names a field the same way.

Labels come from content/labels.yaml, option labels (size band, role) from
content/questionnaire.yaml, centre names from content/project.yaml. Values are plain text;
each front end escapes or formats them for its medium.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.leads.record import parse_iso, status_label
from eligibility.labels import Labels, get_labels

# Turkey has used UTC+3 all year since 2016 (no tz database needed on the host).
TURKEY_TZ = dt.timezone(dt.timedelta(hours=3), "TRT")

# What each surface shows, in order (keys of content/labels.yaml lead_fields).
CARD = ("firm", "contact_name", "phone", "email", "province", "centre", "sector", "size_band",
        "role", "matched_activities", "needs_text")  # fmt: skip
SHOW = ("created_at", "firm", "contact_name", "phone", "email", "province", "centre", "sector",
        "size_band", "role", "needs_text", "matched_activities", "eligibility", "status",
        "source", "announced", "consent_version", "consent_at")  # fmt: skip
MY_DATA = ("firm", "contact_name", "phone", "email", "province", "centre", "sector",
           "size_band", "role", "needs_text", "source", "status", "created_at",
           "matched_activities", "match_evidence", "notice_at", "consent_version",
           "consent_at", "eligibility")  # fmt: skip
EXPORT = ("id", "created_at", "firm", "contact_name", "phone", "email", "province", "centre",
          "sector", "size_band", "role", "needs_text", "matched_activities", "eligibility",
          "status", "source", "notes", "centre_override", "announced", "consent_version",
          "consent_at")  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str  # "" when the lead has nothing there


def local_time(iso: str | None) -> str:
    """A stored UTC time as Turkish local time, "2026-11-25 09:30"."""
    if not iso:
        return ""
    try:
        return parse_iso(iso).astimezone(TURKEY_TZ).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


@functools.cache
def _centre_names() -> dict[str, str]:
    from eligibility.content import get_content

    labels = get_labels()
    return {c.id: labels.centre(c.province) for c in get_content().project.centres}


def centre_name(centre_id: str | None) -> str:
    """ "samsun" → "Samsun Kümelenme Bilgi Merkezi"; an unknown id as it is; "-" for none."""
    if not centre_id:
        return "-"
    return _centre_names().get(centre_id, centre_id)


def centre_names() -> dict[str, str]:
    return dict(_centre_names())


@functools.cache
def _option_labels(question_id: str) -> dict[str, str]:
    from eligibility.questionnaire import get_questionnaire

    for path in get_questionnaire().paths.values():
        for question in path.questions:
            if question.id == question_id:
                return {o.value: o.label for o in question.options}
    return {}


def eligibility_label(verdict: Any, labels: Labels | None = None) -> str:
    if not isinstance(verdict, Mapping) or verdict.get("eligible") is None:
        return ""
    labels = labels or get_labels()
    return labels.eligible if verdict["eligible"] else labels.not_eligible


def notes_text(notes: Iterable[Mapping[str, Any]] | None) -> str:
    return "\n".join(
        f"{n.get('text', '')} ({n.get('by', '')}, {local_time(n.get('at'))})" for n in notes or []
    )


def value(lead: Mapping[str, Any], key: str, labels: Labels | None = None) -> str:
    """One field of a lead as text."""
    labels = labels or get_labels()
    consent = lead.get("consent") if isinstance(lead.get("consent"), Mapping) else {}
    raw = lead.get(key)
    if key in ("created_at",):
        return local_time(raw)
    if key == "consent_at":
        return local_time(consent.get("at")) if consent else ""
    if key == "consent_version":
        return str(consent.get("version") or "") if consent else ""
    if key == "notice_at":  # the KVKK information notice, acknowledged apart from consent
        notice = lead.get("kvkk_notice")
        return local_time(notice.get("at")) if isinstance(notice, Mapping) else ""
    if key == "match_evidence":  # {activity id: the user's words that led to it}
        evidence = raw if isinstance(raw, Mapping) else {}
        return "; ".join(f"{aid}: «{words}»" for aid, words in evidence.items())
    if key == "status":
        return status_label(raw)
    if key == "centre":
        return centre_name(raw) if raw else ""
    if key in ("size_band", "role"):
        return _option_labels(key).get(raw, raw) if raw else ""
    if key == "matched_activities":
        return ", ".join(raw or [])
    if key == "eligibility":
        return eligibility_label(raw, labels)
    if key == "notes":
        return notes_text(raw)
    if key in ("announced", "centre_override"):
        return labels.yes_no(raw)
    return "" if raw is None else str(raw)


def fields(lead: Mapping[str, Any], keys: Sequence[str]) -> list[Field]:
    """The lead's fields `keys` (e.g. CARD), labelled, in that order, empty ones included."""
    labels = get_labels()
    return [Field(key, labels.field(key), value(lead, key, labels)) for key in keys]


def filled(lead: Mapping[str, Any], keys: Sequence[str]) -> list[Field]:
    """As `fields`, without the empty ones."""
    return [f for f in fields(lead, keys) if f.value]


def column_titles(keys: Sequence[str] = EXPORT) -> list[str]:
    labels = get_labels()
    return [labels.field(key) for key in keys]
