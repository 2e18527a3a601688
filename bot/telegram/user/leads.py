"""Saving a consented lead, and the user's own data (/verilerim, /sil).

Order matters: the lead is written to the store before anyone is notified, and a failed
announcement never loses it: it stays `announced=False` and the runtime's retry job sends it
later.
"""

from __future__ import annotations

import logging

from bot.leads.intake import lead_from_result
from bot.leads.record import Lead
from bot.telegram.runtime import App, runtime
from bot.telegram.staff.announce import announce_saved_lead
from eligibility.content import get_content
from eligibility.questionnaire import Result

log = logging.getLogger(__name__)


def user_key(user_id: int) -> str:
    return f"tg:{user_id}"


async def save_lead(application: App, result: Result, *, user_id: int, source: str) -> int:
    """Stores the lead of a finished, consented firm walk and announces it; returns its id.
    Idempotent on the walk's submission key: saved again (after a crash, a retry), it returns
    the first lead's id and announces nothing new. Raises only if the lead could not be
    stored."""
    lead = lead_from_result(
        result,
        user_key=user_key(user_id),
        source=source,
        consent_version=get_content().kvkk.version,
    )
    lead_id = await runtime(application).leads.add(lead)
    # In the background, so that a slow or failing staff chat never delays the user's
    # confirmation; Application.stop() waits for such tasks, and the runtime's retry job
    # picks up anything left unannounced.
    application.create_task(_announce(application, lead_id), name=f"announce-{lead_id}")
    return lead_id


async def _announce(application: App, lead_id: int) -> None:
    """Tell the centre's staff; any failure is logged (without personal data) and swallowed."""
    try:
        await announce_saved_lead(runtime(application), application.bot, lead_id)
    except Exception:
        log.exception("lead %s could not be announced; it stays in the store", lead_id)


async def find_user_leads(application: App, user_id: int) -> list[Lead]:
    return await runtime(application).leads.find_by_user(user_key(user_id))


async def delete_user_leads(application: App, user_id: int) -> int:
    return await runtime(application).leads.delete_by_user(user_key(user_id))
