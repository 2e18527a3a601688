"""The `kume` dispatcher. Each command group lives in its own module with a `register(sub)`
function; modules keep heavy imports (telegram, openpyxl) inside their handlers so that
`kume match` stays fast."""

from __future__ import annotations

import argparse
import sys

from bot.cli import chat, core, doctor, durum, leads, serve
from bot.cli.errors import CliError
from bot.cli.turkish import TurkishArgumentParser

# Each registers one or more sub-commands, in the order `kume --help` lists them.
COMMAND_MODULES = (core, chat, leads, durum, serve, doctor)


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
        return int(args.func(args) or 0)
    except CliError as exc:
        # One line, whatever the user typed into the echoed value (newlines, CR, tabs).
        print(f"kume: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nkume: durduruldu", file=sys.stderr)
        return 130
