"""argparse in Turkish: the help ("kullanım:", "seçenekler:", "-h, --help") and one-line
error messages with a pointer to --help, for `kume` and every sub-command.

argparse writes its own words in English (through gettext, with no Turkish catalogue); the
parser and formatter below replace each of them through argparse's public hooks.
"""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

USAGE = "kullanım: "
POSITIONALS = "konumsal bağımsız değişkenler"
OPTIONALS = "seçenekler"
HELP = "bu yardımı gösterir ve çıkar"

# argparse's error phrases → Turkish (checked by tests/test_cli_core.py).
ERRORS = (
    ("the following arguments are required", "şu bağımsız değişkenler eksik"),
    ("unrecognized arguments", "tanınmayan bağımsız değişkenler"),
    ("invalid choice", "geçersiz seçim"),
    ("choose from", "seçenekler"),
    ("argument ", ""),
    ("expected one argument", "bir değer bekleniyor"),
    ("invalid int value", "geçersiz tam sayı"),
)


class TurkishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class TurkishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Turkish. Use it for parent parsers too
    (their option groups are merged by title)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", TurkishHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # ours, with a Turkish help line, is added below
        super().__init__(*args, **kwargs)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONALS
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        """One Turkish line and a pointer to --help instead of usage plus English."""
        for english, turkish in ERRORS:
            message = message.replace(english, turkish)
        self.exit(2, f"{self.prog}: {message} (yardım için: {self.prog} --help)\n")
