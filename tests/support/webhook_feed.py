"""Telegram's webhook delivery and a round-robin load balancer, for bots behind webhooks.

`WebhookFeed(server, urls, secret)` takes every update pushed on the fake Bot API server and
POSTs it to the bot processes' webhooks in turn, as Telegram behind a round-robin balancer
would: an update whose request fails (connection refused or reset: a killed process; a 5xx)
goes to the next process after a short pause, until one answers 200 or a deadline passes.
Counts what happened (`delivered`, `redelivered`, `failed`). `pinned` (a URL) sends each
update's first attempt to that process, so that a test chooses which process gets which
message; its retries go round the others as before. `bodies` keeps every update as sent,
and `post(url, body)` delivers one again to a chosen process (Telegram repeating it).

`start_webhook_bot(server, data_dir, database_url, port)` starts `kume bot --webhook` as its
own process on that port (KUME_DATABASE_URL set), and waits until it listens.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sys
from pathlib import Path

import aiohttp

from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_operator import operator_env
from tests.support.harness import settings_env

ROOT = Path(__file__).resolve().parents[2]
SECRET = "deneme-gizli-anahtar"
PATH = "hook"


class WebhookFeed:
    def __init__(
        self, server: FakeBotApi, urls: list[str], secret: str = SECRET, deadline: float = 60
    ) -> None:
        self.server = server
        self.urls = list(urls)
        self.secret = secret
        self.deadline = deadline
        self._turn = itertools.count()
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._original = server.push_update
        self.delivered = self.redelivered = self.failed = 0
        self.down: set[str] = set()  # processes known dead: skipped
        self.pinned: str | None = None  # the process every first attempt goes to
        self.bodies: list[dict] = []

    async def __aenter__(self) -> WebhookFeed:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=30),
            connector=aiohttp.TCPConnector(limit=200, force_close=False),
        )
        self.server.push_update = self._push  # type: ignore[method-assign]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.push_update = self._original  # type: ignore[method-assign]
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def _push(self, update: dict) -> int:
        update_id = self._original(update)
        body = {"update_id": update_id, **update}
        self.bodies.append(body)
        task = asyncio.get_running_loop().create_task(self._deliver(body))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return update_id

    async def _deliver(self, body: dict) -> None:
        assert self._session is not None
        loop = asyncio.get_running_loop()
        stop = loop.time() + self.deadline
        attempt = 0
        while loop.time() < stop:
            live = [u for u in self.urls if u not in self.down] or self.urls
            if self.pinned is not None and attempt == 0:
                url = self.pinned
            elif self.pinned is not None and len(live) > 1:
                others = [u for u in live if u != self.pinned] or live
                url = others[next(self._turn) % len(others)]
            else:
                url = live[next(self._turn) % len(live)]
            try:
                async with self._session.post(
                    url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": self.secret}
                ) as response:
                    if response.status == 200:
                        self.delivered += 1
                        self.redelivered += attempt > 0
                        return
            except (TimeoutError, aiohttp.ClientError):
                pass
            attempt += 1
            await asyncio.sleep(min(0.05 * attempt, 0.5))
        self.failed += 1

    async def post(self, url: str, body: dict) -> int:
        """Delivers `body` once more, to the process at `url`; its HTTP status."""
        assert self._session is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret}
        async with self._session.post(url, json=body, headers=headers) as response:
            return response.status


def webhook_env(
    server: FakeBotApi, data_dir: Path, database_url: str, port: int, extra: dict | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KUME_"))}
    env.update(settings_env(server, data_dir, extra))
    env.update(operator_env(data_dir.parent))  # `kume bot` refuses a demo configuration
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "KUME_DATABASE_URL": database_url,
            "KUME_WEBHOOK_URL": f"http://127.0.0.1:{port}/{PATH}",
            "KUME_WEBHOOK_SECRET": SECRET,
            "KUME_WEBHOOK_LISTEN": "127.0.0.1",
            "KUME_WEBHOOK_PORT": str(port),
        }
    )
    return env


async def wait_listening(port: int, proc: asyncio.subprocess.Process, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    stop = loop.time() + timeout
    while loop.time() < stop:
        if proc.returncode is not None:
            break
        with contextlib.suppress(OSError):
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    if proc.returncode is None:
        proc.kill()
    await proc.wait()
    raise AssertionError(f"kume bot --webhook did not start: {log_tail(proc)}")


def log_tail(proc: asyncio.subprocess.Process) -> str:
    path = getattr(proc, "log_path", None)
    return Path(path).read_text(errors="replace")[-2000:] if path else ""


async def start_webhook_bot(
    server: FakeBotApi,
    data_dir: Path,
    database_url: str,
    port: int,
    extra: dict | None = None,
    timeout: float = 60,
) -> asyncio.subprocess.Process:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_path = data_dir / f"bot-{port}.log"  # a file, not a pipe nobody reads while it runs
    with log_path.open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "bot", "--webhook",
            "--env-file", str(data_dir.parent / "none.env"),
            env=webhook_env(server, data_dir, database_url, port, extra),
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )  # fmt: skip
    proc.log_path = str(log_path)  # type: ignore[attr-defined]
    await wait_listening(port, proc, timeout)
    return proc


async def stop_bot(proc: asyncio.subprocess.Process) -> str:
    """SIGTERM, then SIGKILL after 30 s; the process's log."""
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), 30)
    except TimeoutError:
        proc.kill()
        await proc.wait()
    return log_tail(proc)
