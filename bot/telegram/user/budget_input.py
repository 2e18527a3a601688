"""Parsing of the /hesapla message: one "Kalem adı: tutar" per line, Turkish number formats.

Users write amounts as "200.000", "350000", "1.234.567,50", "75 bin", "1,5 milyon TL". The
estimate itself is eligibility.budget.estimate; this module only turns text into items.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_ITEMS = 30

_MULTIPLIERS = {"bin": Decimal(1000), "milyon": Decimal(1_000_000), "milyar": Decimal(10**9)}
_SEPARATORS = re.compile(r"\s*(?::|=|\t|\s[-–—]\s)\s*")


_TRAILING_AMOUNT = re.compile(
    r"(.*?\D)\s+([\d.,]+\s*(?:bin|milyon|milyar)?\s*(?:tl|₺)?)", flags=re.IGNORECASE
)


class BudgetInputError(ValueError):
    """A line of the /hesapla message could not be read; the message is Turkish."""


def parse_amount_tr(text: str) -> Decimal:
    """A Turkish-formatted amount in TL; BudgetInputError otherwise."""
    raw = text.strip().lower()
    raw = re.sub(r"(tl|₺|try|lira)\.?$", "", raw).strip()
    multiplier = Decimal(1)
    for word, factor in _MULTIPLIERS.items():
        if raw.endswith(word):
            multiplier = factor
            raw = raw[: -len(word)].strip()
            break
    raw = raw.replace(" ", "")
    if not raw or not re.fullmatch(r"[\d.,]+", raw):
        raise BudgetInputError(f"«{text.strip()}» bir tutar değil")
    if "." in raw and "," in raw:
        # Whichever comes last is the decimal mark: 1.234,50 (Turkish) or 1,234.50.
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        thousands = re.fullmatch(r"\d{1,3}(,\d{3})+", raw)
        raw = raw.replace(",", "") if thousands else raw.replace(",", ".")
    elif "." in raw and re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw) * multiplier
    except InvalidOperation as exc:
        raise BudgetInputError(f"«{text.strip()}» bir tutar değil") from exc
    if value <= 0:
        raise BudgetInputError(f"«{text.strip()}» sıfırdan büyük olmalı")
    return value


def parse_budget_lines(text: str) -> list[tuple[str, Decimal]]:
    """Items from a message: "Eğitim: 200.000" per line. Raises BudgetInputError naming the
    first bad line."""
    items: list[tuple[str, Decimal]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("•-*").strip()
        if not line:
            continue
        parts = _SEPARATORS.split(line)
        if len(parts) < 2:
            match = _TRAILING_AMOUNT.fullmatch(line)
            if not match:
                raise BudgetInputError(f"{number}. satır «Kalem adı: tutar» biçiminde değil")
            parts = [match.group(1), match.group(2)]
        name = " ".join(" ".join(parts[:-1]).split()).strip(" :")
        if not name:
            raise BudgetInputError(f"{number}. satırda kalem adı yok")
        try:
            amount = parse_amount_tr(parts[-1])
        except BudgetInputError as exc:
            raise BudgetInputError(f"{number}. satır: {exc}") from exc
        items.append((name, amount))
        if len(items) > MAX_ITEMS:
            raise BudgetInputError(f"En fazla {MAX_ITEMS} kalem girebilirsiniz")
    if not items:
        raise BudgetInputError("Hiç kalem bulamadım")
    return items


# Item names that mean "grants already received from the programme" (folded, no Turkish
# letters): they lower the remaining 5-year ceiling instead of being a cost item.
_PREVIOUS_NAMES = {"onceki hibe", "onceki hibeler", "alinan hibe", "daha once alinan hibe"}


def split_previous_grants(
    items: list[tuple[str, Decimal]],
) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """(cost items, total of previous grants) from parsed lines."""
    from eligibility.text import fold

    costs = [(n, a) for n, a in items if fold(n) not in _PREVIOUS_NAMES]
    previous = sum((a for n, a in items if fold(n) in _PREVIOUS_NAMES), Decimal(0))
    if not costs:
        raise BudgetInputError("Önceki hibe dışında en az bir harcama kalemi yazın")
    return costs, previous
