"""A small round-robin load balancer for bot webhooks (aiohttp), for bench/bench_pg_bot.py.

Usage: python bench/webhook_proxy.py PORT BACKEND_URL [BACKEND_URL ...]
Each POST to any path goes to the next backend in turn with its body and the secret header;
the backend's status is passed back (a failed backend: 502, and Telegram delivers again).
Prints "ready" once listening.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys

import aiohttp
from aiohttp import web

HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def main(port: int, backends: list[str]) -> None:
    turn = itertools.cycle(backends)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=60)
    )

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {"Content-Type": "application/json"}
        if HEADER in request.headers:
            headers[HEADER] = request.headers[HEADER]
        try:
            async with session.post(next(turn), data=body, headers=headers) as response:
                return web.Response(status=response.status)
        except (aiohttp.ClientError, TimeoutError):
            return web.Response(status=502)

    app = web.Application()
    app.router.add_post("/{tail:.*}", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await session.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
