"""The figures staff look at: progress against the targets, leads per week, the status
funnel. One computation for the /durum chart (bot/leads/charts.py) and the export's summary
sheet (bot/leads/export_sheets.py), so the two always show the same numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads.progress import (
    IN_CLUSTERS_PARAMETER,
    REACHED_PARAMETER,
    Progress,
    compute_progress,
    is_merged,
)
from bot.leads.record import STATUS_LABELS, parse_iso
from bot.leads.store import LeadStore
from bot.leads.views import TURKEY_TZ

WEEKS = 12


@dataclasses.dataclass(frozen=True)
class Figures:
    progress: Progress
    basis: str  # the targets' dating line: "2011 tarihli proje tanıtım metnine göre"
    weeks: list[tuple[dt.date, int]]  # Monday of each of the last WEEKS weeks, leads created
    statuses: list[tuple[str, int]]  # status label, leads


def weekly(
    leads: Iterable[Mapping[str, Any]], today: dt.date, weeks: int = WEEKS
) -> list[tuple[dt.date, int]]:
    """Leads created per week (Monday to Sunday, Turkish local time), oldest week first."""
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(mondays, 0)
    for lead in leads:
        day = parse_iso(str(lead.get("created_at"))).astimezone(TURKEY_TZ).date()
        monday = day - dt.timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
    return list(counts.items())


def compute_figures(
    leads: Iterable[Mapping[str, Any]], content: Any = None, on: dt.date | None = None
) -> Figures:
    from eligibility.dating import figure_basis

    if content is None:
        from eligibility.content import get_content

        content = get_content()
    today = on or dt.datetime.now(TURKEY_TZ).date()
    every = [lead for lead in leads if not is_merged(lead)]
    progress = compute_progress(
        every,
        [(c.id, c.province) for c in content.project.centres],
        int(content.parameters[REACHED_PARAMETER].at(today)),
        int(content.parameters[IN_CLUSTERS_PARAMETER].at(today)),
        today,
    )
    statuses = [(STATUS_LABELS[s], n) for s, n in progress.by_status.items() if s in STATUS_LABELS]
    return Figures(
        progress=progress,
        basis=figure_basis(REACHED_PARAMETER, today, content),
        weeks=weekly(every, today),
        statuses=statuses,
    )


def store_figures(store: LeadStore) -> Figures:
    """The figures of every lead in `store` (run where store work runs)."""
    return compute_figures(store.list())
