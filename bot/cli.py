"""The `kume` command. Each sub-command lives in its own module with a `register(sub)`
function; modules keep heavy imports (telegram, openpyxl) inside their handlers so that
`kume match` stays fast."""

from __future__ import annotations

import argparse
import importlib
import sys

# module path -> registers one or more sub-commands
COMMAND_MODULES = (
    "bot.commands_core",  # check, budget, match
    "bot.terminal",  # chat
    "bot.leads_cli",  # leads, durum
    "bot.run",  # bot
)


class CliError(Exception):
    """A user error: printed as one line on stderr, exit code 2."""


class TurkishArgumentParser(argparse.ArgumentParser):
    """argparse prints usage plus an English line on bad arguments; we print one Turkish
    line with a pointer to --help instead."""

    def error(self, message: str):
        message = (
            message.replace("the following arguments are required", "şu bağımsız değişkenler eksik")
            .replace("unrecognized arguments", "tanınmayan bağımsız değişkenler")
            .replace("invalid choice", "geçersiz seçim")
            .replace("choose from", "seçenekler")
            .replace("argument ", "")
            .replace("expected one argument", "bir değer bekleniyor")
            .replace("invalid int value", "geçersiz tam sayı")
        )
        self.exit(2, f"{self.prog}: {message} (yardım için: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = TurkishArgumentParser(
        prog="kume", description="Küme Asistanı: Kümelenme Destek Programı yardımcısı"
    )
    sub = parser.add_subparsers(
        dest="command", metavar="KOMUT", parser_class=TurkishArgumentParser
    )
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a front end not built yet
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


if __name__ == "__main__":
    # Run through the imported module so CliError is the same class the handlers raise.
    from bot.cli import main as _main

    sys.exit(_main())
