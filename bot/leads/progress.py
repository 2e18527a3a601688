"""Progress of the Knowledge Centres against the project targets (content/parameters.yaml):
`target_smes_reached` compared with the firms that left a lead, `target_smes_in_clusters`
with the firms whose lead reached "kümeye katıldı". A firm counts once however many leads
it left (firm names compared Turkish-folded, punctuation ignored)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads.record import STATUS_LABELS, Status
from bot.leads.store import LeadStore
from eligibility.text import fold

REACHED_PARAMETER = "target_smes_reached"
IN_CLUSTERS_PARAMETER = "target_smes_in_clusters"
UNASSIGNED = "belirsiz"  # bucket for leads with no or an unknown centre

_NON_WORD = re.compile(r"[\W_]+")


def firm_key(lead: Mapping[str, Any]) -> str:
    """Identity of the firm behind a lead; a lead without a firm name counts on its own."""
    name = _NON_WORD.sub(" ", fold(lead.get("firm") or "")).strip()
    if name:
        return "firm:" + name
    return "user:" + str(lead.get("user_key") or lead.get("id"))


@dataclasses.dataclass
class CentreProgress:
    id: str
    name: str
    leads: int = 0
    reached: int = 0  # unique firms
    in_clusters: int = 0  # unique firms with status kumeye_katildi
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
    centres: list[CentreProgress]  # the five centres in content order, then UNASSIGNED if any

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["on"] = self.on.isoformat()
        return data


def _tally(leads: list[Mapping[str, Any]], cp: CentreProgress) -> CentreProgress:
    cp.leads = len(leads)
    cp.reached = len({firm_key(lead) for lead in leads})
    cp.in_clusters = len(
        {firm_key(lead) for lead in leads if lead.get("status") == Status.KUMEYE_KATILDI}
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
) -> Progress:
    """Progress from plain data: `centres` are (id, display name) pairs."""
    leads = list(leads)
    centres = list(centres)
    known = {cid for cid, _ in centres}
    total = _tally(leads, CentreProgress("", ""))
    per_centre = [
        _tally([lead for lead in leads if lead.get("centre") == cid], CentreProgress(cid, name))
        for cid, name in centres
    ]
    orphans = [lead for lead in leads if lead.get("centre") not in known]
    if orphans:
        per_centre.append(_tally(orphans, CentreProgress(UNASSIGNED, "Merkezi belirsiz")))
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


def _percent(part: int, whole: int) -> str:
    if whole <= 0:
        return ""
    return f" (%{part * 100 / whole:.1f})".replace(".", ",")


def _statuses(by_status: Mapping[str, int]) -> str:
    return ", ".join(f"{STATUS_LABELS.get(s, s)} {n}" for s, n in by_status.items() if n)


def format_progress_tr(p: Progress) -> str:
    """Plain Turkish text (no markup), for the terminal and the bot alike."""
    lines = [
        f"Kümelenme Bilgi Merkezleri – ilerleme ({p.on.strftime('%d.%m.%Y')})",
        f"Ulaşılan KOBİ: {p.reached} / {p.reached_target}{_percent(p.reached, p.reached_target)}",
        f"Kümeye katılan KOBİ: {p.in_clusters} / {p.in_clusters_target}"
        f"{_percent(p.in_clusters, p.in_clusters_target)}",
        f"Toplam başvuru: {p.leads}" + (f" ({_statuses(p.by_status)})" if p.leads else ""),
        f"Merkeze bildirilmemiş başvuru: {p.undelivered}",
        "",
        "Merkezlere göre:",
    ]
    for c in p.centres:
        line = f"• {c.name}: {c.reached} KOBİ, {c.in_clusters} kümede"
        if c.leads:
            line += f" — {c.leads} başvuru ({_statuses(c.by_status)})"
        if c.undelivered:
            line += f", {c.undelivered} bildirilmemiş"
        lines.append(line)
    return "\n".join(lines)
