"""Bot throughput on PostgreSQL: one `kume bot --webhook` process, then two behind a round-robin
webhook proxy (bench/webhook_proxy.py), on one PostgreSQL; N users (default 500) walk the firm
questionnaire at once with 50 ms added to every Bot API call (the fake Bot API of tests/support).

Run: .venv/bin/python bench/bench_pg_bot.py [--quick] [--users N] [--latency-ms 50]
Prints updates/s, reply p50/p95, each process's CPU seconds (bots, proxy, PostgreSQL, the
harness), and whether any user's answers crossed or were lost. Not a test.

Telegram's side is played by the harness: the fake Bot API, the users, and webhook delivery
(tests/support/webhook_feed.py) to the proxy. The bots are the real application
(build_application, KUME_DATABASE_URL) behind our webhook (bot/telegram/webhook.py), with
a rate limiter that keeps the retry-on-429 behaviour but does not throttle, as in
bench/bench_bot.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_bot  # noqa: E402
from bench.bench_bot import ChatWatch, firm_user, pct, process_cpu  # noqa: E402
from bench.nginx_balancer import NginxBalancer, nginx_binary  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.harness import BotHarness  # noqa: E402
from tests.support.pgcluster import PgCluster, free_port, migrate  # noqa: E402
from tests.support.walks import FIRM_ANSWERS  # noqa: E402
from tests.support.webhook_feed import WebhookFeed, wait_listening, webhook_env  # noqa: E402

# The load balancer: Debian's nginx when installed (scripts/bench-deps), as an operator would
# run; else the small aiohttp proxy of bench/webhook_proxy.py. `--balancer` chooses.
BALANCER = "nginx" if nginx_binary() else "python"


def serve() -> int:
    """Child: the bot behind our webhook with a non-throttling rate limiter."""
    import logging

    from bot.config import Settings
    from bot.telegram.app import build_application
    from bot.telegram.webhook import run_shared_webhook
    from tests.support.harness import fast_rate_limiter

    logging.basicConfig(level=logging.WARNING)
    settings = Settings.from_env(dotenv_path=None)
    app = build_application(settings, rate_limiter=fast_rate_limiter())
    profile = os.environ.get("KUME_BENCH_PROFILE")  # experiment: a cProfile of each bot
    if not profile:
        run_shared_webhook(app, settings)
        return 0
    import cProfile

    profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
    profiler.runcall(run_shared_webhook, app, settings)
    profiler.dump_stats(f"{profile}.{os.getpid()}")
    return 0


async def start_bot(server: FakeBotApi, url: str, port: int, work: Path):
    data_dir = work / f"bot-{port}"
    data_dir.mkdir()
    log = (work / f"bot-{port}.log").open("ab")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve",
        env={
            **webhook_env(server, data_dir, url, port),
            "KUME_HTTP_POOL_SIZE": "64",
            # 92 updates in flight per process (the throw-away cluster allows 300 connections)
            "KUME_DATABASE_POOL": os.environ.get("KUME_DATABASE_POOL", "100"),
            "KUME_BENCH_PROFILE": os.environ.get("KUME_BENCH_PROFILE", ""),
        },
        cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    proc.log_path = str(work / f"bot-{port}.log")  # type: ignore[attr-defined]
    await wait_listening(port, proc, 90)
    return proc


def postgres_cpu(cluster: PgCluster) -> float:
    """CPU seconds of the server and all its backends so far."""
    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    total = process_cpu(pid)
    for child in out.split():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += process_cpu(int(child))
    return total


async def run_once(cluster: PgCluster, processes: int, users: int, latency_s: float) -> dict:
    db = f"bot{processes}"
    cluster.execute(f"CREATE DATABASE {db}")
    url = cluster.url(db)
    migrate(url)
    work = Path(tempfile.mkdtemp(prefix="kume-pg-bot-bench-"))
    server = FakeBotApi(latency=latency_s)
    await server.start()
    bench_bot.WATCH = ChatWatch(server)
    ports = [free_port() for _ in range(processes)]
    bots = [await start_bot(server, url, port, work) for port in ports]
    proxy_port = free_port()
    hooks = [f"http://127.0.0.1:{p}/hook" for p in ports]
    balancer = proxy = None
    if BALANCER == "nginx":
        balancer = NginxBalancer(proxy_port, hooks)
    else:
        proxy = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "webhook_proxy.py"), str(proxy_port), *hooks,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert proxy.stdout is not None
        await proxy.stdout.readline()

    def proxy_cpu_now() -> float:
        pids = balancer.pids() if balancer is not None else [proxy.pid]  # type: ignore[union-attr]
        return sum(process_cpu(p) for p in pids)

    try:
        feed = WebhookFeed(server, [f"http://127.0.0.1:{proxy_port}/hook"], deadline=300)
        async with feed:
            harness = BotHarness(server, factory=lambda: None)
            latencies: list[float] = []
            cpu0 = [process_cpu(b.pid) for b in bots]
            proxy0, pg0, own0 = proxy_cpu_now(), postgres_cpu(cluster), time.process_time()
            start = time.perf_counter()
            results = await asyncio.gather(
                *(firm_user(harness.user(200_000 + i), 200_000 + i, latencies)
                  for i in range(users)),
                return_exceptions=True,
            )  # fmt: skip
            elapsed = time.perf_counter() - start
            cpu = [process_cpu(b.pid) - c for b, c in zip(bots, cpu0, strict=True)]
            proxy_cpu, pg_cpu = proxy_cpu_now() - proxy0, postgres_cpu(cluster) - pg0
            own_cpu = time.process_time() - own0
    finally:
        children = [*bots, *([proxy] if proxy is not None else [])]
        for p in children:
            with contextlib.suppress(ProcessLookupError):
                p.terminate()
        for p in children:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(p.wait(), 30)
        if balancer is not None:
            balancer.stop()
        await server.stop()
        shutil.rmtree(work, ignore_errors=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    done = [r for r in results if not isinstance(r, BaseException)]
    return {
        "processes": processes,
        "updates_per_s": len(latencies) / elapsed,
        "updates": len(latencies),
        "elapsed": elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": pct(latencies, 95) * 1000 if latencies else float("nan"),
        "failed": len(failures),
        "failure": repr(failures[0])[:200] if failures else "",
        "bot_cpu": cpu,
        "proxy_cpu": proxy_cpu,
        "pg_cpu": pg_cpu,
        "harness_cpu": own_cpu,
        "problems": check(url, done, users),
        # deliveries answered 503 (an earlier update of the user first, or the database
        # unreachable) or failed, and sent again: each is a second trip through a bot
        "redelivered": feed.redelivered,
    }


def check(url: str, done: list[tuple[int, int]], users: int) -> list[str]:
    """Every user exactly one lead, with that user's own answers, under the number shown."""
    from bot.leads.pg_store import PostgresLeadStore

    store = PostgresLeadStore(url)
    try:
        by_id = {lead["id"]: lead for lead in store.list()}
    finally:
        store.close()
    problems = [] if len(by_id) == users else [f"{len(by_id)} leads for {users} users"]
    for uid, lead_id in done:
        lead = by_id.get(lead_id)
        if (
            lead is None
            or lead["user_key"] != f"tg:{uid}"
            or f"kod {uid}" not in (lead["needs_text"])
        ):
            problems.append(f"user {uid}: lead #{lead_id} missing or someone else's")
    return problems


def report(r: dict) -> None:
    bots = ", ".join(f"{c:.1f}" for c in r["bot_cpu"])
    print(
        f"  {r['processes']} process(es) | {r['updates']} updates in {r['elapsed']:.1f} s = "
        f"{r['updates_per_s']:.1f}/s | reply p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms | "
        f"failed users {r['failed']} | crossed or lost {len(r['problems'])} | CPU s: bots "
        f"{bots}; proxy {r['proxy_cpu']:.1f}; PostgreSQL {r['pg_cpu']:.1f}; users + fake "
        f"Telegram {r['harness_cpu']:.1f} | updates delivered again {r['redelivered']}",
        flush=True,
    )
    if r["failure"]:
        print(f"    first failure: {r['failure']}")
    if r["problems"]:
        print(f"    {r['problems'][:3]}")


async def bench(args: argparse.Namespace) -> int:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.users} users at once, {len(FIRM_ANSWERS) + 1} updates each, "
        f"{args.latency_ms} ms per Bot API call, KUME_DATABASE_POOL "
        f"{os.environ.get('KUME_DATABASE_POOL', '100')}, balancer {BALANCER}, "
        f"{os.cpu_count()} cores shared with other work, load average at start {load}"
    )
    cluster = PgCluster(fsync=os.environ.get("KUME_BENCH_FSYNC", "1") == "1").start()
    try:
        one = await run_once(cluster, 1, args.users, args.latency_ms / 1000)
        report(one)
        two = await run_once(cluster, 2, args.users, args.latency_ms / 1000)
        report(two)
    finally:
        cluster.destroy()
    ratio = two["updates_per_s"] / one["updates_per_s"]
    met = ratio >= 1.6 and not (
        one["problems"] or two["problems"] or one["failed"] or two["failed"]
    )
    print(
        f"  two/one: {ratio:.2f} "
        f"(target ≥ 1.6 with 0 crossed or lost: {'met' if met else 'NOT met'})"
    )
    # Read per core: what one bot process does with a core, and the most two processes can do
    # on this machine, where the harness (Telegram and the users), nginx and PostgreSQL share
    # the same cores: all cores divided by the CPU every update costs all processes together.
    for r in (one, two):
        r["per_bot_core"] = r["updates"] / sum(r["bot_cpu"])
        everything = sum(r["bot_cpu"]) + r["proxy_cpu"] + r["pg_cpu"] + r["harness_cpu"]
        r["machine_max"] = (os.cpu_count() or 1) * r["updates"] / everything
    print(
        f"  per core: {one['per_bot_core']:.0f} updates per bot CPU second with one process, "
        f"{two['per_bot_core']:.0f} with two; this machine's ceiling for two processes: "
        f"{two['machine_max']:.0f} updates/s ({os.cpu_count()} cores ÷ the CPU of bots, "
        f"balancer, PostgreSQL and harness per update) = "
        f"{two['machine_max'] / one['updates_per_s']:.2f} × one process"
    )
    return 0


def main() -> int:
    global BALANCER
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        return serve()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 users instead of 500")
    parser.add_argument("--users", type=int)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument(
        "--balancer", choices=("nginx", "python"), default=BALANCER,
        help="nginx (default when installed) or the aiohttp proxy of bench/webhook_proxy.py",
    )  # fmt: skip
    args, _unknown = parser.parse_known_args()
    BALANCER = args.balancer
    args.users = args.users or (100 if args.quick else 500)
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
