"""Progress of the Knowledge Centres against the project targets (content/parameters.yaml):
`target_smes_reached` compared with the KOBİ that left a lead, `target_smes_in_clusters` with
the KOBİ whose lead reached "kümeye katıldı".

Who is a KOBİ is the operator's counting rule of content/staff.yaml (`sme_rule`): a firm with
fewer employees than the limit, judged by its size band. Large firms, firms that gave no size,
and chambers, universities and other organisations are counted on their own lines, never as
KOBİ. A firm counts once however many leads it left (firm names compared Turkish-folded,
punctuation ignored); a lead merged into another (a duplicate) is not counted again.
The text is in bot/leads/progress_text.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from bot.leads.record import Status, size_bands
from bot.leads.store import LeadStore
from eligibility.staff_words import SmeRule, get_staff_words
from eligibility.text import fold

REACHED_PARAMETER = "target_smes_reached"
IN_CLUSTERS_PARAMETER = "target_smes_in_clusters"
UNASSIGNED = "belirsiz"  # bucket id for leads with no or an unknown centre

Kind = Literal["sme", "large", "size_unknown", "organisation"]
Bounds = Mapping[str, tuple[int | None, int | None]]  # size band -> (min, max) employees

_NON_WORD = re.compile(r"[\W_]+")


def firm_key(lead: Mapping[str, Any]) -> str:
    """Identity of the firm behind a lead; a lead without a firm name counts on its own."""
    name = _NON_WORD.sub(" ", fold(lead.get("firm") or "")).strip()
    if name:
        return "firm:" + name
    return "user:" + str(lead.get("user_key") or lead.get("id"))


@functools.cache
def band_bounds() -> dict[str, tuple[int | None, int | None]]:
    """Size band -> (min, max) employees, from the size_band question's options."""
    from eligibility.questionnaire import get_questionnaire

    bounds: dict[str, tuple[int | None, int | None]] = {}
    for path in get_questionnaire().paths.values():
        for question in path.questions:
            if question.id == "size_band":
                bounds.update({o.value: (o.min, o.max) for o in question.options})
    assert set(bounds) == set(size_bands())
    return bounds


def is_firm(lead: Mapping[str, Any], rule: SmeRule) -> bool:
    role = lead.get("role")
    return not role or role in rule.firm_roles


def kind_of(lead: Mapping[str, Any], rule: SmeRule, bounds: Bounds) -> Kind:
    """What a lead counts as: a KOBİ, a large firm, a firm of unknown size, an organisation."""
    if not is_firm(lead, rule):
        return "organisation"
    low, high = bounds.get(lead.get("size_band") or "", (None, None))
    if high is not None and high < rule.employees_below:
        return "sme"
    if low is not None and low >= rule.employees_below:
        return "large"
    return "size_unknown"


def is_merged(lead: Mapping[str, Any]) -> bool:
    return lead.get("merged_into") is not None


@dataclasses.dataclass
class CentreProgress:
    id: str
    name: str
    leads: int = 0
    reached: int = 0  # unique KOBİ
    in_clusters: int = 0  # unique KOBİ with status kumeye_katildi
    undelivered: int = 0
    by_status: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Progress:
    on: dt.date
    leads: int
    reached: int
    reached_target: int
    in_clusters: int
    in_clusters_target: int
    undelivered: int
    by_status: dict[str, int]
    centres: list[CentreProgress]  # the centres in content order, then UNASSIGNED if any
    sme_limit: int = 250  # employees: a KOBİ has fewer (content/staff.yaml)
    large_firms: int = 0  # unique firms at or above the limit
    size_unknown: int = 0  # unique firms that gave no size band
    organisations: dict[str, int] = dataclasses.field(default_factory=dict)  # role -> unique
    merged: int = 0  # leads merged into another (not counted above)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["on"] = self.on.isoformat()
        return data


def _tally(
    leads: list[Mapping[str, Any]], cp: CentreProgress, rule: SmeRule, bounds: Bounds
) -> CentreProgress:
    smes = [lead for lead in leads if kind_of(lead, rule, bounds) == "sme"]
    cp.leads = len(leads)
    cp.reached = len({firm_key(lead) for lead in smes})
    cp.in_clusters = len(
        {firm_key(lead) for lead in smes if lead.get("status") == Status.KUMEYE_KATILDI}
    )
    cp.undelivered = sum(1 for lead in leads if not lead.get("announced"))
    cp.by_status = {s.value: 0 for s in Status}
    for lead in leads:
        status = lead.get("status") or Status.YENI
        cp.by_status[status] = cp.by_status.get(status, 0) + 1
    return cp


def compute_progress(
    leads: Iterable[Mapping[str, Any]],
    centres: Iterable[tuple[str, str]],
    reached_target: int,
    in_clusters_target: int,
    on: dt.date | None = None,
    *,
    rule: SmeRule | None = None,
    bounds: Bounds | None = None,
) -> Progress:
    """Progress from plain data: `centres` are (id, display name) pairs."""
    rule = rule or get_staff_words().sme_rule
    bounds = bounds if bounds is not None else band_bounds()
    every = list(leads)
    leads = [lead for lead in every if not is_merged(lead)]
    centres = list(centres)
    known = {cid for cid, _ in centres}
    total = _tally(leads, CentreProgress("", ""), rule, bounds)
    per_centre = [
        _tally(
            [lead for lead in leads if lead.get("centre") == cid],
            CentreProgress(cid, name),
            rule,
            bounds,
        )
        for cid, name in centres
    ]
    orphans = [lead for lead in leads if lead.get("centre") not in known]
    if orphans:
        per_centre.append(_tally(orphans, CentreProgress(UNASSIGNED, ""), rule, bounds))

    def unique(kind: Kind) -> set[str]:
        return {firm_key(lead) for lead in leads if kind_of(lead, rule, bounds) == kind}

    organisations: dict[str, set[str]] = {}
    for lead in leads:
        if kind_of(lead, rule, bounds) == "organisation":
            organisations.setdefault(str(lead.get("role")), set()).add(firm_key(lead))
    return Progress(
        on=on or dt.date.today(),
        leads=total.leads,
        reached=total.reached,
        reached_target=reached_target,
        in_clusters=total.in_clusters,
        in_clusters_target=in_clusters_target,
        undelivered=total.undelivered,
        by_status=total.by_status,
        centres=per_centre,
        sme_limit=rule.employees_below,
        large_firms=len(unique("large")),
        size_unknown=len(unique("size_unknown")),
        organisations={role: len(keys) for role, keys in sorted(organisations.items())},
        merged=len(every) - len(leads),
    )


def progress(store: LeadStore, content: Any = None, on: dt.date | None = None) -> Progress:
    """Progress of all leads in `store` against the targets in force on `on` (today)."""
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    on = on or dt.date.today()
    reached_target = int(content.parameters[REACHED_PARAMETER].at(on))
    in_clusters_target = int(content.parameters[IN_CLUSTERS_PARAMETER].at(on))
    centres = [(c.id, c.province) for c in content.project.centres]
    return compute_progress(store.list(), centres, reached_target, in_clusters_target, on)


def format_progress_tr(p: Progress) -> str:
    """Plain Turkish text of `p` (bot/leads/progress_text.py)."""
    from bot.leads.progress_text import format_progress_tr as text

    return text(p)
