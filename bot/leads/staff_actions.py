"""More of what staff do with leads, once for Telegram and the shell (as bot/leads/staff.py):
follow-up (owner and next contact day), finding a lead by phone or e-mail and erasing it for
a data-subject request (KVKK) with an audit entry, merging duplicates, the daily digest.

Errors are Turkish: `StaffInputError` for unusable input, `LeadNotFound` for a lead that
does not exist or that this member may not see (the two are not told apart).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.leads.digest import Digest, compute_digest
from bot.leads.facade import Leads
from bot.leads.record import Lead, quote_input
from bot.leads.staff import StaffInputError, StaffMember, get, parse_day
from bot.leads.views import TURKEY_TZ
from eligibility.staff_words import staff_text
from eligibility.validators import ValidationProblem, parse_email, parse_phone

TOMORROW_WORDS = ("yarın",)

# Who may own a lead of a centre: (owner, centre id) -> bool. The front end knows its staff
# (the bot: KUME_STAFF and KUME_ADMINS); None accepts any owner (the shell names people).
OwnerCheck = Callable[[str, str], bool]


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(TURKEY_TZ).date()


def parse_next_contact(text: str, today: dt.date | None = None) -> dt.date:
    """The next contact day as staff write it: 15.12.2026, 2026-12-15, "bugün", "yarın"
    (Turkish local days); never in the past."""
    from eligibility.text import fold

    today = today or local_today()
    if fold(text) in {fold(w) for w in TOMORROW_WORDS}:
        return today + dt.timedelta(days=1)
    day = parse_day(text)
    if day is None:
        raise StaffInputError(staff_text("followup.bad_date", value=quote_input(text)))
    if fold(text) == fold("bugün"):
        day = today
    if day < today:
        raise StaffInputError(staff_text("followup.past_date", value=day.strftime("%d.%m.%Y")))
    return day


async def set_followup(
    leads: Leads,
    staff: StaffMember,
    lead_id: int,
    *,
    next_contact: dt.date | None = None,
    owner: str | None = None,
    owner_ok: OwnerCheck | None = None,
    status: str | None = None,
) -> Lead:
    """Sets the next contact day and/or the owner (a staff member of the lead's centre),
    with a status change when `status` is given, in one store change."""
    lead = await get(leads, staff, lead_id)
    if owner is not None and owner_ok is not None and not owner_ok(owner, lead["centre"] or ""):
        raise StaffInputError(staff_text("followup.not_staff", owner=owner))
    day = next_contact.isoformat() if next_contact is not None else None
    if status is not None:
        return await leads.update_status_followup(lead_id, status, staff.by, owner, day)
    return await leads.set_followup(lead_id, owner, day)


def contact_key(text: str) -> tuple[str, str]:
    """("email", normalised) or ("phone", E.164) of what staff typed to find a lead."""
    raw = " ".join(text.split())
    try:
        if "@" in raw:
            return "email", parse_email(raw).casefold()
        return "phone", parse_phone(raw)
    except ValidationProblem:
        raise StaffInputError(staff_text("find.bad_query", value=quote_input(text))) from None


async def find_by_contact(leads: Leads, staff: StaffMember, text: str) -> list[Lead]:
    """The leads (Telegram and terminal ones alike) with this phone or e-mail that this
    member may see: "0532 123 45 67" finds "+905321234567"."""
    field, wanted = contact_key(text)
    found = []
    for lead in await leads.list():
        value = lead.get(field) or ""
        if (value.casefold() if field == "email" else value) == wanted and staff.may_see(lead):
            found.append(lead)
    return found


async def erase(leads: Leads, staff: StaffMember, lead_id: int, reason: str) -> None:
    """Deletes a lead for a data-subject request, leaving an audit entry (who, when, which
    number, why; no personal data) that outlives it."""
    reason = " ".join(reason.split())
    if not reason:
        raise StaffInputError(staff_text("delete.reason_missing"))
    await get(leads, staff, lead_id)
    await leads.erase_lead(lead_id, staff.by, reason)


async def merge(leads: Leads, staff: StaffMember, keep_id: int, duplicate_id: int) -> Lead:
    """Merges `duplicate_id` into `keep_id` (both must be visible to this member)."""
    if keep_id == duplicate_id:
        raise StaffInputError(staff_text("merge.same"))
    await get(leads, staff, keep_id)
    duplicate = await get(leads, staff, duplicate_id)
    if duplicate.get("merged_into") is not None:
        raise StaffInputError(
            staff_text("merge.already", id=duplicate_id, into=duplicate["merged_into"])
        )
    try:
        kept, _ = await leads.merge(keep_id, duplicate_id, staff.by)
    except ValueError as exc:
        raise StaffInputError(str(exc)) from None
    return kept


async def digests(
    leads: Leads,
    staff: StaffMember,
    centres: list[str],
    stale_days: int,
    now: dt.datetime | None = None,
) -> list[Digest]:
    """The digest of each centre in `centres` this member serves."""
    now = now or dt.datetime.now(dt.UTC)
    every = await leads.list()
    return [
        compute_digest(every, centre, now, stale_days)
        for centre in centres
        if staff.centres is None or centre in staff.centres
    ]
