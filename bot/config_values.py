"""How each setting's text is read (bot/config.py): staff ids and chats per centre, a
database URL, positive numbers, a clock time, a time zone, the HTTP client, a port, the
test-only crash points. Errors are Turkish `SettingsError`s naming the variable."""

from __future__ import annotations

import functools

HTTP_CLIENTS = ("aiohttp", "httpx")  # Bot API transport; httpx is PTB's own, kept as fallback


def centre_ids() -> tuple[str, ...]:
    """The Knowledge Centres' ids, in content order (content/project.yaml)."""
    from eligibility.content import content_dir

    return _centre_ids(str(content_dir()))


@functools.cache
def _centre_ids(root: str) -> tuple[str, ...]:
    from eligibility.models import Project
    from eligibility.validators import load_part

    project: Project = load_part("project", Project, root)
    return tuple(c.id for c in project.centres)


class SettingsError(ValueError):
    """A configuration problem; the message is Turkish and names the variable."""


def parse_ids(name: str, text: str) -> list[int]:
    ids = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        try:
            ids.append(int(part))
        except ValueError:
            raise SettingsError(
                f"{name} içinde «{part}» bir Telegram kullanıcı numarası değil"
            ) from None
    return ids


def check_centre(name: str, centre: str) -> str:
    centre = centre.strip().lower()
    if centre not in centre_ids():
        raise SettingsError(
            f"{name} içinde bilinmeyen merkez «{centre}»; geçerli olanlar: "
            f"{', '.join(centre_ids())}"
        )
    return centre


def parse_staff(text: str) -> dict[str, frozenset[int]]:
    """ "corum:111,222;samsun:333" → {"corum": {111, 222}, "samsun": {333}}."""
    staff: dict[str, set[int]] = {}
    for entry in filter(None, (e.strip() for e in text.split(";"))):
        centre, sep, ids = entry.partition(":")
        if not sep:
            raise SettingsError(
                f"KUME_STAFF içinde «{entry}» hatalı; biçim: merkez:kullanıcı,kullanıcı;merkez:…"
            )
        staff.setdefault(check_centre("KUME_STAFF", centre), set()).update(
            parse_ids("KUME_STAFF", ids)
        )
    return {c: frozenset(u) for c, u in staff.items()}


def parse_staff_chats(text: str) -> dict[str, int]:
    """ "corum:-1001;samsun:-1002" → {"corum": -1001, "samsun": -1002}."""
    chats: dict[str, int] = {}
    for entry in filter(None, (e.strip() for e in text.split(";"))):
        centre, sep, chat = entry.partition(":")
        ids = parse_ids("KUME_STAFF_CHATS", chat) if sep else []
        if len(ids) != 1:
            raise SettingsError(
                f"KUME_STAFF_CHATS içinde «{entry}» hatalı; biçim: merkez:sohbet_no;merkez:…"
            )
        chats[check_centre("KUME_STAFF_CHATS", centre)] = ids[0]
    return chats


def database_url_value(text: str) -> str:
    if text and not text.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            "KUME_DATABASE_URL geçersiz; postgresql://kullanıcı@sunucu:5432/veritabanı "
            "biçiminde olmalı (boş bırakılırsa gömülü kayıt dosyası kullanılır)"
        )
    return text


def positive_int(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} bir tam sayı olmalı, «{text}» verildi") from None
    if value < 1:
        raise SettingsError(f"{name} en az 1 olmalı")
    return value


def clock_time(name: str, text: str) -> str:
    """ "08:30" (24-hour local time)."""
    import re

    match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", text)
    if not match:
        raise SettingsError(
            f"{name} SS:DD biçiminde bir saat olmalı (örneğin 08:30), «{text}» değil"
        )
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def time_zone(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"KUME_TIMEZONE bilinmeyen saat dilimi «{text}»") from None
    return text


def http_client_name(text: str) -> str:
    client = text.lower()
    if client not in HTTP_CLIENTS:
        raise SettingsError(
            f"KUME_HTTP_CLIENT içinde bilinmeyen değer «{text}»; geçerli olanlar: "
            f"{', '.join(HTTP_CLIENTS)}"
        )
    return client


def port_number(text: str) -> int:
    value = positive_int("KUME_WEBHOOK_PORT", text)
    if value > 65535:
        raise SettingsError("KUME_WEBHOOK_PORT 1–65535 arasında olmalı")
    return value


def crash_points(text: str) -> str:
    from bot.crashpoints import parse

    try:
        parse(text)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return text
