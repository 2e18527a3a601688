"""Runs TinyDB store work in a worker process, off the bot's event loop.

TinyDB parses and rewrites the whole JSON file on every call. In a thread that work still
holds Python's interpreter lock, so every other user of the bot waits (measured: 807 ms of
event-loop lag at 50 000 leads in a thread, 10 ms with the worker). The bot therefore sends
TinyDB store calls to one worker *process*; bot/leads/facade.py decides which store goes
where. One worker is enough: the file lock serialises writers anyway.

What crosses the process boundary: the store's file path, a module-level function (pickled
by its qualified name) and its arguments; the worker opens the store once per path and calls
`func(store, *args)`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.leads.tinydb_store import TinyDBLeadStore

P = ParamSpec("P")
T = TypeVar("T")

_pool: concurrent.futures.ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()

# --- inside the worker process ----------------------------------------------------------

_worker_stores: dict[tuple[str, float], TinyDBLeadStore] = {}


def _watch_parent(parent: int) -> None:
    """A worker whose bot was killed (SIGKILL leaves no chance to stop it) exits by itself."""
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)


def _init_worker(parent: int) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _call_with_store(
    path: str,
    lock_timeout: float,
    func: Callable[..., T],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> T:
    key = (path, lock_timeout)
    if key not in _worker_stores:
        _worker_stores[key] = TinyDBLeadStore(path, lock_timeout=lock_timeout)
    return func(_worker_stores[key], *args, **kwargs)


def _ping() -> int:
    return os.getpid()


# --- in the bot -------------------------------------------------------------------------


def _get_pool() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # spawn, not fork: the bot has threads (job queue, to_thread) that fork would copy
            # mid-flight, locks included.
            _pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(os.getpid(),),
            )
        return _pool


def shutdown() -> None:
    """Stops the worker process (also run at interpreter exit)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=False)


atexit.register(shutdown)


async def _in_pool(func: Callable[..., T], *args: Any) -> T:
    loop = asyncio.get_running_loop()
    call = functools.partial(func, *args)
    try:
        return await loop.run_in_executor(_get_pool(), call)
    except concurrent.futures.process.BrokenProcessPool:
        # The worker died (killed, out of memory): start a new one and try once more. Store
        # writes are atomic, so a call that died mid-way left the file as it was before.
        shutdown()
        return await loop.run_in_executor(_get_pool(), call)


async def warm_up() -> None:
    """Starts the worker process before the first user needs it."""
    await _in_pool(_ping)


async def with_store(
    store: TinyDBLeadStore,
    func: Callable[Concatenate[TinyDBLeadStore, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`func(store, *args, **kwargs)` in the worker; `func` must be a module-level function."""
    return await _in_pool(_call_with_store, str(store.path), store.lock_timeout, func, args, kwargs)


async def compute(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A CPU-heavy pure function (e.g. building an xlsx export) in the worker process."""
    return await _in_pool(functools.partial(func, *args, **kwargs))
