"""The daily follow-up digest of a Knowledge Centre: new leads since yesterday, leads due or
overdue for contact, leads left in "yeni" too long. One message per centre staff chat every
morning (bot/telegram/staff/digest.py) and `kume leads due` on the shell.

It names leads by number, province and size band only: it goes to a group chat, so nothing
that identifies a person or a firm (a sole trader's firm name is personal data).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads.progress import is_merged
from bot.leads.record import Lead, Status, parse_iso, status_label
from bot.leads.views import TURKEY_TZ, centre_name, local_day, option_labels
from eligibility.staff_words import staff_text

MAX_ITEMS = 20  # per section of one message; the rest is counted


@dataclasses.dataclass(frozen=True)
class Digest:
    centre: str
    on: dt.date  # the local day of the digest
    new: list[Lead]  # created in the 24 hours before `now`
    due: list[Lead]  # next contact on or before `on`, not closed
    stale: list[Lead]  # still "yeni" after `stale_days`
    stale_days: int

    @property
    def empty(self) -> bool:
        return not (self.new or self.due or self.stale)


CLOSED = frozenset({Status.KUMEYE_KATILDI, Status.ILGILENMIYOR})


def compute_digest(
    leads: Iterable[Mapping[str, Any]],
    centre: str,
    now: dt.datetime,
    stale_days: int,
) -> Digest:
    """The digest of `centre` at `now` (aware), from plain lead data."""
    today = now.astimezone(TURKEY_TZ).date()
    mine = [dict(lead) for lead in leads if lead.get("centre") == centre and not is_merged(lead)]
    since = now - dt.timedelta(days=1)
    stale_before = now - dt.timedelta(days=stale_days)
    new = [lead for lead in mine if parse_iso(str(lead["created_at"])) >= since]
    due = [
        lead
        for lead in mine
        if lead.get("next_contact")
        and lead.get("status") not in CLOSED
        and dt.date.fromisoformat(str(lead["next_contact"])) <= today
    ]
    due.sort(key=lambda lead: (str(lead["next_contact"]), int(lead["id"])))
    stale = [
        lead
        for lead in mine
        if lead.get("status") == Status.YENI
        and parse_iso(str(lead["created_at"])) < stale_before
        and lead not in due
    ]
    return Digest(centre, today, new, due, stale, stale_days)


def _items(leads: list[Lead], line: str) -> list[str]:
    sizes = option_labels("size_band")
    shown = [
        staff_text(
            line,
            id=lead["id"],
            province=lead.get("province") or staff_text("common.none"),
            size=sizes.get(lead.get("size_band") or "", staff_text("common.none")),
            date=local_day(lead.get("next_contact")),
        )
        for lead in leads[:MAX_ITEMS]
    ]
    if len(leads) > MAX_ITEMS:
        shown.append(staff_text("digest.more", count=len(leads) - MAX_ITEMS))
    return shown


def digest_text(d: Digest) -> str:
    """Plain text (no markup) of one centre's digest."""
    lines = [
        staff_text("digest.title", centre=centre_name(d.centre), date=d.on.strftime("%d.%m.%Y"))
    ]
    if d.empty:
        lines.append(staff_text("digest.nothing"))
        return "\n".join(lines)
    lines.append(staff_text("digest.new", count=len(d.new)))
    lines += _items(d.new, "digest.item")
    lines.append(staff_text("digest.due", count=len(d.due)))
    lines += _items(d.due, "digest.due_item")
    lines.append(
        staff_text(
            "digest.stale", days=d.stale_days, status=status_label(Status.YENI), count=len(d.stale)
        )
    )
    lines += _items(d.stale, "digest.item")
    return "\n".join(lines)
