"""Staff commands in Telegram: /leads, /lead, /export and /merkez N merkez here; /durum and
/kumeler in reports.py, /takip and /birlestir in followup.py, /bul and /kvkksil in kvkk.py;
all listed in STAFF_COMMANDS.

Thin over the staff operations of bot/leads/staff.py (the same ones `kume leads` uses):
this module reads the chat words and renders the answers. Every change is stored with who
("tg:<user id>") and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.leads import staff as ops
from bot.leads.record import Lead, status_label
from bot.leads.staff import StaffMember
from bot.leads.store import LeadNotFound
from bot.leads.views import centre_name
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.staff.access import PASS, is_private, staff_only
from bot.telegram.staff.announce import announce_lead
from bot.telegram.staff.cards import lead_html, lead_keyboard

NOT_FOUND = "Kayıt bulunamadı."
LIST_LIMIT = 50
LEADS_USAGE = (
    "Kullanım: /leads [merkez] [durum] [tarih]\n"
    "Örnek: /leads corum yeni 2026-11-01 (tarih: o günden bu yana)"
)


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    await reply(update, context, esc(text))


async def _visible_leads(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> list[Lead] | None:
    """The leads the command's words ask for that this staff member may see; None (after
    telling why) when the words cannot be used."""
    try:
        where = ops.filter_from_words(context.args or [])
        return await ops.find(runtime(context).leads, staff, where)
    except ops.NotYourCentre as exc:
        await _say(update, context, str(exc))
    except ops.StaffInputError as exc:
        await _say(update, context, f"{exc}\n{LEADS_USAGE}")
    return None


def _lead_line(lead: Lead, private: bool = True) -> str:
    """One lead of a list; in a group without the firm's name (personal data of a sole
    trader), as in the announcements."""
    created = str(lead.get("created_at") or "")[:10]
    flag = "" if lead.get("announced") else " ⚠️"
    firm = f"{esc(lead.get('firm') or '-')} · " if private else ""
    return (
        f"<b>#{int(lead['id'])}</b> {firm}"
        f"{esc(lead.get('province') or '-')} · {esc(status_label(lead.get('status')))} · "
        f"{esc(created)}{flag}"
    )


@staff_only()
async def cmd_leads(update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember) -> None:
    leads = await _visible_leads(update, context, staff)
    if leads is None:
        return
    if not leads:
        await _say(update, context, "Bu ölçütlere uyan kayıt yok.")
        return
    shown = leads[-LIST_LIMIT:]
    lines = [f"<b>{len(leads)} kayıt</b> (ayrıntı: /lead numara)"]
    private = is_private(update)
    lines += [_lead_line(lead, private) for lead in reversed(shown)]
    if len(leads) > len(shown):
        lines.append(f"… ve {len(leads) - len(shown)} eski kayıt daha; tümü için /export")
    if any(not lead.get("announced") for lead in shown):
        lines.append("⚠️ merkeze henüz bildirilemedi")
    await reply(update, context, "\n".join(lines))


def _lead_id_arg(args: list[str]) -> int | None:
    try:
        return ops.parse_lead_id(args[0]) if args else None
    except ops.StaffInputError:
        return None


@staff_only(private_only=True)
async def cmd_lead(update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember) -> None:
    lead_id = _lead_id_arg(context.args or [])
    if lead_id is None:
        await _say(update, context, "Kullanım: /lead numara (örnek: /lead 12)")
        return
    try:
        lead = await ops.get(runtime(context).leads, staff, lead_id)
    except LeadNotFound:
        await _say(update, context, NOT_FOUND)
        return
    await reply(update, context, lead_html(lead), lead_keyboard(lead))


@staff_only(private_only=True)
async def cmd_export(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    try:
        where = ops.filter_from_words(context.args or [])
        data, count = await ops.export(runtime(context).leads, staff, where, "xlsx")
    except ops.NotYourCentre as exc:
        await _say(update, context, str(exc))
        return
    except ops.StaffInputError as exc:
        await _say(update, context, f"{exc}\n{LEADS_USAGE}")
        return
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        document=data,
        filename=f"basvurular-{stamp}.xlsx",
        caption=f"{count} kayıt. Kişisel veri içerir; paylaşmayın.",
    )


@staff_only(others_pass=True)
async def cmd_merkez(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> bool | None:
    args = context.args or []
    if not args:
        return PASS  # users (and staff) have their own /merkez: their Knowledge Centre
    lead_id = _lead_id_arg(args)
    centre = ops.find_centre(" ".join(args[1:])) if len(args) >= 2 else None
    if lead_id is None or centre is None:
        valid = ", ".join(ops.centre_ids())
        await _say(update, context, f"Kullanım: /merkez numara merkez (merkezler: {valid})")
        return None
    rt = runtime(context)
    try:
        lead = await ops.move_to_centre(rt.leads, staff, lead_id, centre)
    except LeadNotFound:
        await _say(update, context, NOT_FOUND)
        return None
    delivered = await announce_lead(rt, context.bot, lead)
    text = f"#{lead_id} artık {centre_name(centre)} kaydı."
    if not delivered:
        text += " Merkeze bildirilemedi; daha sonra yeniden denenecek."
    await _say(update, context, text)
    return None


def _staff_commands() -> dict[str, Any]:
    from bot.telegram.staff import followup, kvkk, reports

    return {
        "leads": cmd_leads,
        "lead": cmd_lead,
        "export": cmd_export,
        "durum": reports.cmd_durum,
        "kumeler": reports.cmd_kumeler,
        "takip": followup.cmd_takip,
        "bul": kvkk.cmd_bul,
        "kvkksil": kvkk.cmd_kvkksil,
        "birlestir": followup.cmd_birlestir,
        "merkez": cmd_merkez,
    }


STAFF_COMMANDS = _staff_commands()
