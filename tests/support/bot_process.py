"""`kume bot` as a process of its own, polling the fake Bot API server of the test: what the
SIGKILL, exactly-once and chaos tests share."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_operator import operator_env
from tests.support.harness import settings_env
from tests.support.walks import LEAD_NUMBER_RE

ROOT = Path(__file__).resolve().parent.parent.parent


def bot_env(server: FakeBotApi, data_dir: Path, env: Mapping[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KUME_"))}
    clean.update(settings_env(server, data_dir, env))
    clean.update(operator_env(data_dir.parent))  # `kume bot` refuses a demo configuration
    clean["PYTHONPATH"] = str(ROOT)
    return clean


async def start_bot_process(
    server: FakeBotApi,
    data_dir: Path,
    env: Mapping[str, str],
    timeout: float = 60,
    *,
    log: Path | None = None,
) -> asyncio.subprocess.Process:
    """Starts `kume bot` and returns once it polls (it deleted the webhook, as it does right
    before its first getUpdates). `log`: a file its log is appended to (else dropped)."""
    polls_before = len(server.calls_of("deleteWebhook"))
    sink = log.open("ab") if log is not None else None
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "bot",
            "--env-file",
            str(data_dir.parent / "none.env"),
            env=bot_env(server, data_dir, env),
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE if sink is None else sink,
        )
    finally:
        if sink is not None:
            sink.close()  # the child has its own copy
    try:
        await server.wait_until(
            lambda: len(server.calls_of("deleteWebhook")) > polls_before, timeout=timeout
        )
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
        err = err or (log.read_bytes() if log is not None else b"")
        raise AssertionError(f"kume bot did not start: {err.decode()[-2000:]}") from None
    if log is None:
        # stderr is a pipe: keep reading it so that a chatty bot never blocks on a full pipe
        asyncio.get_running_loop().create_task(_drain(proc))
    return proc


async def _drain(proc: asyncio.subprocess.Process) -> None:
    assert proc.stderr is not None
    while await proc.stderr.read(65536):
        pass


def confirmed_leads(server: FakeBotApi) -> dict[int, int]:
    """Lead number → user id, for every confirmation any user has seen."""
    seen = {}
    for chat_id, messages in server.messages.items():
        for msg in messages:
            match = LEAD_NUMBER_RE.search(msg.text)
            if match and chat_id > 0:
                seen[int(match.group(1))] = chat_id
    return seen
