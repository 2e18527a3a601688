"""`kume check | budget | match`: the knowledge core on the command line.

Input JSON is read from a file or from stdin ("-"); every user error becomes a CliError
(one line on stderr, exit 2). Heavy imports stay inside the handlers so that `kume --help`
stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.cli.errors import CliError
from eligibility.models import Content

MAX_INPUT_BYTES = 1_000_000  # an association or a plan is a few hundred bytes

CHECK_EXAMPLE = (
    '{"chambers_of_industry": 1, "chambers_of_commerce_and_industry": 0, "universities": 1, '
    '"chamber_of_industry_in_region": true, "committed_firms": 20, '
    '"readiness": {"roadmap": false}}'
)
BUDGET_EXAMPLE = (
    '{"items": [{"name": "Eğitim programı", "cost": 200000}, '
    '{"name": "Ortak test laboratuvarı", "cost": 1500000}], "previous_grants": 0}'
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = sub.add_parser(
        "check",
        help="kümelenme birlikteliğinin üyelik koşullarını denetler",
        description="Birlikteliğin üyelik koşullarını denetler. Örnek girdi: " + CHECK_EXAMPLE,
    )
    check.add_argument("file", metavar="DOSYA", help="JSON dosyası ya da standart girdi için -")
    check.add_argument("--on", metavar="YYYY-AA-GG", help="kuralların geçerli olduğu tarih")
    check.set_defaults(func=run_check)

    budget = sub.add_parser(
        "budget",
        help="bir iş planı için en yüksek hibeyi ve öz katkıyı hesaplar",
        description="İş planı bütçesinden hibe üst sınırını hesaplar. Örnek girdi: "
        + BUDGET_EXAMPLE,
    )
    budget.add_argument("file", metavar="DOSYA", help="JSON dosyası ya da standart girdi için -")
    budget.add_argument("--on", metavar="YYYY-AA-GG", help="oranların geçerli olduğu tarih")
    budget.set_defaults(func=run_budget)

    match = sub.add_parser(
        "match",
        help="bir ihtiyacı destek kapsamındaki faaliyetlerle eşleştirir",
        description="Serbest metinle yazılmış bir ihtiyacı program faaliyetleriyle eşleştirir.",
    )
    match.add_argument("text", nargs="+", metavar="METİN", help="ihtiyaç, serbest metin")
    match.add_argument("--json", action="store_true", help="JSON olarak yaz")
    match.add_argument("--limit", metavar="N", default="5", help="en çok kaç sonuç (varsayılan 5)")
    match.set_defaults(func=run_match)


# json's messages are English; users read Turkish.
JSON_MESSAGES = {
    "Expecting value": "bir değer bekleniyordu",
    "Expecting property name enclosed in double quotes": "çift tırnak içinde alan adı bekleniyordu",
    "Expecting ',' delimiter": "virgül bekleniyordu",
    "Expecting ':' delimiter": "iki nokta üst üste bekleniyordu",
    "Extra data": "JSON bittikten sonra fazladan metin var",
    "Unterminated string starting at": "kapanmamış tırnak",
    "Invalid control character at": "metin içinde geçersiz denetim karakteri",
    "Invalid \\escape": "geçersiz kaçış dizisi",
}


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON içinde {name} kullanılamaz; bir sayı yazın.")


def read_json(name: str) -> Any:
    """JSON from a file or stdin; numbers with a fraction become Decimal (exact kuruş)."""
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
            label = "standart girdi"
        else:
            path = Path(name)
            if path.is_dir():
                raise CliError(f"{name} bir klasör; bir JSON dosyası verin.")
            with path.open("rb") as fh:
                raw = fh.read(MAX_INPUT_BYTES + 1)
            label = name
    except FileNotFoundError as exc:
        raise CliError(f"dosya bulunamadı: {name}") from exc
    except PermissionError as exc:
        raise CliError(f"dosya okunamadı (izin yok): {name}") from exc
    except OSError as exc:
        raise CliError(f"dosya okunamadı: {name}: {one_line(exc.strerror or exc)}") from exc
    if len(raw) > MAX_INPUT_BYTES:
        raise CliError(f"{label} çok büyük; en çok {MAX_INPUT_BYTES} bayt okunur.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{label} UTF-8 metin değil.") from exc
    if not text.strip():
        raise CliError(f"{label} boş; bir JSON nesnesi bekleniyordu.")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{label} geçerli JSON değil (satır {exc.lineno}, sütun {exc.colno}): "
            f"{JSON_MESSAGES.get(exc.msg, 'sözdizimi hatası')}"
        ) from exc
    except ValueError as exc:
        raise CliError(f"{label}: {one_line(exc)}") from exc


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CliError(f"tarih YYYY-AA-GG biçiminde olmalı, örneğin 2025-01-31: {value}") from exc


def _content() -> Content:
    from eligibility.content import ContentError, get_content

    try:
        return get_content()
    except ContentError as exc:
        raise CliError(f"içerik yüklenemedi: {one_line(exc)}") from exc


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def run_check(args: argparse.Namespace) -> int:
    from eligibility.rules import Association, evaluate, parse_readiness

    data = read_json(args.file)
    on = _date(args.on)
    content = _content()
    try:
        if isinstance(data, dict):
            data = dict(data)
            readiness = parse_readiness(data.pop("readiness", None), content)
        else:
            readiness = {}
        assoc = Association.from_json(data)
        verdict = evaluate(assoc, readiness, on=on, content=content)
    except (ValueError, LookupError) as exc:
        raise CliError(one_line(exc)) from exc
    _print_json(verdict.to_json())
    return 0


def run_budget(args: argparse.Namespace) -> int:
    from eligibility.budget import estimate, parse_plan

    data = read_json(args.file)
    on = _date(args.on)
    content = _content()
    try:
        items, previous = parse_plan(data)
        result = estimate(items, previous, on=on, content=content)
    except (ValueError, LookupError) as exc:
        raise CliError(one_line(exc)) from exc
    _print_json(result.to_json())
    return 0


def _score(value: float) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else round(value, 1)


def run_match(args: argparse.Namespace) -> int:
    text = " ".join(args.text).strip()
    if not text:
        raise CliError("eşleştirilecek bir metin yazın, örneğin: kume match kalifiye eleman")
    try:
        limit = int(args.limit)
    except ValueError as exc:
        raise CliError(f"--limit bir tam sayı olmalı; verilen: {args.limit}") from exc
    if limit < 1:
        raise CliError(f"--limit en az 1 olmalı; verilen: {limit}")
    _content()  # a broken content/ is reported as one line, not a traceback
    from eligibility.matcher import match_needs

    matches = match_needs(text, limit=limit)
    rows = [
        {"category": m.category, "activity": m.title, "id": m.activity_id, "score": _score(m.score)}
        for m in matches
    ]
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("Eşleşen faaliyet bulunamadı.")
        print(
            "İpucu: ihtiyacınızı birkaç kelimeyle, kendi sözlerinizle yazın; örneğin "
            '"kalifiye eleman bulamıyoruz" ya da "ortak test laboratuvarı kurmak istiyoruz".'
        )
        return 0
    print(f"«{text}» için destek kapsamındaki faaliyetler:")
    print(f"{'Puan':>5}  {'Kategori':<8}  {'No':<5}  Faaliyet")
    for row in rows:
        print(f"{row['score']:>5}  {row['category']:<8}  {row['id']:<5}  {row['activity']}")
    return 0
