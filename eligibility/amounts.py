"""Amounts of money typed the Turkish way, and shown the Turkish way.

Users write "1.250.000", "350000", "1.234.567,50", "750 bin", "1,5 milyon TL", "₺2 milyon",
"1 milyon 250 bin"; the dot groups thousands and the comma marks decimals (the other way
round is read too when it is unambiguous: "1,234,567", "12.5"). Both front ends (the bot's
/hesapla and `kume chat`) read amounts here. Lines of the one-message form ("Kalem: tutar"
per line) are read here as well.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from eligibility.text import fold
from eligibility.validators import ValidationProblem

MAX_ITEMS = 30
# Sanity bound against typos (the programme's own figures are far below), not a rule.
MAX_AMOUNT = Decimal("1e13")

_MULTIPLIERS = {"bin": Decimal(1000), "milyon": Decimal(1_000_000), "milyar": Decimal(10**9)}
_CURRENCY = re.compile(r"(₺|\btl\b\.?|\btry\b|\blira(sı)?\b)")
_GROUP = re.compile(r"([\d.,]+)\s*(bin|milyon|milyar)?")
_SEPARATORS = re.compile(r"\s*(?::|=|\t|\s[-–—]\s)\s*")
_TRAILING_AMOUNT = re.compile(
    r"(.*?\D)\s+(₺?\s*[\d.,]+\s*(?:bin|milyon|milyar)?\s*(?:tl|₺)?)", flags=re.IGNORECASE
)


class AmountError(ValidationProblem):
    """An amount (or a line of items) could not be read; the message is Turkish."""


def _number(raw: str, text: str) -> Decimal:
    """Digits with Turkish (or unambiguous English) separators as a Decimal."""
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
        return Decimal(raw)
    except InvalidOperation as exc:
        raise AmountError(f"«{text}» bir tutar değil; örneğin 1.250.000 ya da 750 bin") from exc


def parse_amount_tr(text: str, *, allow_zero: bool = False) -> Decimal:
    """A Turkish-written amount in TL; AmountError (Turkish, with an example) otherwise."""
    shown = " ".join((text or "").split())
    raw = _CURRENCY.sub(" ", fold(shown))
    raw = re.sub(r"\s+", " ", raw).strip()
    if not raw or not re.fullmatch(r"(\s*[\d.,]+\s*(bin|milyon|milyar)?)+", raw):
        raise AmountError(f"«{shown}» bir tutar değil; örneğin 1.250.000 ya da 750 bin")
    groups = _GROUP.findall(raw)
    if len(groups) > 1 and not all(word for _, word in groups[:-1]):
        # "1 milyon 250 bin" adds up; "200 300" is two numbers, not one amount.
        raise AmountError(f"«{shown}» tek bir tutar olmalı; örneğin 1.250.000")
    value = sum(
        (_number(digits, shown) * _MULTIPLIERS.get(word, Decimal(1)) for digits, word in groups),
        Decimal(0),
    )
    if value < 0 or (value == 0 and not allow_zero):
        raise AmountError(f"«{shown}» sıfırdan büyük olmalı")
    if value > MAX_AMOUNT:
        raise AmountError(f"«{shown}» gerçekçi olmayan kadar büyük; tutarı kontrol edin")
    return value


def format_tl(amount: Decimal | int | float | str) -> str:
    """Whole Turkish lira with dots as thousands separators: 1234567 -> "1.234.567 TL"."""
    value = int(Decimal(str(amount)).to_integral_value())
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " TL"


def format_percent(ratio: Decimal | float | str) -> str:
    """0.75 -> "%75" (Turkish puts the percent sign first)."""
    pct = Decimal(str(ratio)) * 100
    text = f"{pct.normalize():f}".replace(".", ",")
    return f"%{text}"


def parse_budget_lines(text: str) -> list[tuple[str, Decimal]]:
    """Items from a message: "Eğitim: 200.000" per line. Raises AmountError naming the first
    bad line."""
    items: list[tuple[str, Decimal]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().lstrip("•-*").strip()
        if not line:
            continue
        parts = _SEPARATORS.split(line)
        if len(parts) < 2:
            match = _TRAILING_AMOUNT.fullmatch(line)
            if not match:
                raise AmountError(f"{number}. satır «Kalem adı: tutar» biçiminde değil")
            parts = [match.group(1), match.group(2)]
        name = " ".join(" ".join(parts[:-1]).split()).strip(" :")
        if not name:
            raise AmountError(f"{number}. satırda kalem adı yok")
        try:
            amount = parse_amount_tr(parts[-1])
        except AmountError as exc:
            raise AmountError(f"{number}. satır: {exc.message}") from exc
        items.append((name, amount))
        if len(items) > MAX_ITEMS:
            raise AmountError(f"En fazla {MAX_ITEMS} kalem girebilirsiniz")
    if not items:
        raise AmountError("Hiç kalem bulamadım")
    return items


# Item names that mean "grants already received from the programme" (folded): they lower
# the remaining programme ceiling instead of being a cost item.
_PREVIOUS_NAMES = {"onceki hibe", "onceki hibeler", "alinan hibe", "daha once alinan hibe"}


def split_previous_grants(
    items: list[tuple[str, Decimal]],
) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """(cost items, total of previous grants) from parsed lines."""
    costs = [(n, a) for n, a in items if fold(n) not in _PREVIOUS_NAMES]
    previous = sum((a for n, a in items if fold(n) in _PREVIOUS_NAMES), Decimal(0))
    if not costs:
        raise AmountError("Önceki hibe dışında en az bir harcama kalemi yazın")
    return costs, previous
