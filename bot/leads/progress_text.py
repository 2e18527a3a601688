"""Progress as plain Turkish text (no markup) for the terminal and the bot alike; every
word from content/staff.yaml, role names from the role question of questionnaire.yaml."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from bot.leads.progress import UNASSIGNED, Progress
from bot.leads.record import STATUS_LABELS
from eligibility.staff_words import staff_text


def _percent(part: int, whole: int) -> str:
    if whole <= 0:
        return ""
    return f" (%{part * 100 / whole:.1f})".replace(".", ",")


def _statuses(by_status: Mapping[str, int]) -> str:
    return ", ".join(f"{STATUS_LABELS.get(s, s)} {n}" for s, n in by_status.items() if n)


@functools.cache
def role_labels() -> dict[str, str]:
    from bot.leads.views import option_labels

    return option_labels("role")


def format_progress_tr(p: Progress) -> str:
    t = staff_text
    lines = [
        t("progress.title", date=p.on.strftime("%d.%m.%Y")),
        t(
            "progress.reached",
            count=p.reached,
            target=p.reached_target,
            percent=_percent(p.reached, p.reached_target),
        ),
        t(
            "progress.in_clusters",
            count=p.in_clusters,
            target=p.in_clusters_target,
            percent=_percent(p.in_clusters, p.in_clusters_target),
        ),
        t("progress.rule", limit=p.sme_limit),
        t("progress.large", limit=p.sme_limit, count=p.large_firms),
        t("progress.size_unknown", count=p.size_unknown),
    ]
    labels = role_labels()
    for role, count in p.organisations.items():
        lines.append(t("progress.organisation", label=labels.get(role, role), count=count))
    if p.leads:
        lines.append(t("progress.total_statuses", count=p.leads, statuses=_statuses(p.by_status)))
    else:
        lines.append(t("progress.total", count=p.leads))
    lines.append(t("progress.undelivered", count=p.undelivered))
    if p.merged:
        lines.append(t("progress.merged", count=p.merged))
    lines += ["", t("progress.by_centre")]
    for c in p.centres:
        name = t("progress.unassigned") if c.id == UNASSIGNED else c.name
        line = t("progress.centre", name=name, reached=c.reached, in_clusters=c.in_clusters)
        if c.leads:
            line += t("progress.centre_leads", count=c.leads, statuses=_statuses(c.by_status))
        if c.undelivered:
            line += t("progress.centre_undelivered", count=c.undelivered)
        lines.append(line)
    return "\n".join(lines)
