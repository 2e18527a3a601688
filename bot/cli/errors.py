"""The one error type of the `kume` command: a user error printed as one line, exit 2."""

from __future__ import annotations


class CliError(Exception):
    """A user error: printed as one line on stderr, exit code 2."""


def one_line(text: object) -> str:
    """Messages are one line: paths, library messages and echoed input may hold breaks."""
    return " ".join(str(text).split())
