"""Speed and accuracy of eligibility.matcher.match_needs on tests/data/match_eval.yaml,
next to a naive baseline (rapidfuzz WRatio of the raw input against raw titles).

Run: .venv/bin/python bench/bench_match.py [--repeat N]
Prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eligibility.matcher import build_index, match_needs  # noqa: E402
from eligibility.models import Catalogue  # noqa: E402

EVAL = ROOT / "tests" / "data" / "match_eval.yaml"
BASELINE_CUTOFF = 70  # WRatio below this counts as "no match" for the baseline


def load_catalogue() -> Catalogue:
    with (ROOT / "content" / "catalogue.yaml").open(encoding="utf-8") as fh:
        return Catalogue.model_validate(yaml.safe_load(fh))


def is_hit(case: dict, ids: list[str]) -> bool:
    """`expect`: one of them in the top 3; `expect_each`: every group among the results."""
    if "expect_each" in case:
        return all(any(i in ids for i in group) for group in case["expect_each"])
    return any(i in ids[:3] for i in case["expect"])


def evaluate(matcher, data: dict) -> dict:
    """matcher(text) -> list of activity ids, best first."""
    groups: dict[str, list[bool]] = {"all": [], "tuned": [], "holdout": []}
    misses = []
    for case in data["phrasings"]:
        ids = matcher(case["text"])
        hit = is_hit(case, ids)
        groups["all"].append(hit)
        groups["holdout" if case.get("holdout") else "tuned"].append(hit)
        if not hit:
            misses.append((case["text"], ids[:5]))
    rejected = [not matcher(t) for t in data["offtopic"]]
    false_hits = [(t, matcher(t)[:3]) for t in data["offtopic"] if matcher(t)]
    return {
        "accuracy": {k: (sum(v), len(v)) for k, v in groups.items()},
        "rejection": (sum(rejected), len(rejected)),
        "misses": misses,
        "false_hits": false_hits,
    }


def pct(pair: tuple[int, int]) -> str:
    hit, n = pair
    return f"{100.0 * hit / n:5.1f} % ({hit}/{n})"


def report(name: str, res: dict, verbose: bool) -> None:
    acc = res["accuracy"]
    print(f"[{name}]")
    print(f"  top-3 accuracy, all      : {pct(acc['all'])}")
    print(f"  top-3 accuracy, tuned    : {pct(acc['tuned'])}")
    print(f"  top-3 accuracy, held out : {pct(acc['holdout'])}")
    print(f"  off-topic rejected       : {pct(res['rejection'])}")
    if verbose:
        for text, ids in res["misses"]:
            print(f"    miss: {text!r} -> {ids}")
        for text, ids in res["false_hits"]:
            print(f"    false hit: {text!r} -> {ids}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses")
    args = ap.parse_args()

    catalogue = load_catalogue()
    data = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    texts = [c["text"] for c in data["phrasings"]] + list(data["offtopic"])

    t0 = time.perf_counter()
    build_index(catalogue)
    print(f"index build: {1000 * (time.perf_counter() - t0):.1f} ms")

    # Latency over the evaluation inputs, repeated, after one pass to warm the token cache
    # (a running bot sees mostly the same words again).
    for t in texts:
        match_needs(t, content=catalogue)
    lat = []
    start = time.perf_counter()
    for _ in range(args.repeat):
        for t in texts:
            t1 = time.perf_counter()
            match_needs(t, content=catalogue)
            lat.append(time.perf_counter() - t1)
    total = time.perf_counter() - start
    lat.sort()
    print(
        f"match_needs, warm: {len(lat)} queries, {len(lat) / total:,.0f} queries/s, "
        f"p50 {1e6 * statistics.median(lat):.0f} µs, p99 {1e6 * lat[int(0.99 * len(lat))]:.0f} µs"
    )
    # Worst case: every query token unseen (token cache cleared before each query).
    cold = []
    vocab_cache = build_index(catalogue).index._vocab_hits
    for t in texts:
        vocab_cache.cache_clear()
        t1 = time.perf_counter()
        match_needs(t, content=catalogue)
        cold.append(time.perf_counter() - t1)
    cold.sort()
    p99 = cold[int(0.99 * len(cold))]
    print(
        f"match_needs, cold token cache: {len(cold) / sum(cold):,.0f} queries/s, "
        f"p50 {1e6 * statistics.median(cold):.0f} µs, p99 {1e6 * p99:.0f} µs"
    )
    long_text = ("kümelenme " * 50 + "ihracat eleman 🙂 \u200b") * 40
    vocab_cache.cache_clear()
    t1 = time.perf_counter()
    match_needs(long_text, content=catalogue)
    print(f"10 000+ character input, cold: {1e3 * (time.perf_counter() - t1):.2f} ms")

    ours = evaluate(lambda t: [m.activity_id for m in match_needs(t, content=catalogue)], data)
    report("match_needs", ours, args.verbose)

    titles = [a.title for a in catalogue.activities]
    ids = [a.id for a in catalogue.activities]

    def baseline(text: str) -> list[str]:
        found = process.extract(
            text, titles, scorer=fuzz.WRatio, limit=3, score_cutoff=BASELINE_CUTOFF
        )
        return [ids[i] for _, _, i in found]

    t1 = time.perf_counter()
    for t in texts:
        baseline(t)
    rate = len(texts) / (time.perf_counter() - t1)
    base = evaluate(baseline, data)
    report(f"baseline WRatio(raw input, raw titles) >= {BASELINE_CUTOFF}, {rate:,.0f} q/s", base,
           False)


if __name__ == "__main__":
    main()
