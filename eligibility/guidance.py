"""Next steps: the closing text of every result or rule (next_steps.yaml), with the
ministry's portal and, when the user's centre is known, whom to contact for it.

Keys: eligible, not_eligible, firm, firm_without_consent, money, centres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eligibility.models import Content
from eligibility.operator import CentreReach, centre_reach
from eligibility.templates import fill


@dataclass(frozen=True)
class RenderedStep:
    key: str
    title: str
    text: str
    prepare: list[str] = field(default_factory=list)
    contact: str = ""  # whom to contact, in general, with the portal filled in
    centre: str | None = None  # whom to contact for the user's centre, when known
    reach: CentreReach | None = None


def next_step(
    content: Content, key: str, *, centre_id: str | None = None, portal: str | None = None
) -> RenderedStep:
    """The step `key`, filled. `portal` is the portal as the front end shows it (a link);
    by default its plain address from notices.yaml."""
    step = content.next_steps.steps[key]
    portal = portal or content.notices.ministry_portal.name
    reach = centre_reach(content, centre_id) if centre_id else None
    centre = None
    if reach is not None and step.centre:
        centre = " ".join(fill(step.centre, {"reach": reach.text}).split())
    return RenderedStep(
        key=key,
        title=step.title,
        text=" ".join(step.text.split()),
        prepare=list(step.prepare),
        contact=" ".join(fill(step.contact, {"portal": portal}).split()),
        centre=centre,
        reach=reach,
    )
