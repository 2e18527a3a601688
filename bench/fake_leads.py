"""Synthetic leads for benchmarks and fault tests: obviously fake, never real people."""

from __future__ import annotations

import datetime as dt
import random

CENTRES = ["corum", "gaziantep", "kahramanmaras", "samsun", "trabzon"]
PROVINCES = ["Çorum", "Gaziantep", "Kahramanmaraş", "Samsun", "Trabzon", "Ankara", "Rize"]
SIZE_BANDS = ["1-9", "10-49", "50-249", "250+"]


def fake_lead(i: int, rng: random.Random | None = None) -> dict:
    rng = rng or random.Random(i)
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)
    return {
        "created_at": created.isoformat(),
        "source": "bench",
        "user_key": f"bench:{i}",
        "consent": {"version": "bench", "at": created.isoformat()},
        "firm": f"Deneme Firma {i} Ltd.",
        "contact_name": f"Deneme Kişi {i}",
        "phone": f"+90555000{i % 10000:04d}",
        "email": f"deneme{i}@example.com",
        "province": rng.choice(PROVINCES),
        "centre": rng.choice(CENTRES),
        "centre_override": False,
        "sector": "Makine imalatı",
        "size_band": rng.choice(SIZE_BANDS),
        "role": "firma",
        "needs_text": "ihracat yapmak istiyoruz, eleman bulamıyoruz, CE belgesi lazım",
        "matched_activities": ["k1-10", "k2-02", "k3-12"],
        "eligibility": None,
        "status": "yeni",
        "history": [],
        "notes": [],
        "announced": True,
        "announce_attempts": 1,
    }
