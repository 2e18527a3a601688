"""`kume leads list|show|status|note|centre|export|purge` (and, in bot/cli/leads_more.py,
followup|due|find|delete|audit|merge): the staff side of the leads store on the shell,
through the same staff operations as the Telegram bot (bot/leads/staff.py).
Safe to use while the bot runs: every store operation takes the store's lock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli import shell
from bot.cli.errors import CliError, one_line
from bot.leads import staff as ops
from bot.leads.filters import LeadFilter
from bot.leads.record import Lead, quote_input


def _add_filter_options(parent: argparse.ArgumentParser) -> None:
    parent.add_argument("--centre", "--merkez", metavar="MERKEZ", help="merkez (ör. samsun)")
    parent.add_argument("--status", "--durum", metavar="DURUM", help="durum (ör. yeni)")
    parent.add_argument("--since", metavar="YYYY-AA-GG", help="bu tarihten (dahil)")
    parent.add_argument("--until", metavar="YYYY-AA-GG", help="bu tarihe kadar (dahil)")
    parent.add_argument(
        "--undelivered", action="store_true", help="yalnız merkeze bildirilememiş olanlar"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def data(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        return shell.add_data_dir_option(parser)

    def filters(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        _add_filter_options(data(parser))
        return parser

    leads = sub.add_parser(
        "leads",
        help="başvuruları listeler, günceller ve dışa aktarır (merkez personeli için)",
        description="Kümelenme Bilgi Merkezlerine gelen başvurular.",
    )
    leads.set_defaults(func=lambda _args: _no_action(leads))
    actions = leads.add_subparsers(dest="leads_command", metavar="İŞLEM")

    p = filters(actions.add_parser("list", help="başvuruları listeler"))
    p.add_argument("--json", action="store_true", help="JSON olarak yaz")
    p.set_defaults(func=run_list)

    p = data(actions.add_parser("show", help="bir başvurunun ayrıntıları"))
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("--json", action="store_true", help="JSON olarak yaz")
    p.set_defaults(func=run_show)

    p = data(actions.add_parser("status", help="başvurunun durumunu değiştirir"))
    p.add_argument("id", metavar="NUMARA")
    p.add_argument(
        "status",
        metavar="DURUM",
        help="yeni, iletisime_gecildi, kumeye_katildi, ilgilenmiyor (Türkçe adı da olur)",
    )
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.add_argument("--owner", metavar="AD", help="kaydın sorumlusu da olsun")
    p.add_argument("--next", metavar="TARİH", help="sonraki görüşme tarihi de olsun")
    p.set_defaults(func=run_status)

    p = data(actions.add_parser("note", help="başvuruya not ekler"))
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("text", nargs="+", metavar="METİN")
    p.add_argument("--by", metavar="AD", help="notu yazan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_note)

    p = data(actions.add_parser("centre", help="başvuruyu başka merkeze aktarır"))
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("centre", metavar="MERKEZ", help="merkez kimliği ya da ili (ör. samsun)")
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_centre)

    p = filters(actions.add_parser("export", help="başvuruları xlsx ya da csv dosyasına yazar"))
    p.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="biçim")
    p.add_argument(
        "--out",
        metavar="DOSYA",
        help="çıktı dosyası; - standart çıktı (varsayılan: dışa aktarma klasöründe "
        "basvurular-…; $KUME_EXPORT_DIR ya da veri klasöründe exports/)",
    )
    p.set_defaults(func=run_export)

    p = data(
        actions.add_parser("purge", help="saklama süresini aşan başvuruları kalıcı olarak siler")
    )
    p.add_argument("--days", metavar="GÜN", required=True, help="bundan eski kayıtlar silinir")
    p.set_defaults(func=run_purge)

    from bot.cli import leads_more

    leads_more.register(actions, data)


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _filters(args: argparse.Namespace) -> LeadFilter:
    try:
        return ops.filter_from_options(
            centre=args.centre,
            status=args.status,
            since=args.since,
            until=args.until,
            undelivered=args.undelivered,
            content=shell.content() if args.centre else None,
        )
    except ops.StaffInputError as exc:
        raise CliError(one_line(str(exc))) from None


def _lead_id(text: str) -> int:
    try:
        return ops.parse_lead_id(text)
    except ops.StaffInputError as exc:
        raise CliError(str(exc)) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _local(iso: str | None) -> str:
    from bot.leads.views import local_time

    return local_time(iso)


def _centre_names() -> dict[str, str]:
    return {c.id: c.province for c in shell.content().project.centres}


# --- commands ------------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from bot.leads.record import status_label

    where = _filters(args)
    leads = shell.leads(args)
    found = shell.run(ops.find(leads, shell.staff(args), where))
    if args.json:
        _print_json(found)
        return 0
    if not found:
        data_file = getattr(leads.store, "path", None)
        missing = data_file is not None and not Path(data_file).exists()
        print(f"Kayıt yok. (dosya henüz yok: {data_file})" if missing else "Kayıt yok.")
        return 0
    names = _centre_names()
    for lead in found:
        centre = names.get(lead["centre"], lead["centre"] or "merkez yok")
        delivered = "" if lead["announced"] else "  [merkeze bildirilmedi]"
        print(
            f"#{lead['id']:<5} {_local(lead['created_at'])}  {lead['firm'] or '(firma yok)'}"
            f" | {centre} | {status_label(lead['status'])}{delivered}"
        )
    print(f"Toplam {len(found)} kayıt.")
    return 0


def _show_lines(lead: Lead) -> list[str]:
    from bot.leads import views
    from bot.leads.record import status_label
    from eligibility.labels import get_labels

    labels = get_labels()
    lines = [f"Başvuru #{lead['id']}"]
    for field in views.filled(lead, views.SHOW):
        text = field.value
        if field.key == "centre" and lead["centre_override"]:
            text += f" ({labels.field('centre_override').lower()})"
        if field.key == "announced":
            text += f" ({lead['announce_attempts']} deneme)"
        lines.append(f"  {field.label}: {text}")
    lines.append("  Geçmiş:")
    for h in lead["history"]:
        fix = " (düzeltme)" if h.get("correction") else ""
        lines.append(
            f"    {views.local_time(h.get('at'))}  {status_label(h.get('status'))}"
            f" — {h.get('by', '')}{fix}"
        )
    if lead["notes"]:
        lines.append(f"  {labels.field('notes')}:")
        for n in lead["notes"]:
            lines.append(
                f"    {views.local_time(n.get('at'))}  {n.get('by', '')}: {n.get('text', '')}"
            )
    return lines


def run_show(args: argparse.Namespace) -> int:
    lead_id = _lead_id(args.id)
    lead = shell.run(ops.get(shell.leads(args), shell.staff(args), lead_id))
    if args.json:
        _print_json(lead)
    else:
        print("\n".join(_show_lines(lead)))
    return 0


def run_status(args: argparse.Namespace) -> int:
    from bot.leads.record import status_label

    lead_id = _lead_id(args.id)
    if args.owner is not None or args.next is not None:
        from bot.cli.leads_more import status_with_followup

        return status_with_followup(args, lead_id)
    change = shell.run(ops.set_status(shell.leads(args), shell.staff(args), lead_id, args.status))
    if not change.changed:
        label = status_label(change.lead["status"])
        print(f"#{lead_id} zaten “{label}” durumunda; değişiklik yapılmadı.")
        return 0
    fix = " (düzeltme olarak kaydedildi)" if change.correction else ""
    new = status_label(change.lead["status"])
    print(f"#{lead_id} durumu: {status_label(change.previous)} → {new}{fix}")
    return 0


def run_note(args: argparse.Namespace) -> int:
    lead_id = _lead_id(args.id)
    # Undecodable bytes from the terminal arrive as lone surrogates, which UTF-8 cannot store.
    text = " ".join(args.text).encode("utf-8", "replace").decode("utf-8").strip()
    if not text:
        raise CliError("not boş olamaz")
    lead = shell.run(ops.add_note(shell.leads(args), shell.staff(args), lead_id, text))
    print(f"#{lead_id} kaydına not eklendi ({len(lead['notes'])}. not).")
    return 0


def run_centre(args: argparse.Namespace) -> int:
    lead_id = _lead_id(args.id)
    try:
        centre = ops.resolve_centre(args.centre, shell.content())
    except ops.StaffInputError as exc:
        raise CliError(one_line(str(exc))) from None
    lead = shell.run(ops.move_to_centre(shell.leads(args), shell.staff(args), lead_id, centre))
    name = _centre_names().get(centre, centre)
    print(f"#{lead_id} artık {name} Kümelenme Bilgi Merkezinde.")
    if not lead["announced"]:
        print("Not: bu başvuru henüz hiçbir merkeze bildirilmedi.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Writes to the export directory (0700) under a name that never replaces an earlier
    export, to --out FILE (never over an existing file) or, with --out -, to stdout."""
    from bot.atomicfile import private_dir, write_exclusive, write_new
    from eligibility.staff_words import staff_text

    where = _filters(args)
    data, count = shell.run(ops.export(shell.leads(args), shell.staff(args), where, args.format))
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        print(staff_text("export.to_stdout", count=count), file=sys.stderr)
        return 0
    try:
        if args.out:
            out = write_exclusive(Path(args.out).absolute(), data)
        else:
            folder = private_dir(shell.export_dir(args))
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            out = write_new(folder, f"basvurular-{stamp}", f".{args.format}", data)
    except FileExistsError:
        raise CliError(one_line(staff_text("export.exists", path=args.out))) from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        where_to = args.out or shell.export_dir(args)
        raise CliError(one_line(f"{where_to}: yazılamadı: {reason}")) from exc
    print(staff_text("export.written", count=count, path=out))
    print(staff_text("export.warning"), file=sys.stderr)
    return 0


def run_purge(args: argparse.Namespace) -> int:
    try:
        days = int(args.days)
    except ValueError:
        raise CliError(f"--days bir tam sayı olmalı, {quote_input(args.days)} değil") from None
    if days < 1:
        raise CliError("--days en az 1 olmalı")
    count = shell.run(ops.purge(shell.leads(args), days))
    print(f"{count} kayıt kalıcı olarak silindi ({days} günden eski).")
    return 0
