"""Accuracy, latency, start-up and memory of need and FAQ matching (eligibility.matcher),
beside a naive baseline (rapidfuzz WRatio of the raw input against raw titles/questions)
and the keyword stage alone, in the same run.

Sets (tests/eval_sets.py): tuned = the dev files (tuned on); set A = match_heldout.yaml
(held out in rounds 1 and 2, retired and tuned on from round 3); set B =
match_heldout_b.yaml (held out in round 3, retired and tuned on from round 4); set C =
match_heldout_c.yaml (held out in round 4, retired and tuned on from round 5); set D =
match_heldout_d.yaml (held out in round 5, retired and tuned on from round 6); set E =
match_heldout_e.yaml (held out in round 6, retired into the examples in round 7); checks =
the check sets of rounds 2 and 3 (measured once each before tuning on them); held out = set
F, match_heldout_f.yaml (written independently, never tuned on); FAQ dev / set A–F. From
round 6 the classifier learns from the retired sets' texts: each retired set is scored with
its own examples left out (tests/eval_sets.py, need_matcher).

Run: .venv/bin/python bench/bench_match.py [--repeat N] [-v] [--dev-only] [--latency-only]
Prints figures; it is not a test. --dev-only leaves the held-out files out entirely
(set F: not scored, not timed): use it while tuning, so that the held-out figures are measured only
when a round of work ends. --latency-only skips the accuracy part (deterministic: one run
gives it) to repeat the timings on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import eval_sets as E  # noqa: E402

from eligibility.content import get_content  # noqa: E402
from eligibility.matcher import NEED_PARAMS, build_faq_index, build_index, message_words  # noqa: E402
from eligibility.matching.fusion import Ranker  # noqa: E402
from eligibility.matching.lexicon import get_lexicon  # noqa: E402

BASELINE_CUTOFF = 70  # WRatio below this counts as "no match" for the baseline

STARTUP = """
import json, time
t0 = time.perf_counter()
from eligibility.content import get_content
from eligibility.matcher import build_faq_index, build_index, match_faq, match_needs
c = get_content()
build_index(c.catalogue)
build_faq_index(c.faq.entries)
match_faq("eleman bulamıyoruz"); match_needs("eleman bulamıyoruz")
took = time.perf_counter() - t0
status = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
print(json.dumps({"s": took, "rss_kb": int(status["VmRSS"].split()[0]),
                  "hwm_kb": int(status["VmHWM"].split()[0])}))
"""


def startup(cache_dir: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if cache_dir:
        env["KUME_CACHE_DIR"] = cache_dir
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    res: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    res["process_s"] = time.perf_counter() - t0
    return res


def latency(
    fn: Callable[[str], object],
    texts: list[str],
    repeat: int,
    before: Callable[[], None] | None = None,
) -> tuple[float, float, float, float]:
    """Wall-clock p50, p99, max and the p99 of the thread's own CPU time, in ms. On a
    machine shared with other work the wall clock also counts the waits for a core; the
    CPU time is what a query costs this process."""
    for t in texts:
        fn(t)
    lat, cpu = [], []
    for _ in range(repeat):
        for t in texts:
            if before:
                before()
            t1, c1 = time.perf_counter(), time.thread_time()
            fn(t)
            lat.append(time.perf_counter() - t1)
            cpu.append(time.thread_time() - c1)
    lat.sort()
    cpu.sort()
    p99 = int(0.99 * len(lat))
    return (1e3 * statistics.median(lat), 1e3 * lat[p99], 1e3 * lat[-1], 1e3 * cpu[p99])


def engine_cost(encoder: Any, repeat: int = 30) -> str:
    """The meaning stage's engine and its embedding CPU time: a line fitted to the median
    cost of one text of 8, 16, 26 and 40 model tokens."""
    words = "firmamız için nitelikli eleman bulmakta zorlanıyoruz ihracat yapmak".split()
    sizes, costs = [], []
    for target in (8, 16, 26, 40):
        text = words[0]
        while encoder.token_count(text) < target:
            text += " " + words[len(text.split()) % len(words)]
        encoder.encode([text])
        runs = []
        for _ in range(repeat):
            c1 = time.thread_time()
            encoder.encode([text])
            runs.append(time.thread_time() - c1)
        sizes.append(encoder.token_count(text))
        costs.append(1e3 * statistics.median(runs))
    per_token, fixed = statistics.linear_regression(sizes, costs)
    each = ", ".join(f"{n} tokens {c:.2f} ms" for n, c in zip(sizes, costs, strict=True))
    return (
        f"engine {encoder.engine}: embedding CPU time {fixed:.2f} ms + {per_token:.3f} ms per "
        f"model token ({each})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2, help="latency passes over the inputs")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses (tuned, held out)")
    ap.add_argument("--quick", action="store_true", help="one latency pass")
    ap.add_argument("--dev-only", action="store_true", help="never read the held-out files")
    ap.add_argument("--latency-only", action="store_true", help="timings only, no scoring")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat

    print(
        f"== load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared "
        "machines inflate latency)"
    )
    with tempfile.TemporaryDirectory() as cold:
        c0 = startup(cold)  # empty seed-vector cache: every seed is embedded
    w = startup(None)
    print(
        f"start-up, import + content + both indexes + first match: {w['s']:.2f} s "
        f"(whole process {w['process_s']:.2f} s); with an empty seed cache {c0['s']:.2f} s"
    )
    print(
        f"resident memory with the model loaded: {w['rss_kb'] / 1024:.0f} MB "
        f"(peak {w['hwm_kb'] / 1024:.0f} MB)"
    )

    content = get_content()
    cat = build_index(content.catalogue)
    faq = build_faq_index(content.faq.entries)
    lex = get_lexicon()
    kw_only = Ranker(cat.index, None, lex.connectors, message_words(lex), NEED_PARAMS)
    kw_faq = Ranker(faq.index, None, (), message_words(lex), NEED_PARAMS)
    acts = cat.activities
    titles = [a.title for a in acts]
    questions = [e.question for e in faq.entries]

    def fused(t: str) -> list[str]:
        return [m.activity_id for m in cat.match(t)]

    def keywords(t: str) -> list[str]:
        return [acts[r.key].id for r in kw_only.rank(t, 5)]

    def baseline(t: str) -> list[str]:
        found = process.extract(
            t, titles, scorer=fuzz.WRatio, limit=5, score_cutoff=BASELINE_CUTOFF
        )
        return [acts[i].id for _, _, i in found]

    def faq_fused(t: str) -> list[str]:
        return [m.entry.id for m in faq.match(t)]

    def faq_keywords(t: str) -> list[str]:
        return [faq.entries[r.key].id for r in kw_faq.rank(t, 3)]

    def faq_baseline(t: str) -> list[str]:
        found = process.extract(
            t, questions, scorer=fuzz.WRatio, limit=3, score_cutoff=BASELINE_CUTOFF
        )
        return [faq.entries[i].id for _, _, i in found]

    # bench name -> eval_sets name; a retired set is scored with its own examples left out
    # of what the classifier learns from (E.need_matcher), the held-out set as shipped
    set_keys = {"tuned": "tuned", "set A": "set_a", "set B": "set_b", "set C": "set_c"}
    set_keys |= {"set D": "set_d", "set E": "set_e", "checks": "checks"}
    faq_keys = {"dev": "faq_dev", "set A": "faq_heldout", "set B": "faq_heldout_b"}
    faq_keys |= {"set C": "faq_heldout_c", "set D": "faq_heldout_d", "set E": "faq_heldout_e"}
    held_out = not args.dev_only and (E.DATA / "match_heldout_f.yaml").exists()
    if held_out:
        set_keys["held out"] = "holdout"  # set F
        faq_keys["held out"] = "faq_heldout_f"
    sets = {name: E.need_set(key) for name, key in set_keys.items()}
    faq_sets = {name: E.load(key)["questions"] for name, key in faq_keys.items()}
    rankers = [
        ("match_needs / match_faq (keywords + meaning)", fused, faq_fused),
        ("keyword stage alone (with lexicon)", keywords, faq_keywords),
        (
            f"naive baseline: WRatio(raw input, raw titles) >= {BASELINE_CUTOFF}",
            baseline,
            faq_baseline,
        ),
    ]
    print()
    for name, need_fn, faq_fn in [] if args.latency_only else rankers:
        print(f"[{name}]")
        for sname, data in sets.items():
            fn = E.need_matcher(set_keys[sname]) if need_fn is fused else need_fn
            s = E.score_needs(fn, data)
            print(f"  needs, {sname:8}: {s.line()}")
            if args.verbose and sname in ("set E", "held out") and need_fn is fused:
                for text, ids in s.misses:
                    print(f"      miss: {text!r} -> {ids}")
                for text, ids in s.false_hits:
                    print(f"      false hit: {text!r} -> {ids}")
        for sname, qs in faq_sets.items():
            ffn = E.faq_matcher(faq_keys[sname]) if faq_fn is faq_fused else faq_fn
            fs = E.score_faq(ffn, qs)
            print(f"  FAQ,   {sname:8}: {fs.line()}")
            if args.verbose and sname in ("set E", "held out") and faq_fn is faq_fused:
                for text, ids in fs.misses:
                    print(f"      miss: {text!r} -> {ids}")
        for sname, data in sets.items():
            ffn = E.faq_matcher(set_keys[sname]) if faq_fn is faq_fused else faq_fn
            needs = [c["text"] for c in data["phrasings"]]
            taken = sum(bool(ffn(t)) for t in needs)
            off = sum(bool(ffn(t)) for t in data["offtopic"])
            print(
                f"  answered with an FAQ entry, {sname:8}: need phrasings {taken}/{len(needs)}"
                f", off-topic {off}/{len(data['offtopic'])}"
            )

    texts = [c["text"] for d in sets.values() for c in d["phrasings"]]
    texts += [t for d in sets.values() for t in d["offtopic"]]
    encoder = cat.ranker.seeds.encoder if cat.ranker.seeds else None
    clear = encoder.clear_cache if encoder else None
    if encoder:
        print("\n" + engine_cost(encoder))
    print(f"\nlatency, warm (model loaded), {len(texts)} inputs x {repeat}:")
    for label, fn, before in [
        ("match_needs, every input new to the model", lambda t: cat.match(t), clear),
        (
            "match_faq + match_needs (the bot's free text), new",
            lambda t: (faq.match(t), cat.match(t)),
            clear,
        ),
        ("match_needs, input seen before (embedding LRU)", lambda t: cat.match(t), None),
        ("keyword stage alone", lambda t: kw_only.rank(t, 5), None),
        ("naive baseline", baseline, None),
    ]:
        p50, p99, worst, cpu99 = latency(fn, texts, repeat, before)
        print(
            f"  {label:52}: p50 {p50:6.2f} ms, p99 {p99:6.2f} ms, max {worst:6.1f} ms "
            f"(CPU time p99 {cpu99:6.2f} ms)"
        )
    print(f"  load average after the latency runs: {os.getloadavg()[0]:.2f}")
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    print(
        f"resident memory of this process after every query above: "
        f"{int(status['VmRSS'].split()[0]) / 1024:.0f} MB "
        f"(peak {int(status['VmHWM'].split()[0]) / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
