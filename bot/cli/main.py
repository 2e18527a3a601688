"""The `kume` dispatcher. Each command group lives in its own module with a `register(sub)`
function; modules keep heavy imports (telegram, openpyxl) inside their handlers so that
`kume match` stays fast."""

from __future__ import annotations

import argparse
import os
import sys

from bot.cli import chat, core, db, doctor, durum, kumeler, leads, serve
from bot.cli.errors import CliError
from bot.cli.turkish import TurkishArgumentParser

# Each registers one or more sub-commands, in the order `kume --help` lists them.
COMMAND_MODULES = (core, chat, leads, durum, kumeler, serve, doctor, db)


def build_parser() -> argparse.ArgumentParser:
    parser = TurkishArgumentParser(
        prog="kume", description="Küme Asistanı: Kümelenme Destek Programı yardımcısı"
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMUT", parser_class=TurkishArgumentParser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's exit handler
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except CliError as exc:
        # One line, whatever the user typed into the echoed value (newlines, CR, tabs).
        print(f"kume: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nkume: durduruldu", file=sys.stderr)
        return 130


def _pipe_closed() -> int:
    """The reader went away (`kume leads list | head`): stop quietly. Python would report
    the failed flush of stdout again at exit; pointing stdout at /dev/null prevents that."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture)
        pass
    return 0
