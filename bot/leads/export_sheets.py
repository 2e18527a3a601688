"""The xlsx export's extra sheets: "Özet" with the figures of the /durum chart (computed by
bot/leads/summary.py from the exported leads) and "Kümeler" (bot/leads/clusters.py). Every
title from content/staff.yaml; every cell a number or a string cell (never a formula)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.leads.clusters import forming_clusters, threshold
from bot.leads.progress import UNASSIGNED
from bot.leads.progress_text import role_labels
from bot.leads.summary import compute_figures
from eligibility.labels import get_labels
from eligibility.staff_words import staff_text


def _append(ws: Any, values: Sequence[Any], bold: bool = False) -> None:
    from openpyxl.styles import Font

    ws.append(list(values))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)


def add_summary_sheet(wb: Any, leads: Sequence[Mapping[str, Any]]) -> None:
    t = staff_text
    figures = compute_figures(leads)
    p = figures.progress
    ws = wb.create_sheet(t("export.summary_sheet"))
    _append(ws, [t("export.summary_note", date=p.on.strftime("%d.%m.%Y"))])
    _append(
        ws,
        [t("export.summary_figure"), t("export.summary_value"), t("export.summary_target")],
        bold=True,
    )
    _append(ws, [t("chart.reached"), p.reached, p.reached_target])
    _append(ws, [t("chart.in_clusters"), p.in_clusters, p.in_clusters_target])
    _append(ws, [t("chart.targets", basis=figures.basis)])
    _append(ws, [t("progress.large", limit=p.sme_limit, count="").rstrip(": "), p.large_firms])
    _append(ws, [t("progress.size_unknown", count="").rstrip(": "), p.size_unknown])
    labels = role_labels()
    for role, count in p.organisations.items():
        _append(ws, [labels.get(role, role), count])
    for c in p.centres:
        name = t("progress.unassigned") if c.id == UNASSIGNED else c.name
        _append(ws, [t("export.centre_row", name=name), c.reached])
        _append(ws, [t("export.centre_clusters_row", name=name), c.in_clusters])
    _append(ws, [])
    _append(ws, [t("export.week_column"), t("export.count_column")], bold=True)
    for monday, count in figures.weeks:
        _append(ws, [monday.strftime("%d.%m.%Y"), count])
    _append(ws, [])
    _append(ws, [t("export.status_column"), t("export.count_column")], bold=True)
    for label, count in figures.statuses:
        _append(ws, [label, count])
    ws.column_dimensions["A"].width = 48


def add_clusters_sheet(wb: Any, leads: Sequence[Mapping[str, Any]]) -> None:
    t = staff_text
    yes_no = get_labels().yes_no
    limit = threshold()
    ws = wb.create_sheet(t("export.clusters_sheet"))
    _append(
        ws,
        [
            t("clusters.province"),
            t("clusters.sector"),
            t("clusters.code"),
            t("clusters.firms"),
            t("clusters.missing"),
            t("clusters.chamber"),
            t("clusters.university"),
        ],
        bold=True,
    )
    for c in forming_clusters(leads, limit):
        _append(
            ws,
            [
                c.province,
                c.sector,
                c.nace,
                c.firms,
                c.missing,
                yes_no(c.chamber),
                yes_no(c.university),
            ],
        )
    ws.column_dimensions["B"].width = 50
