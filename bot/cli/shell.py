"""What the staff commands of the shell share: settings, the store, who acts, one-line errors.

`kume leads …` and `kume durum` call the same staff operations as the Telegram bot
(bot/leads/staff.py), through the Leads facade running in place: a shell command has no
other users to keep waiting.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from bot.cli.errors import CliError, one_line
from bot.config import Settings, SettingsError
from bot.leads.backend import open_store
from bot.leads.facade import Leads
from bot.leads.staff import StaffInputError, StaffMember
from bot.leads.store import StoreError
from eligibility.content import ContentError
from eligibility.models import Content

T = TypeVar("T")


def add_data_dir_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "--data-dir",
        metavar="KLASÖR",
        help="veri klasörü (varsayılan: $KUME_DATA_DIR ya da ./data)",
    )
    return parser


def settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise CliError(str(exc)) from None


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else settings().data_dir


def export_dir(args: argparse.Namespace) -> Path:
    """KUME_EXPORT_DIR, else `exports` in the data directory (--data-dir counts)."""
    current = settings()
    if current.export_dir is not None:
        return current.export_dir
    return data_dir(args) / "exports"


def leads(args: argparse.Namespace) -> Leads:
    directory = data_dir(args)
    try:
        return Leads(open_store(directory, settings().database_url), run="here")
    except StoreError as exc:  # the database: unreachable, or on another schema
        raise CliError(one_line(str(exc))) from exc
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or exc
        raise CliError(one_line(f"veri klasörü açılamadı: {directory}: {reason}")) from exc


def staff(args: argparse.Namespace) -> StaffMember:
    """The person at the shell: --by, else KUME_STAFF_NAME, else the login name. The shell
    sees every centre (whoever can read the data directory can read every lead anyway)."""
    return StaffMember(by=getattr(args, "by", None) or settings().shell_user)


def content() -> Content:
    try:
        from eligibility.content import get_content

        return get_content()
    except ContentError as exc:
        raise CliError(one_line(f"içerik yüklenemedi: {exc}")) from exc


def run(operation: Coroutine[Any, Any, T]) -> T:
    """Runs one staff operation; store and input errors become one-line CLI errors.

    `kume` is normally its own process; when `main()` is called from code that already runs
    an event loop (a test, a notebook), the operation gets a loop of its own in a thread."""
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(operation)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, operation).result()
    except (StoreError, StaffInputError, ValueError) as exc:  # InvalidStatus is a ValueError
        raise CliError(one_line(str(exc))) from exc
