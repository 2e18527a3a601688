"""content/labels.yaml: the names of a lead's fields and statuses, of the centres, and the
bot's buttons and menu. Validated like every content file (ContentError names the field)."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict

LEAD_FIELD_KEYS = (
    "id", "created_at", "firm", "contact_name", "phone", "email", "province", "centre",
    "sector", "size_band", "role", "needs_text", "matched_activities", "eligibility", "status",
    "source", "notes", "centre_override", "announced", "consent_version", "consent_at",
    "nace", "owner", "next_contact", "duplicate_of", "merged_into",
)  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Buttons(_Strict):
    back: str
    restart: str
    home: str
    confirm_summary: str
    consent_mark: str
    refuse_mark: str
    delete_yes: str
    delete_no: str
    add_note: str


class Labels(_Strict):
    lead_fields: dict[str, str]
    statuses: dict[str, str]
    centre_name: str
    flag_yes: str
    flag_no: str
    eligible: str
    not_eligible: str
    buttons: Buttons
    menu: dict[str, str]

    def field(self, key: str) -> str:
        return self.lead_fields[key]

    def centre(self, province: str) -> str:
        return self.centre_name.format(province=province)

    def yes_no(self, flag: object) -> str:
        return self.flag_yes if flag else self.flag_no


def load_labels(directory: Path | str | None = None) -> Labels:
    from eligibility.content import ContentError, _read_yaml, _validate, content_dir

    root = Path(directory) if directory else content_dir()
    file = root / "labels.yaml"
    labels: Labels = _validate(Labels, _read_yaml(file), file)
    missing = [k for k in LEAD_FIELD_KEYS if k not in labels.lead_fields]
    if missing:
        raise ContentError(f"{file}: lead_fields: eksik alan(lar) {missing}")
    return labels


@functools.cache
def _cached(root: str) -> Labels:
    return load_labels(root)


def get_labels() -> Labels:
    from eligibility.content import content_dir

    return _cached(str(content_dir()))
