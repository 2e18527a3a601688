"""/durum (progress, the deep-link source funnel and a chart) and /kumeler (clusters
forming), over the same computations as `kume durum` and `kume kumeler`. Counts only, so
they may be used in a centre's staff chat too."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.leads import staff as ops
from bot.leads.charts import chart_png
from bot.leads.clusters import clusters_text, forming_clusters, threshold
from bot.leads.filters import EVERY_LEAD
from bot.leads.funnel import funnel_lines, summarise
from bot.leads.progress import format_progress_tr, progress
from bot.leads.staff import StaffMember
from bot.leads.summary import store_figures
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.staff.access import staff_only
from eligibility.staff_words import staff_text

log = logging.getLogger(__name__)


@staff_only()
async def cmd_durum(update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember) -> None:
    leads = runtime(context).leads
    p = await leads.call(progress)
    sources = summarise(await leads.funnel_counts(), staff.centres)
    text = format_progress_tr(p) + "\n\n" + "\n".join(funnel_lines(sources))
    await reply(update, context, esc(text))
    # the picture: figures where store work runs, drawing in the worker (never the loop)
    figures = await leads.call(store_figures)
    png = await leads.compute(chart_png, figures)
    chat = update.effective_chat
    if chat is None:
        return
    caption = staff_text("progress.chart_caption", date=p.on.strftime("%d.%m.%Y"))
    try:
        await context.bot.send_photo(chat.id, photo=png, caption=caption)
    except TelegramError as exc:  # the text is there already; the picture is a bonus
        log.warning("ilerleme grafiği gönderilemedi: %s", type(exc).__name__)


@staff_only()
async def cmd_kumeler(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    visible = await ops.find(runtime(context).leads, staff, EVERY_LEAD)
    limit = threshold()
    await reply(update, context, esc(clusters_text(forming_clusters(visible, limit), limit)))
