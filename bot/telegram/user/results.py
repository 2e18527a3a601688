"""The end of a walk: the eligibility verdict, or the firm's matches, centre and lead, each
ending with the way forward (next_steps.yaml; the centre's contact or its host).

The lead is built from the engine's Result (bot/leads/intake.py) and saved before anything
is sent, exactly once (bot/telegram/user/submission.py): a network problem while showing the
results must not lose it, a crash must not save it twice.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.leads import funnel as stages
from bot.telegram import funnel
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user import submission
from bot.telegram.user.menu import state_of
from bot.telegram.user.render_personal import render_consent_refused, render_lead_confirmation
from bot.telegram.user.render_results import render_centre, render_matches, render_verdict
from eligibility import questionnaire as q
from eligibility.content import get_content

log = logging.getLogger(__name__)

SAVE_FAILED = (
    "⚠️ Bilgilerinizi şu an kaydedemedim. Birazdan herhangi bir mesaj yazarak "
    "yeniden deneyebilir ya da /iptal ile vazgeçebilirsiniz."
)


def _after_verdict() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [kb.menu_button("firma")],
            [kb.menu_button("hesap")],
            [kb.menu_button("merkez"), kb.home_button()],
        ]
    )


async def show_result(
    update: Update, context: ContextTypes.DEFAULT_TYPE, session: q.Session, result: q.Result
) -> None:
    state = state_of(context)
    content = get_content()
    settings = runtime(context).settings
    site_url = settings.site_url
    if result.verdict is not None:
        verdict = result.verdict.to_json()
        state.verdict = verdict  # a later firm walk carries it into its lead
        state.clear_walk()
        await reply(update, context, render_verdict(verdict, content, site_url), _after_verdict())
        return

    first = submission.first_showing(context, result)  # made durable by submit, with the walk
    lead_id = None
    if result.saves_lead:
        # On failure the confirmed session is kept, so the user's next message retries the
        # save (the engine answers a "done" session with its result).
        try:
            lead_id = await submission.submit(update, context, session, result)
        except Exception:
            log.exception("lead could not be saved")
            state.result_shown = None  # not shown: the retry counts it
            state.keep_walk(session)
            await reply(update, context, SAVE_FAILED)
            return
    if lead_id is None:
        # Without consent nothing is kept: the walk's answers leave the conversation state here.
        state.clear_walk()
    # A saved walk stays in the state (confirmed, "done") until its number was handed to
    # Telegram: killed before that, the restarted bot finds it and shows the number with
    # the user's next message. Cleared here, the interval flush could write the state
    # without it while the results are still on their way, and the user would never see
    # their number (the chaos test found it).
    if first:  # not again when the same walk is finished after a crash
        centre_id = result.routing.centre.id if result.routing is not None else None
        funnel.count(context, state.source, centre_id, stages.FINISHED)
        if lead_id is not None:
            funnel.count(context, state.source, centre_id, stages.CONSENTED)
    await reply(update, context, render_matches(result.matches, content, site_url))
    province = result.answers.get("province")
    if result.routing is not None and province:
        await reply(update, context, render_centre(province, result.routing, content))
    centre = result.routing.centre if result.routing is not None else None
    if lead_id is None:
        text = render_consent_refused(content, settings.retention_days, site_url)
    else:
        text = render_lead_confirmation(lead_id, centre, content, site_url)
    await reply(update, context, text, kb.main_menu())
    if lead_id is not None:
        await submission.confirmation_sent(update, context)
