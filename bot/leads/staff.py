"""What Knowledge Centre staff do with leads, once for both front ends.

The Telegram staff commands (bot/telegram/staff/) and `kume leads` / `kume durum`
(bot/cli/) parse their input differently (chat words, command-line options) but resolve
centres, statuses, dates and lead numbers here, see only what `StaffMember.may_see` allows,
and change leads only through these functions, so the two cannot drift apart.

Errors are Turkish: `StaffInputError` for input that cannot be used (the front end shows the
message and, if it has one, its usage line), `LeadNotFound` for a lead that does not exist
or that this staff member may not see (the two are not told apart), `NotYourCentre` for a
filter on a centre the staff member does not serve.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.record import InvalidStatus, Lead, parse_status, quote_input
from bot.leads.store import LeadNotFound
from eligibility.models import Content
from eligibility.text import fold

TODAY_WORDS = ("bugün",)


class StaffInputError(ValueError):
    """Input a staff member typed that cannot be used; the message is Turkish."""


class NotYourCentre(StaffInputError):
    """A filter names a centre this staff member does not serve."""


@dataclasses.dataclass(frozen=True)
class StaffMember:
    """Who acts (recorded in history and notes) and which centres they serve."""

    by: str  # "tg:<user id>" in Telegram, a name on the shell
    centres: frozenset[str] | None = None  # None: every centre (admins, the shell)

    def may_see(self, lead: Mapping[str, Any]) -> bool:
        return self.centres is None or (lead.get("centre") or "") in self.centres


@dataclasses.dataclass(frozen=True)
class StatusChange:
    lead: Lead
    previous: str  # the status just before, as recorded inside the store's transaction
    changed: bool  # False: the lead already had that status, nothing was written
    correction: bool  # off the normal path (recorded as a correction in the history)


def _content(content: Content | None) -> Content:
    if content is not None:
        return content
    from eligibility.content import get_content

    return get_content()


# --- reading what staff type ------------------------------------------------------------


def centre_ids(content: Content | None = None) -> list[str]:
    return [c.id for c in _content(content).project.centres]


def find_centre(text: str, content: Content | None = None) -> str | None:
    """A centre id from its id, its province or a province alias ("K.Maraş"), in any case,
    with or without Turkish letters or spaces; None when nothing matches."""
    content = _content(content)
    wanted = fold(text).replace(" ", "")
    if not wanted:
        return None
    provinces = {
        fold(alias).replace(" ", ""): p.name
        for p in content.provinces.provinces
        for alias in (p.name, *p.aliases)
    }
    province = provinces.get(wanted)
    for centre in content.project.centres:
        if wanted == fold(centre.id) or province == centre.province:
            return centre.id
    return None


def resolve_centre(text: str, content: Content | None = None) -> str:
    centre = find_centre(text, content)
    if centre is None:
        valid = ", ".join(centre_ids(content))
        raise StaffInputError(f"bilinmeyen merkez {quote_input(text)}; geçerli merkezler: {valid}")
    return centre


def parse_lead_id(text: str) -> int:
    match = re.fullmatch(r"#?(\d{1,9})", text.strip(), flags=re.ASCII)
    if not match or int(match.group(1)) < 1:
        raise StaffInputError(f"geçersiz kayıt numarası {quote_input(text)}")
    return int(match.group(1))


def parse_day(text: str) -> dt.date | None:
    """A day as staff write it: "bugün", 2026-11-01 or 01.11.2026; None otherwise."""
    if fold(text) in {fold(w) for w in TODAY_WORDS}:
        return dt.datetime.now(dt.UTC).date()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def filter_from_words(words: Sequence[str], content: Content | None = None) -> LeadFilter:
    """The words of a chat command ("corum yeni 2026-11-01", in any order): a centre, a
    status (one or two words) and a day (leads since then)."""
    values: dict[str, Any] = {}
    i = 0
    while i < len(words):
        word = words[i]
        day = parse_day(word)
        if day is not None:
            values["since"] = day
            i += 1
            continue
        centre = find_centre(word, content)
        if centre is not None:
            values["centre"] = centre
            i += 1
            continue
        for span in (2, 1):  # statuses may be two words: "iletişime geçildi"
            try:
                values["status"] = parse_status(" ".join(words[i : i + span]))
                i += span
                break
            except InvalidStatus:
                continue
        else:
            shown = word if len(word) <= 30 else word[:30] + "…"
            raise StaffInputError(f"«{shown}» anlaşılamadı.")
    return LeadFilter(**values)


def filter_from_options(
    *,
    centre: str | None = None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
    undelivered: bool = False,
    content: Content | None = None,
) -> LeadFilter:
    """The options of `kume leads list/export` (dates as YYYY-AA-GG)."""

    def day(text: str | None, option: str) -> dt.date | None:
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise StaffInputError(
                f"{option}: tarih YYYY-AA-GG biçiminde olmalı, {quote_input(text)} değil"
            ) from None

    start, stop = day(since, "--since"), day(until, "--until")
    if start and stop and start > stop:
        raise StaffInputError("--since tarihi --until tarihinden sonra olamaz")
    try:
        parsed_status = parse_status(status) if status else None
    except InvalidStatus as exc:
        raise StaffInputError(str(exc)) from None
    return LeadFilter(
        centre=resolve_centre(centre, content) if centre else None,
        status=parsed_status,
        since=start,
        until=stop,
        undelivered=True if undelivered else None,
    )


# --- operations -------------------------------------------------------------------------


def _visible(staff: StaffMember, leads: Iterable[Lead]) -> list[Lead]:
    return [lead for lead in leads if staff.may_see(lead)]


async def find(leads: Leads, staff: StaffMember, where: LeadFilter) -> list[Lead]:
    """The leads `where` matches that this staff member may see, by id."""
    if where.centre is not None and staff.centres is not None and where.centre not in staff.centres:
        raise NotYourCentre("Bu merkezin kayıtlarını göremezsiniz.")
    return _visible(staff, await leads.list(where))


async def get(leads: Leads, staff: StaffMember, lead_id: int) -> Lead:
    lead = await leads.get(lead_id)
    if not staff.may_see(lead):
        raise LeadNotFound(lead_id)
    return lead


async def set_status(leads: Leads, staff: StaffMember, lead_id: int, status: str) -> StatusChange:
    """Sets a status (id or Turkish label); setting the current one again writes nothing."""
    new = parse_status(status)
    before = await get(leads, staff, lead_id)
    if before["status"] == new:
        return StatusChange(before, before["status"], changed=False, correction=False)
    lead = await leads.update_status(lead_id, new, staff.by)
    history = lead["history"]
    previous = history[-2]["status"] if len(history) > 1 else before["status"]
    correction = bool(history[-1].get("correction"))
    return StatusChange(lead, previous, changed=True, correction=correction)


async def add_note(
    leads: Leads, staff: StaffMember, lead_id: int, text: str, ref: str | None = None
) -> Lead:
    """Adds a note; with `ref` (the message it came from) at most once per ref."""
    await get(leads, staff, lead_id)
    return await leads.add_note(lead_id, text, staff.by, ref)


async def move_to_centre(leads: Leads, staff: StaffMember, lead_id: int, centre: str) -> Lead:
    """Hands a lead to another centre (a routing mistake, or the firm asked for it)."""
    await get(leads, staff, lead_id)
    return await leads.set_centre(lead_id, centre, staff.by)


async def export(
    leads: Leads, staff: StaffMember, where: LeadFilter, format: str
) -> tuple[bytes, int]:
    """The export file of the leads `find` would list, and how many it holds; built where
    the store work runs (bot/leads/export.py)."""
    from bot.leads import views
    from bot.leads.export import export_bytes

    found = await find(leads, staff, where)
    return await leads.compute(export_bytes, found, format, views.centre_names()), len(found)


async def purge(leads: Leads, days: int) -> int:
    return await leads.purge_older_than(days)
