"""`kume --help` and the help of every sub-command are Turkish throughout, argparse's own
headings and the -h line included."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from bot.cli.main import build_parser, main

ENGLISH = (
    "usage:",
    "options:",
    "positional arguments",
    "show this help message",
    "optional arguments",
)


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    found = [prefix]
    for action in parser._actions:  # the parser tree as argparse built it
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _commands(child, (*prefix, name))
    return found


COMMANDS = _commands(build_parser())


def test_every_command_is_reached():
    assert ("leads", "export") in COMMANDS and ("chat",) in COMMANDS and () in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "kume")
def test_help_is_turkish(command):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = out.getvalue()
    assert text.startswith("kullanım: kume")
    assert "-h, --help" in text and "bu yardımı gösterir ve çıkar" in text
    for english in ENGLISH:
        assert english not in text, (command, english)
