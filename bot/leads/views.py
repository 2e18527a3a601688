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
CARD = ("firm", "contact_name", "phone", "email", "province", "centre", "nace", "sector",
        "size_band", "role", "matched_activities", "match_evidence", "needs_text", "owner",
        "next_contact", "duplicate_of", "merged_into")  # fmt: skip
# A new lead in a centre's staff chat: nothing that names a person or a firm (a sole
# trader's firm name is personal data); the matched categories follow these fields.
ANNOUNCE = ("centre", "province", "size_band", "nace", "duplicate_of")
SHOW = ("created_at", "firm", "contact_name", "phone", "email", "province", "centre", "nace",
        "sector", "size_band", "role", "needs_text", "matched_activities", "eligibility",
        "match_evidence", "status", "owner", "next_contact", "duplicate_of", "merged_into",
        "source", "announced", "notice_at", "consent_version", "consent_at")  # fmt: skip
MY_DATA = ("firm", "contact_name", "phone", "email", "province", "centre", "sector",
           "size_band", "role", "needs_text", "source", "status", "created_at",
           "matched_activities", "match_evidence", "notice_at", "consent_version",
           "consent_at", "eligibility")  # fmt: skip
EXPORT = ("id", "created_at", "firm", "contact_name", "phone", "email", "province", "centre",
          "nace", "sector", "size_band", "role", "needs_text", "matched_activities",
          "match_evidence", "eligibility", "status", "owner", "next_contact", "duplicate_of",
          "merged_into", "source", "notes", "centre_override", "announced", "notice_at",
          "consent_version", "consent_at")  # fmt: skip


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


def option_labels(question_id: str) -> dict[str, str]:
    """Option value -> label of a questionnaire question (size_band, role)."""
    return dict(_option_labels(question_id))


@functools.cache
def _option_labels(question_id: str) -> dict[str, str]:
    from eligibility.questionnaire import get_questionnaire

    for path in get_questionnaire().paths.values():
        for question in path.questions:
            if question.id == question_id:
                return {o.value: o.label for o in question.options}
    return {}


def local_day(iso_day: str | None) -> str:
    """A stored ISO day as Turkish staff write it: "2026-12-15" → "15.12.2026"."""
    if not iso_day:
        return ""
    try:
        return dt.date.fromisoformat(iso_day).strftime("%d.%m.%Y")
    except ValueError:
        return str(iso_day)


def lead_numbers(ids: Iterable[Any] | None) -> str:
    return ", ".join(f"#{int(i)}" for i in ids or [])


def nace_label(code: str | None) -> str:
    """ "31" → "31 — Mobilya imalatı" (content/nace.yaml); the code alone if unknown."""
    if not code:
        return ""
    from eligibility.nace import division_name

    name = division_name(code)
    return f"{code} — {name}" if name else str(code)


@functools.cache
def _category_of_activity() -> dict[str, str]:
    from eligibility.content import get_content

    catalogue = get_content().catalogue
    titles = {c.number: c.short_title for c in catalogue.categories}
    return {a.id: titles[a.category] for a in catalogue.activities}


def categories(lead: Mapping[str, Any]) -> list[str]:
    """The programme categories of a lead's matched activities, each once, in order."""
    names = _category_of_activity()
    found: list[str] = []
    for activity in lead.get("matched_activities") or []:
        name = names.get(activity)
        if name and name not in found:
            found.append(name)
    return found


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
    if key == "next_contact":
        return local_day(raw)
    if key == "duplicate_of":
        return lead_numbers(raw)
    if key == "merged_into":
        return lead_numbers([raw]) if raw is not None else ""
    if key == "nace":
        return nace_label(raw)
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
