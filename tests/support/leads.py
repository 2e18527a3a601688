"""Obviously fake leads for tests (never real people): `make_lead(n, **changes)`."""

from __future__ import annotations

from typing import Any

from bot.leads.record import Lead, new_lead


def make_lead(n: int = 1, **changes: Any) -> Lead:
    """A complete new lead of firm number `n` (Samsun, 10–49 employees), fields changed."""
    fields: dict[str, Any] = dict(
        source="telegram",
        user_key=f"tg:{1000 + n}",
        consent={"version": "2026-01", "at": "2026-11-01T08:00:00+00:00"},
        firm=f"Deneme Makina {n} Ltd.",
        contact_name="Ayşe Deneme",
        phone=f"+90500000{n:04d}",
        email=f"deneme{n}@example.com",
        province="Samsun",
        centre="samsun",
        sector="Makine",
        size_band="10-49",
        role="firma",
        needs_text="Ortak test laboratuvarı",
        matched_activities=["k3-01"],
    )
    fields.update(changes)
    return new_lead(**fields)
