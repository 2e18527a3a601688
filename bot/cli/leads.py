"""`kume leads list|show|status|note|centre|export|purge` and `kume durum`: the staff side of
the leads store. Safe to use while the bot runs: every store operation takes the file lock.

The data directory comes from --data-dir, else $KUME_DATA_DIR, else ./data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli.errors import CliError
from bot.leads.filters import LeadFilter
from bot.leads.record import quote_input

DEFAULT_DATA_DIR = "data"


def _data_dir_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data-dir",
        metavar="KLASÖR",
        help="veri klasörü (varsayılan: $KUME_DATA_DIR ya da ./data)",
    )
    return parent


def _filter_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--centre", "--merkez", metavar="MERKEZ", help="merkez (ör. samsun)")
    parent.add_argument("--status", "--durum", metavar="DURUM", help="durum (ör. yeni)")
    parent.add_argument("--since", metavar="YYYY-AA-GG", help="bu tarihten (dahil)")
    parent.add_argument("--until", metavar="YYYY-AA-GG", help="bu tarihe kadar (dahil)")
    parent.add_argument(
        "--undelivered", action="store_true", help="yalnız merkeze bildirilememiş olanlar"
    )
    return parent


def register(sub: argparse._SubParsersAction) -> None:
    data = _data_dir_parent()
    filters = _filter_parent()

    leads = sub.add_parser(
        "leads",
        help="başvuruları listeler, günceller ve dışa aktarır (merkez personeli için)",
        description="Kümelenme Bilgi Merkezlerine gelen başvurular.",
    )
    leads.set_defaults(func=lambda _args: _no_action(leads))
    actions = leads.add_subparsers(dest="leads_command", metavar="İŞLEM")

    p = actions.add_parser("list", parents=[data, filters], help="başvuruları listeler")
    p.add_argument("--json", action="store_true", help="JSON olarak yaz")
    p.set_defaults(func=run_list)

    p = actions.add_parser("show", parents=[data], help="bir başvurunun ayrıntıları")
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("--json", action="store_true", help="JSON olarak yaz")
    p.set_defaults(func=run_show)

    p = actions.add_parser("status", parents=[data], help="başvurunun durumunu değiştirir")
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("status", metavar="DURUM", help="yeni, iletisime_gecildi, kumeye_katildi, "
                   "ilgilenmiyor (Türkçe adı da olur)")
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_status)

    p = actions.add_parser("note", parents=[data], help="başvuruya not ekler")
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("text", nargs="+", metavar="METİN")
    p.add_argument("--by", metavar="AD", help="notu yazan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_note)

    p = actions.add_parser("centre", parents=[data], help="başvuruyu başka merkeze aktarır")
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("centre", metavar="MERKEZ", help="merkez kimliği ya da ili (ör. samsun)")
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_centre)

    p = actions.add_parser(
        "export", parents=[data, filters], help="başvuruları xlsx ya da csv dosyasına yazar"
    )
    p.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="biçim")
    p.add_argument("--out", metavar="DOSYA", help="çıktı dosyası (varsayılan: basvurular-…)")
    p.set_defaults(func=run_export)

    p = actions.add_parser(
        "purge", parents=[data], help="saklama süresini aşan başvuruları kalıcı olarak siler"
    )
    p.add_argument("--days", metavar="GÜN", required=True, help="bundan eski kayıtlar silinir")
    p.set_defaults(func=run_purge)

    durum = sub.add_parser(
        "durum",
        parents=[data],
        help="proje hedeflerine göre ilerleme (ulaşılan ve kümeye katılan KOBİ)",
    )
    durum.add_argument("--json", action="store_true", help="JSON olarak yaz")
    durum.set_defaults(func=run_durum)


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


# --- helpers -------------------------------------------------------------------------------


def _store(args: argparse.Namespace):
    from bot.leads.tinydb_store import DATA_FILE, open_tinydb_store

    directory = Path(args.data_dir or os.environ.get("KUME_DATA_DIR") or DEFAULT_DATA_DIR)
    args._data_file = directory / DATA_FILE
    try:
        return open_tinydb_store(directory)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or exc
        raise CliError(_one_line(f"veri klasörü açılamadı: {directory}: {reason}")) from exc


def _call(fn: Callable[..., Any], *a: Any, **kw: Any) -> Any:
    """Runs a store call, turning store and validation errors into one-line CLI errors."""
    from bot.leads.store import StoreError

    try:
        return fn(*a, **kw)
    except (StoreError, ValueError) as exc:  # InvalidStatus is a ValueError
        raise CliError(_one_line(str(exc))) from exc


def _one_line(message: str) -> str:
    """CliError messages are one line; paths and library messages may hold line breaks."""
    return " ".join(message.split())


def _lead_id(text: str) -> int:
    match = re.fullmatch(r"#?(\d{1,9})", text.strip(), flags=re.ASCII)
    if not match or int(match.group(1)) < 1:
        raise CliError(f"geçersiz kayıt numarası {quote_input(text)}")
    return int(match.group(1))


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(
            f"{option}: tarih YYYY-AA-GG biçiminde olmalı, {quote_input(text)} değil"
        ) from None


def _staff(args: argparse.Namespace) -> str:
    if getattr(args, "by", None):
        return args.by
    try:
        return os.environ.get("KUME_STAFF_NAME") or getpass.getuser()
    except Exception:
        return "personel"


def _content_or_none():
    """The content, or None when it cannot be loaded: listings still work without names."""
    try:
        from eligibility.content import get_content

        return get_content()
    except Exception:
        return None


def _centre_names() -> dict[str, str]:
    content = _content_or_none()
    if content is None:
        return {}
    return {c.id: c.province for c in content.project.centres}


def _resolve_centre(text: str) -> str:
    from eligibility.text import fold

    content = _content_or_none()
    if content is None:
        raise CliError("içerik (content/) yüklenemedi; merkez listesi bilinmiyor")
    wanted = fold(text)
    aliases = {
        fold(alias): p.name for p in content.provinces.provinces for alias in p.aliases
    }
    wanted_province = fold(aliases.get(wanted, text))
    for c in content.project.centres:
        if wanted in (fold(c.id), fold(c.province)) or wanted_province == fold(c.province):
            return c.id
    valid = ", ".join(c.id for c in content.project.centres)
    raise CliError(f"bilinmeyen merkez {quote_input(text)}; geçerli merkezler: {valid}")


def _filters(args: argparse.Namespace) -> LeadFilter:
    return LeadFilter(**_filter_values(args))


def _filter_values(args: argparse.Namespace) -> dict[str, Any]:
    from bot.leads.record import parse_status

    out: dict[str, Any] = {}
    if args.centre:
        out["centre"] = _resolve_centre(args.centre)
    if args.status:
        out["status"] = _call(parse_status, args.status)
    since = _date(args.since, "--since")
    until = _date(args.until, "--until")
    if since and until and since > until:
        raise CliError("--since tarihi --until tarihinden sonra olamaz")
    if since:
        out["since"] = since
    if until:
        out["until"] = until
    if args.undelivered:
        out["undelivered"] = True
    return out


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _local(iso: str | None) -> str:
    from bot.leads.export import local_time

    return local_time(iso)


# --- commands ------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from bot.leads.record import status_label

    store = _store(args)
    leads = _call(store.list, _filters(args))
    if args.json:
        _print_json(leads)
        return 0
    if not leads:
        hint = "" if args._data_file.exists() else f" (dosya henüz yok: {args._data_file})"
        print(f"Kayıt yok.{hint}")
        return 0
    names = _centre_names()
    for lead in leads:
        centre = names.get(lead["centre"], lead["centre"] or "merkez yok")
        delivered = "" if lead["announced"] else "  [merkeze bildirilmedi]"
        print(
            f"#{lead['id']:<5} {_local(lead['created_at'])}  {lead['firm'] or '(firma yok)'}"
            f" | {centre} | {status_label(lead['status'])}{delivered}"
        )
    print(f"Toplam {len(leads)} kayıt.")
    return 0


def _show_lines(lead: dict[str, Any], names: dict[str, str]) -> list[str]:
    from bot.leads.export import eligibility_label
    from bot.leads.record import status_label

    centre = names.get(lead["centre"], lead["centre"] or "-")
    if lead["centre_override"]:
        centre += " (elle değiştirildi)"
    consent = lead.get("consent") or {}
    fields = [
        ("Tarih", _local(lead["created_at"])),
        ("Firma", lead["firm"]),
        ("Yetkili", lead["contact_name"]),
        ("Telefon", lead["phone"]),
        ("E-posta", lead["email"]),
        ("İl", lead["province"]),
        ("Merkez", centre),
        ("Sektör", lead["sector"]),
        ("Ölçek", lead["size_band"]),
        ("Rol", lead["role"]),
        ("İhtiyaçlar", lead["needs_text"]),
        ("Eşleşen faaliyetler", ", ".join(lead["matched_activities"] or [])),
        ("Uygunluk", eligibility_label(lead["eligibility"])),
        ("Durum", status_label(lead["status"])),
        ("Kaynak", lead["source"]),
        (
            "Merkeze bildirildi",
            ("Evet" if lead["announced"] else "Hayır") + f" ({lead['announce_attempts']} deneme)",
        ),
        ("Onay", f"sürüm {consent.get('version', '-')}, {_local(consent.get('at'))}"
         if consent else "-"),
    ]
    lines = [f"Başvuru #{lead['id']}"]
    lines += [f"  {label}: {value}" for label, value in fields if value not in (None, "")]
    lines.append("  Geçmiş:")
    for h in lead["history"]:
        fix = " (düzeltme)" if h.get("correction") else ""
        lines.append(f"    {_local(h.get('at'))}  {status_label(h.get('status'))}"
                     f" — {h.get('by', '')}{fix}")
    if lead["notes"]:
        lines.append("  Notlar:")
        for n in lead["notes"]:
            lines.append(f"    {_local(n.get('at'))}  {n.get('by', '')}: {n.get('text', '')}")
    return lines


def run_show(args: argparse.Namespace) -> int:
    store = _store(args)
    lead = _call(store.get, _lead_id(args.id))
    if args.json:
        _print_json(lead)
    else:
        print("\n".join(_show_lines(lead, _centre_names())))
    return 0


def run_status(args: argparse.Namespace) -> int:
    from bot.leads.record import parse_status, status_label

    lead_id = _lead_id(args.id)
    new = _call(parse_status, args.status)
    store = _store(args)
    before = _call(store.get, lead_id)
    if before["status"] == new:
        print(f"#{lead_id} zaten “{status_label(new)}” durumunda; değişiklik yapılmadı.")
        return 0
    lead = _call(store.update_status, lead_id, new, _staff(args))
    # The status just before this change, as recorded inside the store's transaction
    # (another process may have changed it since the check above).
    history = lead["history"]
    previous = history[-2]["status"] if len(history) > 1 else before["status"]
    fix = " (düzeltme olarak kaydedildi)" if history[-1].get("correction") else ""
    print(f"#{lead_id} durumu: {status_label(previous)} → {status_label(lead['status'])}{fix}")
    return 0


def run_note(args: argparse.Namespace) -> int:
    lead_id = _lead_id(args.id)
    # Undecodable bytes from the terminal arrive as lone surrogates, which UTF-8 cannot store.
    text = " ".join(args.text).encode("utf-8", "replace").decode("utf-8").strip()
    if not text:
        raise CliError("not boş olamaz")
    store = _store(args)
    lead = _call(store.add_note, lead_id, text, _staff(args))
    print(f"#{lead_id} kaydına not eklendi ({len(lead['notes'])}. not).")
    return 0


def run_centre(args: argparse.Namespace) -> int:
    lead_id = _lead_id(args.id)
    centre = _resolve_centre(args.centre)
    store = _store(args)
    lead = _call(store.set_centre, lead_id, centre, _staff(args))
    name = _centre_names().get(centre, centre)
    print(f"#{lead_id} artık {name} Kümelenme Bilgi Merkezinde.")
    if not lead["announced"]:
        print("Not: bu başvuru henüz hiçbir merkeze bildirilmedi.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from bot.leads.export import export_leads

    filters = _filters(args)
    store = _store(args)
    leads = _call(store.list, filters)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    out = Path(args.out or f"basvurular-{stamp}.{args.format}")
    try:
        export_leads(leads, out, args.format, _centre_names())
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise CliError(_one_line(f"{out}: yazılamadı: {reason}")) from exc
    print(f"{len(leads)} kayıt yazıldı: {out}")
    print("Dosya kişisel veri içerir; işiniz bitince silin, paylaşmayın.", file=sys.stderr)
    return 0


def run_purge(args: argparse.Namespace) -> int:
    try:
        days = int(args.days)
    except ValueError:
        raise CliError(f"--days bir tam sayı olmalı, {quote_input(args.days)} değil") from None
    if days < 1:
        raise CliError("--days en az 1 olmalı")
    store = _store(args)
    count = _call(store.purge_older_than, days)
    print(f"{count} kayıt kalıcı olarak silindi ({days} günden eski).")
    return 0


def run_durum(args: argparse.Namespace) -> int:
    from bot.leads.progress import format_progress_tr, progress

    store = _store(args)
    try:
        from eligibility.content import get_content

        content = get_content()
    except Exception as exc:  # ContentError or a broken file another engineer is editing
        raise CliError(_one_line(f"içerik yüklenemedi: {exc}")) from exc
    result = _call(progress, store, content)
    if args.json:
        _print_json(result.to_json())
    else:
        print(format_progress_tr(result))
    return 0
