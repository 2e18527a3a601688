"""`kume chat`: the questionnaire in the terminal (bot/chat/terminal.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot import crashpoints
from bot.chat.terminal import HELP, Chat, ChatError, Quit
from bot.cli import shell
from bot.cli.errors import CliError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chat = sub.add_parser(
        "chat",
        help="soruları terminalde sorar; Telegram gerekmez",
        description=(
            "Küme uygunluk kontrolü ya da firma ihtiyaç eşleştirmesi için soruları terminalde "
            "sorar. KVKK onayı verilirse başvuru veri klasörüne kaydedilir. " + HELP
        ),
    )
    chat.add_argument(
        "--data-dir",
        metavar="KLASÖR",
        help="başvuruların kaydedileceği klasör (varsayılan: $KUME_DATA_DIR, yoksa ./data/)",
    )
    chat.add_argument(
        "--path",
        choices=("kume", "firma", "hesap"),
        help=(
            "kume: küme birlikteliği uygunluk kontrolü; firma: firma bilgileri ve ihtiyaçlar; "
            "hesap: bir birlikteliğin iş planı için hibe tahmini"
        ),
    )
    chat.set_defaults(func=run_chat)


def _utf8(stream: TextIO) -> None:
    # A C/POSIX locale would otherwise turn every Turkish letter into an encoding error.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
        reconfigure(encoding="utf-8", errors="replace")


def run_chat(args: argparse.Namespace) -> int:
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        _utf8(stream)
    settings = shell.settings()
    crashpoints.arm(settings.test_crash_at)
    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir
    chat = Chat(
        sys.stdin,
        sys.stdout,
        data_dir,
        settings.retention_days,
        settings.site_url,
        database_url=settings.database_url,
    )
    try:
        return chat.run(args.path)
    except ChatError as exc:
        raise CliError(str(exc)) from exc
    except Quit:
        chat.say("\nSohbet sonlandırıldı; hiçbir bilgi kaydedilmedi.")
        return 0
    except KeyboardInterrupt:
        chat.say("\nSohbet sonlandırıldı; hiçbir bilgi kaydedilmedi.")
        return 0
    except Exception as exc:  # a bug must not show a traceback to a chamber officer
        print(
            f"kume: beklenmeyen bir hata oluştu ({type(exc).__name__}); hiçbir bilgi kaydedilmedi.",
            file=sys.stderr,
        )
        return 1
