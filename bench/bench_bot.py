"""Bot throughput benchmark: N simulated users (default 200) walk the whole firm
questionnaire at once through the fake Telegram Bot API server (tests/support) against the real
bot, with 0 ms and 50 ms added to every Bot API call; then the same users talk to a minimal
reference bot (bench/reference_bot.py) and the ratio is printed.

Run: .venv/bin/python bench/bench_bot.py [--quick] [--users N] [--latency-ms 0,50]
Prints figures; it is not a test.

The bot runs in its own process (as in production), built by the real `build_application`
with a rate limiter that keeps the retry-on-429 behaviour but does not throttle: Telegram's
own limits (about 30 messages/s per bot) are outside what the code can improve. The fake
server and the scripted users share this process.

Experiments (environment): KUME_BENCH_PROFILE=/tmp/bot.prof writes a cProfile of each bot
process; KUME_BENCH_POOL=16 gives both bots a smaller HTTP connection pool than PTB's 256.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.harness import BotHarness  # noqa: E402
from tests.support.walks import FIRM_ANSWERS, LEAD_NUMBER_RE, sent  # noqa: E402

STAFF_CHAT = -100
START_TIMEOUT_S = 60
REPLY_TIMEOUT_S = 120
REFERENCE_ROUNDS = 6  # /start + 6 × (button, text) = 13 updates, as many as the firm walk


# --------------------------------------------------------------------------- bot processes


def serve(kind: str, base_url: str, token: str, data_dir: str) -> int:
    """Child process: run our bot or the reference bot until terminated."""
    from telegram import Update

    from tests.support.harness import fast_rate_limiter

    pool = int(os.environ.get("KUME_BENCH_POOL", "0"))
    if pool:  # experiment: a smaller HTTP connection pool than PTB's default of 256
        from telegram.ext import ApplicationBuilder

        build = ApplicationBuilder.build

        def build_with_pool(self):
            return build(self.connection_pool_size(pool))

        ApplicationBuilder.build = build_with_pool
    if kind == "reference":
        from bench.reference_bot import build_reference_application

        app = build_reference_application(token, base_url, fast_rate_limiter())
    else:
        from bot.config import Settings
        from bot.telegram.app import build_application

        env = {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_BASE_URL": base_url,
            "KUME_DATA_DIR": data_dir,
            "KUME_STAFF_CHATS": f"samsun:{STAFF_CHAT}",
            "KUME_HTTP_TIMEOUT": "30",
            # transport experiment: KUME_HTTP_CLIENT=httpx|aiohttp (only our bot)
            "KUME_HTTP_CLIENT": os.environ.get("KUME_HTTP_CLIENT", ""),
        }
        settings = Settings.from_env(env, dotenv_path=None)
        app = build_application(settings, rate_limiter=fast_rate_limiter())
    profile_to = os.environ.get("KUME_BENCH_PROFILE")
    if profile_to:  # where the bot's CPU goes: KUME_BENCH_PROFILE=/tmp/bot.prof
        import cProfile

        with cProfile.Profile() as prof:
            app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=1)
        prof.dump_stats(f"{profile_to}.{kind}")
        return 0
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=1)
    return 0


async def start_process(kind: str, server: FakeBotApi, data_dir: Path):
    before = len(server.calls_of("deleteWebhook"))
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        kind,
        server.base_url,
        server.token,
        str(data_dir),
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        },
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await server.wait_until(
            lambda: len(server.calls_of("deleteWebhook")) > before, START_TIMEOUT_S
        )
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
        raise RuntimeError(f"{kind} bot did not start:\n{err.decode()[-3000:]}") from None
    return proc


async def stop_process(proc) -> str:
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    try:
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
    return err.decode(errors="replace")


# --------------------------------------------------------------------------- user scripts


async def firm_user(user, uid: int, latencies: list[float]) -> tuple[int, int]:
    """Walks the firm path; returns (uid, lead number seen in the confirmation)."""
    values = {
        "firm": f"Deneme Firma {uid} Ltd.",
        "province": "Samsun",
        "needs": f"ortak test laboratuvarı kurmak istiyoruz, kod {uid}",
    }
    await timed(user, latencies, lambda: user.send("/start"), sent("Küme Asistanı"))
    confirmation = None
    for template, how, expected in FIRM_ANSWERS:
        answer = template.format(**values)
        act = (
            (lambda a=answer: user.press(a)) if how == "press" else (lambda a=answer: user.send(a))
        )
        confirmation = await timed(user, latencies, act, sent(regex=expected))
    return uid, int(LEAD_NUMBER_RE.search(confirmation.text).group(1))


async def reference_user(user, uid: int, latencies: list[float]) -> tuple[int, int]:
    await timed(user, latencies, lambda: user.send("/start"), sent("Merhaba"))
    for k in range(REFERENCE_ROUNDS):
        await timed(user, latencies, lambda: user.press("Soru sor"), sent("Firmanızın adı"))
        await timed(
            user, latencies, lambda k=k: user.send(f"Deneme {uid} {k}"), sent("Teşekkürler")
        )
    return uid, 0


class ChatWatch:
    """Wakes only the user whose chat got a message. The harness's own `expect` waits on one
    condition shared by all users, so with 200 users every Bot API call wakes 200 waiters:
    the harness, not the bot, would be measured."""

    def __init__(self, server: FakeBotApi) -> None:
        self.server = server
        self.signals: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        record = server._record

        def recording(msg, kind: str) -> None:
            record(msg, kind)
            self.signals[msg.chat_id].set()

        server._record = recording

    async def expect(self, user, predicate, timeout: float):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        signal = self.signals[user.chat_id]
        while True:
            signal.clear()
            for event in self.server.events.get(user.chat_id, []):
                if event.seq > user._mark and predicate(event.message, event):
                    return event.message
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"user {user.uid}: no reply within {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), left)


WATCH: ChatWatch | None = None


async def timed(user, latencies: list[float], act, predicate):
    start = time.perf_counter()
    await act()
    reply = await WATCH.expect(user, predicate, REPLY_TIMEOUT_S)
    latencies.append(time.perf_counter() - start)
    return reply


# --------------------------------------------------------------------------- one run


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


async def run_once(kind: str, users: int, latency_s: float) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="kume-bot-bench-"))
    global WATCH
    server = FakeBotApi(latency=latency_s)
    await server.start()
    WATCH = ChatWatch(server)
    proc = None
    try:
        proc = await start_process(kind, server, data_dir)
        harness = BotHarness(server, factory=lambda: None)
        script = firm_user if kind == "ours" else reference_user
        latencies: list[float] = []
        bot_cpu0, own_cpu0 = process_cpu(proc.pid), time.process_time()
        start = time.perf_counter()
        results = await asyncio.gather(
            *(script(harness.user(100_000 + i), 100_000 + i, latencies) for i in range(users)),
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - start
        bot_cpu, own_cpu = process_cpu(proc.pid) - bot_cpu0, time.process_time() - own_cpu0
        failures = [r for r in results if isinstance(r, BaseException)]
        done = [r for r in results if not isinstance(r, BaseException)]
        updates = len(latencies)
        methods: dict[str, int] = {}
        for call in server.calls:
            methods[call.method] = methods.get(call.method, 0) + 1
        api_calls = sum(n for m, n in methods.items() if m not in ("getMe", "deleteWebhook"))
        out = {
            "kind": kind,
            "users": users,
            "latency_ms": latency_s * 1000,
            "elapsed_s": elapsed,
            "updates": updates,
            "updates_per_s": updates / elapsed,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "p95_ms": pct(latencies, 95) * 1000 if latencies else float("nan"),
            "max_ms": max(latencies) * 1000 if latencies else float("nan"),
            "failed_users": len(failures),
            "bot_cpu_s": bot_cpu,
            "api_calls_per_update": api_calls / max(1, updates),
            "api_calls": methods,
            "harness_cpu_s": own_cpu,
            "failure_sample": repr(failures[0])[:300] if failures else "",
        }
        if kind == "ours":
            out["crossed_or_lost"] = check_leads(data_dir, done, users)
        return out
    finally:
        if proc is not None:
            err = await stop_process(proc)
            if "Traceback" in err:
                print(f"   ({kind} bot logged a traceback; last lines:)\n{err[-1500:]}")
        await server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def check_leads(data_dir: Path, done: list[tuple[int, int]], users: int) -> list[str]:
    """Every user has exactly one lead, holding that user's own answers, under the number
    that user was told."""
    from bot.leads.backend import open_store

    problems = []
    leads = open_store(data_dir).list()
    by_id = {lead["id"]: lead for lead in leads}
    if len(leads) != users:
        problems.append(f"{len(leads)} leads for {users} users")
    for uid, lead_id in done:
        lead = by_id.get(lead_id)
        if lead is None:
            problems.append(f"user {uid}: lead #{lead_id} missing")
            continue
        if (
            lead["user_key"] != f"tg:{uid}"
            or lead["firm"] != f"Deneme Firma {uid} Ltd."
            or f"kod {uid}" not in lead["needs_text"]
        ):
            problems.append(f"user {uid}: lead #{lead_id} holds someone else's answers")
    return problems


# --------------------------------------------------------------------------- main


def report(r: dict) -> None:
    print(
        f"  {r['kind']:<9} {r['latency_ms']:>4.0f} ms/call | users {r['users']:>4} "
        f"| updates {r['updates']:>5} in {r['elapsed_s']:>6.1f} s = {r['updates_per_s']:>6.1f}/s "
        f"| reply p50 {r['p50_ms']:>6.0f} ms, p95 {r['p95_ms']:>6.0f} ms, max {r['max_ms']:>6.0f}"
        f" ms | failed users {r['failed_users']} | CPU s: bot {r['bot_cpu_s']:.1f}, "
        f"users+server {r['harness_cpu_s']:.1f} | Bot API calls per update "
        f"{r['api_calls_per_update']:.2f}",
        flush=True,
    )
    if r["failure_sample"]:
        print(f"    first failure: {r['failure_sample']}")
    if r.get("crossed_or_lost"):
        print(f"    crossed or lost: {len(r['crossed_or_lost'])}: {r['crossed_or_lost'][:3]}")


async def bench(args: argparse.Namespace) -> int:
    latencies = [float(x) / 1000 for x in args.latency_ms.split(",")]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.users} users at once, firm walk = 13 updates per user (reference: 13 too); "
        f"load average at start: {load}"
    )
    results = {}
    for latency in latencies:
        for kind in ("ours", "reference"):
            results[(kind, latency)] = r = await run_once(kind, args.users, latency)
            report(r)
    ok = True
    print()
    for latency in latencies:
        ours, ref = results[("ours", latency)], results[("reference", latency)]
        ratio = ours["updates_per_s"] / ref["updates_per_s"]
        print(f"  our/reference throughput at {latency * 1000:.0f} ms: {ratio:.2f}")
        if latency == 0:
            verdict = ratio >= 0.8
            print(f"    target ≥ 0.80 of the reference: {'met' if verdict else 'NOT met'}")
            ok &= verdict
        if latency >= 0.05:
            checks = {
                "≥ 100 updates/s": ours["updates_per_s"] >= 100,
                "p95 < 3 s": ours["p95_ms"] < 3000,
                "no answers crossed or lost": not ours.get("crossed_or_lost")
                and not ours["failed_users"],
            }
            for name, met in checks.items():
                print(f"    target {name}: {'met' if met else 'NOT met'}")
                ok &= met
    if args.json:
        print(json.dumps([{**r, "latency_ms": r["latency_ms"]} for r in results.values()]))
    return 0 if ok or not args.strict else 1


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        return serve(*sys.argv[2:6])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 users instead of 200")
    parser.add_argument("--users", type=int, help="simulated users (default 200)")
    parser.add_argument("--latency-ms", default="0,50", help="added per Bot API call")
    parser.add_argument("--json", action="store_true", help="also print the raw figures")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args, _unknown = parser.parse_known_args()  # bench/run passes its arguments to every bench
    args.users = args.users or (50 if args.quick else 200)
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
