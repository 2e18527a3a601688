"""The deep-link source funnel: how many firm walks started, finished and ended with consent,
per deep-link source (t.me/<bot>?start=<source>) and centre. Counts only: the store keeps
counters (`LeadStore.bump_funnel`), never who; a walk's centre is known when it finishes, so
"started" is counted per source alone.

The bot bumps the counters (bot/telegram/user/walk.py and results.py); `/durum` and
`kume durum` show them under the progress (bot/leads/progress_text.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads.views import centre_name
from eligibility.staff_words import staff_text

STARTED, FINISHED, CONSENTED = "started", "finished", "consented"


@dataclasses.dataclass
class SourceFunnel:
    source: str
    started: int = 0
    finished: int = 0
    consented: int = 0
    centres: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)


def summarise(
    counts: Iterable[Mapping[str, Any]], centres: frozenset[str] | None = None
) -> list[SourceFunnel]:
    """Per source, most started first; per-centre lines only for `centres` (None: all)."""
    by_source: dict[str, SourceFunnel] = {}
    for row in counts:
        funnel = by_source.setdefault(str(row["source"]), SourceFunnel(str(row["source"])))
        stage, count, centre = row["stage"], int(row["count"]), row.get("centre")
        if stage == STARTED:
            funnel.started += count
            continue
        if stage == FINISHED:
            funnel.finished += count
        elif stage == CONSENTED:
            funnel.consented += count
        if centre and (centres is None or centre in centres):
            finished, consented = funnel.centres.get(centre, (0, 0))
            if stage == FINISHED:
                finished += count
            else:
                consented += count
            funnel.centres[centre] = (finished, consented)
    return sorted(by_source.values(), key=lambda f: (-f.started, f.source))


def funnel_lines(funnels: list[SourceFunnel]) -> list[str]:
    lines = [staff_text("progress.sources")]
    if not funnels:
        lines.append(staff_text("progress.no_sources"))
    for f in funnels:
        lines.append(
            staff_text(
                "progress.source",
                source=f.source,
                started=f.started,
                finished=f.finished,
                consented=f.consented,
            )
        )
        for centre, (finished, consented) in sorted(f.centres.items()):
            lines.append(
                staff_text(
                    "progress.source_centre",
                    centre=centre_name(centre),
                    finished=finished,
                    consented=consented,
                )
            )
    return lines
