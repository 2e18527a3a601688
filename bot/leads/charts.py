"""The /durum picture: progress against the project's targets (400 KOBİ reached, 200 in
clusters), the same per centre, leads per week and the status funnel, as one PNG.

Drawn with matplotlib on its Agg backend (no display, no GUI toolkit: a PNG in memory),
a well-kept library instead of hand-made images. Drawing takes a noticeable share of a
second, so the bot runs it where store work runs (bot/leads/facade.py `compute`: the worker
process), never on the event loop. Every word on it is from content/staff.yaml.
"""

from __future__ import annotations

import io

from bot.leads.progress import UNASSIGNED
from bot.leads.summary import Figures
from eligibility.staff_words import staff_text

COLOURS = ("#1f6f8b", "#99c24d", "#f18f01", "#c73e1d")


def chart_png(figures: Figures) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: never a display
    from matplotlib.figure import Figure

    p = figures.progress
    fig = Figure(figsize=(11, 7.5), dpi=100, layout="constrained")
    (targets, centres), (weeks, funnel) = fig.subplots(2, 2)

    # 1. the two targets: a pale bar for the target, the reached part over it
    names = [staff_text("chart.reached"), staff_text("chart.in_clusters")]
    done = [p.reached, p.in_clusters]
    goal = [p.reached_target, p.in_clusters_target]
    targets.barh(names, goal, color="#e4e4e4")
    targets.barh(names, done, color=COLOURS[:2])
    for y, (count, target) in enumerate(zip(done, goal, strict=True)):
        targets.text(
            target, y, " " + staff_text("chart.of_target", count=count, target=target), va="center"
        )
    targets.set_xlim(0, max(goal + done) * 1.3 or 1)
    targets.invert_yaxis()
    targets.set_title(staff_text("chart.targets", basis=figures.basis), fontsize=10)

    # 2. per centre
    shown = [c for c in p.centres if c.id != UNASSIGNED]
    x = range(len(shown))
    centres.bar(
        [i - 0.2 for i in x], [c.reached for c in shown], 0.4, color=COLOURS[0], label=names[0]
    )
    centres.bar(
        [i + 0.2 for i in x], [c.in_clusters for c in shown], 0.4, color=COLOURS[1], label=names[1]
    )
    centres.set_xticks(list(x), [c.name for c in shown], fontsize=8, rotation=20)
    centres.legend(fontsize=8)
    centres.set_title(staff_text("chart.by_centre"), fontsize=10)

    # 3. leads per week
    labels = [monday.strftime("%d.%m") for monday, _ in figures.weeks]
    weeks.bar(labels, [n for _, n in figures.weeks], color=COLOURS[2])
    weeks.set_title(staff_text("chart.weekly"), fontsize=10)
    weeks.set_xlabel(staff_text("chart.week"), fontsize=8)
    weeks.set_ylabel(staff_text("chart.leads"), fontsize=8)
    weeks.tick_params(axis="x", labelsize=7, rotation=45)

    # 4. the status funnel
    funnel.barh(
        [s for s, _ in figures.statuses], [n for _, n in figures.statuses], color=COLOURS[3]
    )
    funnel.invert_yaxis()
    funnel.set_title(staff_text("chart.funnel"), fontsize=10)
    from matplotlib.ticker import MaxNLocator

    for axes in (centres, weeks):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    funnel.xaxis.set_major_locator(MaxNLocator(integer=True))

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
