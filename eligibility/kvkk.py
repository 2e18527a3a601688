"""The KVKK texts with their placeholders filled from the operator file.

The bot (and `kume chat`) show `notice` with the `notice_ack_button`, then, as a separate
step, `consent_question` with `consent_button`/`refuse_button`; `refusal_text` answers a
refusal. The site renders pages/kvkk.md through `fill_kvkk`. In a demo configuration the
controller's fields read as the demo wording of notices.yaml ("henüz tanımlanmadı …"), never
as an invented name.
"""

from __future__ import annotations

from dataclasses import dataclass

from eligibility.models import Content
from eligibility.templates import fill

DEFAULT_RETENTION_DAYS = 365


@dataclass(frozen=True)
class KvkkTexts:
    version: str
    notice: str
    notice_ack_button: str
    notice_ack_text: str
    consent_question: str
    consent_button: str
    refuse_button: str
    refusal_text: str
    short_notice: str


def _contact_line(content: Content, **fields: str) -> str:
    labels = content.notices.centre_reach.fields
    parts = [f"{labels.get(name, name)}: {value}" for name, value in fields.items() if value]
    return ", ".join(parts)


def kvkk_values(content: Content, retention_days: int | None = None) -> dict[str, str]:
    """Placeholder values for the KVKK texts; unset fields read as the demo wording."""
    unset = content.notices.demo.unset
    op, ctl = content.operator.operator, content.operator.controller
    values = {
        "controller": ctl.name,
        "controller_address": ctl.address,
        "controller_contact": _contact_line(content, email=ctl.email, kep=ctl.kep),
        "application_address": ctl.application_address,
        "operator": op.name,
        "operator_contact": _contact_line(
            content, phone=op.phone, email=op.email, kep=op.kep, web=op.web
        ),
    }
    values = {k: v.strip() or unset for k, v in values.items()}
    values["retention_days"] = str(retention_days or DEFAULT_RETENTION_DAYS)
    values["version"] = content.kvkk.version
    values["consent_text"] = " ".join(fill(content.kvkk.consent_question, values).split())
    return values


def fill_kvkk(text: str, content: Content, retention_days: int | None = None) -> str:
    """Any text (a kvkk.yaml field, pages/kvkk.md) with the KVKK placeholders filled."""
    return fill(text, kvkk_values(content, retention_days))


def kvkk_texts(content: Content, retention_days: int | None = None) -> KvkkTexts:
    """Every KVKK text of kvkk.yaml, filled and on one line each."""
    values = kvkk_values(content, retention_days)
    k = content.kvkk

    def one(text: str) -> str:
        return " ".join(fill(text, values).split())

    return KvkkTexts(
        version=k.version,
        notice=one(k.notice),
        notice_ack_button=k.notice_ack_button,
        notice_ack_text=one(k.notice_ack_text),
        consent_question=one(k.consent_question),
        consent_button=k.consent_button,
        refuse_button=k.refuse_button,
        refusal_text=one(k.refusal_text),
        short_notice=one(k.short_notice),
    )
