"""Which leads an operation is about: `LeadFilter`, the one filter every backend understands.

A backend may translate it (a server database into a WHERE clause) or call `matches()` on
each lead (TinyDB). Dates given as a plain day cover that whole day in UTC: `until=2026-11-25`
means "before 26 November, 00:00 UTC".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any

from bot.leads.record import parse_iso, parse_status

DateLike = dt.date | dt.datetime | str

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "<": operator.lt,
}


def _as_time(value: DateLike, end: bool) -> tuple[dt.datetime, bool]:
    """`since`/`until` as an aware UTC datetime and whether the bound is inclusive."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value) if len(value) == 10 else parse_iso(value)
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)), True
    if end:
        value = value + dt.timedelta(days=1)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC), not end


@dataclasses.dataclass(frozen=True)
class LeadFilter:
    """All given conditions must hold; None means "any". Invalid values fail on creation
    (an unknown status raises InvalidStatus, a bad date ValueError)."""

    centre: str | None = None
    status: str | None = None  # id or Turkish label; stored as the id
    since: DateLike | None = None  # created at or after
    until: DateLike | None = None  # created at or before (a day: that whole day)
    undelivered: bool | None = None  # True: not yet announced to the centre; False: announced
    user_key: str | None = None  # "tg:<id>" or "cli:<uuid>"
    submission_key: str | None = None  # the questionnaire walk's (LeadStore.add)
    created_before: dt.datetime | None = None  # strictly before (retention purge)

    def __post_init__(self) -> None:
        if self.status is not None:
            object.__setattr__(self, "status", parse_status(self.status))
        for name, end in (("since", False), ("until", True)):
            value = getattr(self, name)
            if value is not None:
                _as_time(value, end)  # fails early on a malformed date
        if self.created_before is not None and self.created_before.tzinfo is None:
            object.__setattr__(self, "created_before", self.created_before.replace(tzinfo=dt.UTC))

    def matches(self, lead: Mapping[str, Any]) -> bool:
        if self.centre is not None and lead.get("centre") != self.centre:
            return False
        if self.status is not None and lead.get("status") != self.status:
            return False
        if self.user_key is not None and lead.get("user_key") != self.user_key:
            return False
        if self.submission_key is not None and lead.get("submission_key") != self.submission_key:
            return False
        if self.undelivered is not None and bool(lead.get("announced")) == self.undelivered:
            return False
        bounds = self.created_bounds()
        if not bounds:
            return True
        created = parse_iso(str(lead.get("created_at")))
        return all(_COMPARE[op](created, when) for op, when in bounds)

    def created_bounds(self) -> list[tuple[str, dt.datetime]]:
        """The conditions on the creation time as (">=" | "<=" | "<", aware UTC time): what
        `matches` checks and what a server database puts in its WHERE clause."""
        bounds: list[tuple[str, dt.datetime]] = []
        if self.since is not None:
            bounds.append((">=", _as_time(self.since, end=False)[0]))
        if self.until is not None:
            stop, inclusive = _as_time(self.until, end=True)
            bounds.append(("<=" if inclusive else "<", stop))
        if self.created_before is not None:
            bounds.append(("<", self.created_before))
        return bounds


EVERY_LEAD = LeadFilter()
