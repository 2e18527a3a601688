"""Whom to contact for a Knowledge Centre: the operator's contact details when it gave them,
otherwise the centre's host organisation from the seed with a sentence saying whom to ask.

The wording comes from notices.yaml (centre_reach); nothing here invents a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eligibility.models import Centre, CentreContact, Content
from eligibility.templates import fill

CONTACT_FIELDS = ("phone", "email", "address", "web", "hours")


@dataclass(frozen=True)
class CentreReach:
    centre: Centre
    name: str  # "Samsun Kümelenme Bilgi Merkezi"
    host: str  # host organisation, from the seed (project.yaml)
    active: bool | None  # as the operator says; None: not confirmed
    known: bool  # the operator gave at least one way to reach the centre
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, value) of the contact
    status: str = ""  # "Bugün çalışıp çalışmadığı doğrulanmadı." or the active wording
    text: str = ""  # one Turkish paragraph: contact, or host and whom to ask


def centre_name(centre: Centre) -> str:
    return f"{centre.province} Kümelenme Bilgi Merkezi"


def find_centre(content: Content, centre_id: str) -> Centre:
    for centre in content.project.centres:
        if centre.id == centre_id:
            return centre
    raise KeyError(f"bilinmeyen merkez: {centre_id}")


def centre_reach(content: Content, centre_id: str) -> CentreReach:
    """Contact or host for one centre, ready to show."""
    centre = find_centre(content, centre_id)
    contact: CentreContact = content.operator.centre(centre_id)
    wording = content.notices.centre_reach
    labels = wording.fields
    lines = [(labels.get(f, f), getattr(contact, f)) for f in CONTACT_FIELDS if getattr(contact, f)]
    known = contact.has_contact and contact.active is not False
    values = {
        "centre": centre_name(centre),
        "host": centre.host,
        "contact": "; ".join(f"{label}: {value}" for label, value in lines),
    }
    if contact.active is False:
        template = wording.inactive
    elif known:
        template = wording.known
    else:
        template = wording.unknown
    if contact.active is None:
        status = wording.status_unknown
    elif contact.active:
        status = wording.status_active
    else:
        status = ""
    return CentreReach(
        centre=centre,
        name=values["centre"],
        host=centre.host,
        active=contact.active,
        known=known,
        lines=lines if known else [],
        status=status,
        text=" ".join(fill(template, values).split()),
    )
