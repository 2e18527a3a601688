"""Counting the deep-link source funnel from the conversation (bot/leads/funnel.py): a firm
walk started, finished, consented. In the background and best effort: a counter must never
delay or break a user's conversation. Counts only: nothing about who."""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.telegram.runtime import runtime

log = logging.getLogger(__name__)

FIRM_PATH = "firma"


async def _bump(
    context: ContextTypes.DEFAULT_TYPE, source: str, centre: str | None, stage: str
) -> None:
    try:
        await runtime(context).leads.bump_funnel(source, centre, stage)
    except Exception as exc:
        log.warning("kaynak sayacı artırılamadı: %s", type(exc).__name__)


def count(context: ContextTypes.DEFAULT_TYPE, source: str, centre: str | None, stage: str) -> None:
    context.application.create_task(_bump(context, source, centre, stage), name=f"funnel-{stage}")
