"""Runs leads-store work off the bot's event loop without stalling other users.

TinyDB parses and rewrites the whole JSON file on every call. In a thread that work still
holds Python's interpreter lock, so every other user of the bot waits (about a second per
write at 50 000 leads). For the TinyDB store the bot therefore sends store calls to one
worker *process*; any other store (a future server database, test doubles) runs in a
thread. One worker is enough: the file lock serialises writers anyway.
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
from typing import Any

from bot.leads.store import LeadStore, TinyDBLeadStore

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


def _worker_store(path: str, lock_timeout: float) -> TinyDBLeadStore:
    key = (path, lock_timeout)
    if key not in _worker_stores:
        _worker_stores[key] = TinyDBLeadStore(path, lock_timeout=lock_timeout)
    return _worker_stores[key]


def _call_method(path: str, lock_timeout: float, method: str, args: tuple, kwargs: dict) -> Any:
    return getattr(_worker_store(path, lock_timeout), method)(*args, **kwargs)


def _call_with_store(
    path: str, lock_timeout: float, func: Callable[..., Any], args: tuple, kwargs: dict
) -> Any:
    return func(_worker_store(path, lock_timeout), *args, **kwargs)


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


async def _in_pool(func: Callable[..., Any], *args: Any) -> Any:
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_get_pool(), functools.partial(func, *args))
    except concurrent.futures.process.BrokenProcessPool:
        # The worker died (killed, out of memory): start a new one and try once more. Store
        # writes are atomic, so a call that died mid-way left the file as it was before.
        shutdown()
        return await loop.run_in_executor(_get_pool(), functools.partial(func, *args))


async def warm_up() -> None:
    """Starts the worker process before the first user needs it."""
    await _in_pool(_ping)


def _uses_worker(store: LeadStore) -> bool:
    return type(store) is TinyDBLeadStore


async def store_call(store: LeadStore, method: str, *args: Any, **kwargs: Any) -> Any:
    """`store.<method>(*args, **kwargs)` without blocking the event loop."""
    if _uses_worker(store):
        return await _in_pool(
            _call_method, str(store.path), store.lock_timeout, method, args, kwargs
        )
    return await asyncio.to_thread(getattr(store, method), *args, **kwargs)


async def with_store(store: LeadStore, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`func(store, *args, **kwargs)` without blocking the event loop; `func` must be a
    module-level function (it is sent to the worker by name)."""
    if _uses_worker(store):
        path, timeout = str(store.path), store.lock_timeout
        return await _in_pool(_call_with_store, path, timeout, func, args, kwargs)
    return await asyncio.to_thread(func, store, *args, **kwargs)


async def run_cpu(func: Callable[..., Any], *args: Any) -> Any:
    """A CPU-heavy pure function (e.g. building an xlsx export) in the worker process."""
    return await _in_pool(func, *args)
