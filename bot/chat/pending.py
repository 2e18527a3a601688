"""The terminal chat's confirmed answer, kept until its number was shown (exactly once).

`kume chat` keeps no conversation while a walk is in progress: leaving (or a crash) before
the confirmation saves nothing, by design. From the confirmation on, though, the walk is
the user's decision: it is written to `chat_pending.json` in the data directory (0600,
atomic) before the lead is saved, and removed once the number was printed. A run cut off
in between (killed, the terminal closed) leaves the file; the next `kume chat` finishes it
first, saving it again idempotently on its submission key: the same number, never a second
lead.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path

from bot.atomicfile import move_aside, private_dir, write_atomic
from eligibility.questionnaire import Session

log = logging.getLogger(__name__)

PENDING_FILE = "chat_pending.json"


@dataclasses.dataclass(frozen=True)
class Pending:
    session: Session  # confirmed (stage "done"), with its submission key
    user_key: str  # "cli:<uuid>", kept so that the lead is the same user's


def _path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / PENDING_FILE


def keep(data_dir: str | os.PathLike[str], pending: Pending) -> None:
    """Makes the confirmed walk durable before its lead is saved."""
    payload = {"session": pending.session.to_dict(), "user_key": pending.user_key}
    write_atomic(private_dir(data_dir) / PENDING_FILE, json.dumps(payload).encode())


def find(data_dir: str | os.PathLike[str]) -> Pending | None:
    """The confirmed walk a cut-off run left, if any (an unreadable file is moved aside)."""
    path = _path(data_dir)
    try:
        data = json.loads(path.read_bytes())
        session = Session.from_dict(data["session"])
        if session.stage != "done" or not session.submission_key:
            raise ValueError("not a confirmed walk")
        return Pending(session, str(data["user_key"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        aside = move_aside(path)
        log.warning("yarım kalan başvuru dosyası okunamadı; %s olarak ayrıldı", aside)
        return None


def done(data_dir: str | os.PathLike[str]) -> None:
    """The number was shown: nothing is pending any more."""
    try:
        os.unlink(_path(data_dir))
    except FileNotFoundError:
        pass
