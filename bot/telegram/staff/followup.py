"""/takip (next contact day and owner) and /birlestir (merge a duplicate), through the staff
operations the shell uses too (bot/leads/staff_actions.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.leads import staff as ops
from bot.leads import staff_actions
from bot.leads.staff import StaffMember
from bot.leads.store import LeadNotFound
from bot.leads.views import local_day
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.staff.access import staff_only
from eligibility.staff_words import staff_text

SELF_WORDS = ("ben",)  # "/takip 12 15.12.2026 ben": I follow it up


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    await reply(update, context, esc(text))


def owner_check(settings: Settings) -> staff_actions.OwnerCheck:
    """An owner "tg:<id>" must be staff of the lead's centre (or an admin)."""

    def ok(owner: str, centre: str) -> bool:
        if not owner.startswith("tg:") or not owner[3:].isdigit():
            return False
        return centre in settings.centres_of(int(owner[3:]))

    return ok


@staff_only()
async def cmd_takip(update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember) -> None:
    from eligibility.text import fold

    args = context.args or []
    if len(args) < 2:
        await _say(update, context, staff_text("followup.usage"))
        return
    try:
        lead_id = ops.parse_lead_id(args[0])
        day = staff_actions.parse_next_contact(args[1])
    except ops.StaffInputError as exc:
        await _say(update, context, f"{exc}\n{staff_text('followup.usage')}")
        return
    rest = [fold(a) for a in args[2:]]
    owner = staff.by if any(w in {fold(x) for x in SELF_WORDS} for w in rest) else None
    rt = runtime(context)
    try:
        lead = await staff_actions.set_followup(
            rt.leads,
            staff,
            lead_id,
            next_contact=day,
            owner=owner,
            owner_ok=owner_check(rt.settings),
        )
    except LeadNotFound:
        await _say(update, context, staff_text("common.not_found"))
        return
    except ops.StaffInputError as exc:
        await _say(update, context, str(exc))
        return
    owner_part = staff_text("followup.owner_part", owner=lead["owner"]) if lead["owner"] else ""
    await _say(
        update,
        context,
        staff_text(
            "followup.done", id=lead_id, date=local_day(lead["next_contact"]), owner=owner_part
        ),
    )


@staff_only()
async def cmd_birlestir(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    args = context.args or []
    try:
        keep, duplicate = (ops.parse_lead_id(a) for a in args) if len(args) == 2 else (0, 0)
    except ops.StaffInputError:
        keep = duplicate = 0
    if not keep or not duplicate:
        await _say(update, context, staff_text("merge.usage"))
        return
    try:
        await staff_actions.merge(runtime(context).leads, staff, keep, duplicate)
    except LeadNotFound:
        await _say(update, context, staff_text("common.not_found"))
        return
    except ops.StaffInputError as exc:
        await _say(update, context, str(exc))
        return
    await _say(update, context, staff_text("merge.done", source=duplicate, target=keep))
