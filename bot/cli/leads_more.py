"""`kume leads followup|due|find|delete|audit|merge`: follow-up, the daily digest, finding a
lead by phone or e-mail, erasing it for a data-subject request (KVKK) with an audit entry,
and merging duplicates, through the staff operations the bot uses too
(bot/leads/staff_actions.py)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from bot.cli import shell
from bot.cli.errors import CliError, one_line
from bot.leads import staff as ops
from bot.leads import staff_actions as actions_ops
from bot.leads.record import status_label

Parser = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser], data: Parser) -> None:
    p = data(actions.add_parser("followup", help="sonraki görüşme tarihini ve sorumluyu yazar"))
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("--next", metavar="TARİH", help="GG.AA.YYYY, YYYY-AA-GG, bugün ya da yarın")
    p.add_argument("--owner", metavar="AD", help="kaydın sorumlusu (merkezin personeli)")
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_followup)

    p = data(actions.add_parser("due", help="takip listesi: yeni, görüşme günü gelen, bekleyen"))
    p.add_argument("--centre", "--merkez", metavar="MERKEZ", help="yalnız bu merkez")
    p.add_argument("--stale-days", metavar="GÜN", help="«Yeni» durumunda bekleme sınırı")
    p.set_defaults(func=run_due)

    p = data(actions.add_parser("find", help="telefon ya da e-postayla kayıt bulur"))
    p.add_argument("contact", nargs="+", metavar="TELEFON_YA_DA_EPOSTA")
    p.add_argument("--json", action="store_true", help="JSON olarak yaz")
    p.set_defaults(func=run_find)

    p = data(
        actions.add_parser(
            "delete", help="ilgili kişinin başvurusuyla bir kaydı kalıcı olarak siler (KVKK)"
        )
    )
    p.add_argument("id", metavar="NUMARA")
    p.add_argument("--reason", metavar="GEREKÇE", required=True, help="denetim kaydına yazılır")
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_delete)

    p = data(actions.add_parser("audit", help="silme ve birleştirme denetim kaydı"))
    p.add_argument("--json", action="store_true", help="JSON olarak yaz")
    p.set_defaults(func=run_audit)

    p = data(actions.add_parser("merge", help="mükerrer bir kaydı diğerine birleştirir"))
    p.add_argument("keep", metavar="KALACAK")
    p.add_argument("duplicate", metavar="BIRLESECEK")
    p.add_argument("--by", metavar="AD", help="işlemi yapan (varsayılan: kullanıcı adı)")
    p.set_defaults(func=run_merge)


def _lead_id(text: str) -> int:
    try:
        return ops.parse_lead_id(text)
    except ops.StaffInputError as exc:
        raise CliError(str(exc)) from None


def _guard(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except ops.StaffInputError as exc:
        raise CliError(one_line(str(exc))) from None


def run_followup(args: argparse.Namespace) -> int:
    from bot.leads.views import local_day

    lead_id = _lead_id(args.id)
    day = _guard(lambda: actions_ops.parse_next_contact(args.next)) if args.next else None
    if day is None and args.owner is None:
        raise CliError("--next ya da --owner verilmeli")
    lead = shell.run(
        actions_ops.set_followup(
            shell.leads(args), shell.staff(args), lead_id, next_contact=day, owner=args.owner
        )
    )
    print(f"#{lead_id}: {local_day(lead['next_contact']) or '-'} · {lead['owner'] or '-'}")
    return 0


def run_due(args: argparse.Namespace) -> int:
    from bot.leads.digest import digest_text

    settings = shell.settings()
    stale = settings.digest_stale_days
    if args.stale_days is not None:
        try:
            stale = int(args.stale_days)
        except ValueError:
            raise CliError(f"--stale-days bir tam sayı olmalı, «{args.stale_days}» değil") from None
    centres = ops.centre_ids(shell.content())
    if args.centre:
        centres = [_guard(lambda: ops.resolve_centre(args.centre, shell.content()))]
    found = shell.run(actions_ops.digests(shell.leads(args), shell.staff(args), centres, stale))
    print("\n\n".join(digest_text(d) for d in found))
    return 0


def run_find(args: argparse.Namespace) -> int:
    from eligibility.staff_words import staff_text

    text = " ".join(args.contact)
    found = shell.run(actions_ops.find_by_contact(shell.leads(args), shell.staff(args), text))
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return 0
    if not found:
        print(staff_text("find.none"))
        return 0
    print(staff_text("find.found", count=len(found)))
    for lead in found:
        print(
            f"#{lead['id']:<5} {lead['user_key']}  {lead['firm'] or '-'} | "
            f"{lead['centre'] or '-'} | {status_label(lead['status'])}"
        )
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from eligibility.staff_words import staff_text

    lead_id = _lead_id(args.id)
    shell.run(actions_ops.erase(shell.leads(args), shell.staff(args), lead_id, args.reason))
    print(staff_text("delete.done", id=lead_id))
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from bot.leads.views import local_time
    from eligibility.staff_words import staff_text

    entries = shell.run(shell.leads(args).audit_log())
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(staff_text("audit.none"))
        return 0
    for entry in entries:
        action = {"delete": "audit.action_delete", "merge": "audit.action_merge"}.get(
            str(entry.get("action"))
        )
        print(
            staff_text(
                "audit.line",
                at=local_time(entry.get("at")),
                action=staff_text(action) if action else entry.get("action"),
                id=entry.get("lead_id"),
                by=entry.get("by"),
                reason=entry.get("reason"),
            )
        )
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from eligibility.staff_words import staff_text

    keep, duplicate = _lead_id(args.keep), _lead_id(args.duplicate)
    shell.run(actions_ops.merge(shell.leads(args), shell.staff(args), keep, duplicate))
    print(staff_text("merge.done", source=duplicate, target=keep))
    return 0


def status_with_followup(args: argparse.Namespace, lead_id: int) -> int:
    """`kume leads status N DURUM --owner … --next …`: one store change."""
    from bot.leads import staff_actions
    from bot.leads.record import InvalidStatus, parse_status
    from bot.leads.views import local_day

    try:
        status = parse_status(args.status)
        day = staff_actions.parse_next_contact(args.next) if args.next else None
    except (InvalidStatus, ops.StaffInputError) as exc:
        raise CliError(one_line(str(exc))) from None
    lead = shell.run(
        staff_actions.set_followup(
            shell.leads(args),
            shell.staff(args),
            lead_id,
            next_contact=day,
            owner=args.owner,
            status=status,
        )
    )
    print(
        f"#{lead_id} durumu: {status_label(lead['status'])} · "
        f"{local_day(lead['next_contact']) or '-'} · {lead['owner'] or '-'}"
    )
    return 0
