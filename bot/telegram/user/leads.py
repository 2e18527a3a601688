"""Saving a consented lead, and the user's own data (/verilerim, /sil).

Order matters: the lead is written to the store (in a worker thread: TinyDB and its file
lock block) before anyone is notified, and a failed announcement never loses it: it stays
`announced=False` and the runtime's retry job sends it later.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application

from bot.leads.facade import Leads
from bot.telegram.runtime import runtime
from bot.telegram.staff.announce import announce_lead

logger = logging.getLogger(__name__)


def user_key(user_id: int) -> str:
    return f"tg:{user_id}"


def get_leads(application: Application) -> Leads:
    return runtime(application).leads


async def save_lead(
    application: Application,
    session: dict[str, Any],
    *,
    key: str,
    source: str,
    eligibility: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build, store and announce the lead of a confirmed, consented firm session.

    Returns the stored lead (with its id). Raises only if the lead could not be stored.
    """
    from bot.leads.intake import build_lead
    from eligibility.content import get_content

    kvkk = get_content().kvkk
    lead = build_lead(
        session,
        user_key=key,
        source=source,
        consent_version=kvkk.version,
        consent_at=session.get("consent_at"),
    )
    if eligibility:
        lead["eligibility"] = eligibility
    lead_id = await get_leads(application).add(lead)
    lead["id"] = lead_id
    # In the background, so that a slow or failing staff chat never delays the user's
    # confirmation; Application.stop() waits for such tasks, and the runtime's retry job
    # picks up anything left unannounced.
    application.create_task(announce(application, dict(lead)), name=f"announce-{lead_id}")
    return lead


async def announce(application: Application, lead: dict[str, Any]) -> None:
    """Tell the centre's staff; any failure is logged (without personal data) and swallowed."""
    try:
        await announce_lead(runtime(application), application.bot, lead)
    except Exception:
        logger.exception("lead %s could not be announced; it stays in the store", lead.get("id"))


async def find_user_leads(application: Application, key: str) -> list[dict[str, Any]]:
    return await get_leads(application).find_by_user(key)


async def delete_user_leads(application: Application, key: str) -> int:
    return await get_leads(application).delete_by_user(key)
