"""What every handler of the running bot shares: settings, the leads facade, the persistence.

`build_application` puts one `Runtime` into `bot_data` (which is not persisted); handlers get
it with `runtime(context)` instead of reading loose keys or settings of their own.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from telegram.ext import Application, ApplicationBuilder

from bot.config import Settings
from bot.leads.facade import Leads
from bot.telegram.persistence import JsonPersistence
from bot.telegram.pg_persistence import PgPersistence

RUNTIME_KEY = "runtime"

# The bot's Application with PTB's default context types.
App = Application[Any, Any, Any, Any, Any, Any]
Builder = ApplicationBuilder[Any, Any, Any, Any, Any, Any]


class _HasBotData(Protocol):
    @property
    def bot_data(self) -> Any: ...


@dataclasses.dataclass
class Runtime:
    settings: Settings
    leads: Leads
    persistence: JsonPersistence | PgPersistence | None = None
    # lead ids whose automatic announcement is on its way (staff/announce.py)
    announcing: set[int] = dataclasses.field(default_factory=set)
    # after an unclean start: user id -> (where their walk is, id of the first message of
    # this run that showed them that question) (user/walk.py, user/resync.py)
    shown: dict[int, tuple[str, int]] = dataclasses.field(default_factory=dict)


def runtime(owner: _HasBotData) -> Runtime:
    """The runtime of an Application or a CallbackContext."""
    found = owner.bot_data[RUNTIME_KEY]
    assert isinstance(found, Runtime)
    return found
