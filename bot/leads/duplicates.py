"""Probable duplicates: a new lead whose phone, e-mail or firm name matches an earlier one.

Phones compare as stored (E.164), e-mails case-insensitively, firm names Turkish-folded with
punctuation and legal-form words ("Ltd. Şti.", "A.Ş.", "San. ve Tic.") dropped, then fuzzily
(rapidfuzz, well kept and fast, instead of a hand-written edit distance): "Deneme Makina
Ltd." and "DENEME MAKİNA SAN. TİC. LTD. ŞTİ." are the same firm. Staff decide; nothing is
merged automatically (bot/leads/rules.py `change_merge`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from bot.leads.store import LeadStore
from eligibility.text import fold

Why = Literal["phone", "email", "firm"]

FIRM_SCORE = 90  # rapidfuzz ratio (0–100) from which two firm names are the same firm
_LEGAL_WORDS = frozenset(
    "ltd sti as a s san tic ve limited sirketi sirket anonim koll kom ith ihr paz".split()
)
_NON_WORD = re.compile(r"[\W_]+")


@dataclasses.dataclass(frozen=True)
class Duplicate:
    lead_id: int
    why: tuple[Why, ...]


def firm_words(name: str | None) -> str:
    """A firm name for comparison: folded, punctuation and legal-form words dropped."""
    words = _NON_WORD.sub(" ", fold(name or "")).split()
    return " ".join(w for w in words if w not in _LEGAL_WORDS)


def _same_firm(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    if len(a) < 4 or len(b) < 4:
        return a == b and bool(a)
    return a == b or fuzz.ratio(a, b) >= FIRM_SCORE


def duplicates_of(lead: Mapping[str, Any], others: Iterable[Mapping[str, Any]]) -> list[Duplicate]:
    """The other leads (never merged ones, never itself) that `lead` probably repeats."""
    phone = lead.get("phone") or ""
    email = (lead.get("email") or "").casefold()
    firm = firm_words(lead.get("firm"))
    found = []
    for other in others:
        if other.get("id") == lead.get("id") or other.get("merged_into") is not None:
            continue
        why: list[Why] = []
        if phone and other.get("phone") == phone:
            why.append("phone")
        if email and (other.get("email") or "").casefold() == email:
            why.append("email")
        if firm and _same_firm(firm, firm_words(other.get("firm"))):
            why.append("firm")
        if why:
            found.append(Duplicate(int(other["id"]), tuple(why)))
    return found


def flag_duplicates(store: LeadStore, lead_id: int) -> list[Duplicate]:
    """Finds the duplicates of a stored lead among the earlier ones and records their ids
    (`duplicate_of`); runs where store work runs (bot/leads/facade.py `call`)."""
    lead = store.get(lead_id)
    earlier = [other for other in store.list() if int(other["id"]) < lead_id]
    found = duplicates_of(lead, earlier)
    if found or lead.get("duplicate_of"):
        store.set_duplicates(lead_id, [d.lead_id for d in found])
    return found
