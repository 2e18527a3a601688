"""The matching evaluation sets in tests/data and how a result is scored against them.

Shared by tests/test_matcher*.py and bench/bench_match.py, so that the floor a test checks
and the figure the benchmark prints are the same measurement.

Sets:
- tuned: match_eval.yaml (the first set) + match_dev_extra.yaml + match_dev_round2.yaml +
  match_dev_round3.yaml: free to tune on;
- set_a: match_heldout.yaml, held-out set A, written independently; measured in rounds 1
  and 2, retired and tuned on from round 3;
- checks: match_check_round2.yaml + match_check_round3.yaml, written after a round's first
  changes and measured once before tuning on them;
- set_b: match_heldout_b.yaml, held-out set B of round 3, written independently; measured
  once at the end of round 3, retired and tuned on from round 4;
- set_c: match_heldout_c.yaml, held-out set C of round 4, written independently; measured
  once at the end of round 4, retired and tuned on from round 5;
- set_d: match_heldout_d.yaml, held-out set D of round 5, written independently; measured
  once at the end of round 5, retired and tuned on from round 6;
- set_e: match_heldout_e.yaml, held-out set E of round 6, written independently; measured
  once at the end of round 6, retired into the examples in round 7;
- holdout: match_heldout_f.yaml, held-out set F of round 7, written independently and never
  tuned on;
- FAQ: faq_dev.yaml (tuned on), faq_heldout.yaml (set A, retired), faq_heldout_b.yaml (set B,
  retired), faq_heldout_c.yaml (set C, retired), faq_heldout_d.yaml (set D, retired),
  faq_heldout_e.yaml (set E, retired), faq_heldout_f.yaml (set F, held out).

From round 6 the meaning stage learns from the retired sets' texts (content/
match_examples.yaml, tests/make_match_examples.py): a retired set is scored with its own
examples left out (need_matcher, faq_matcher), so that its figure says how the matcher does
on a writer it has not learnt from.

Scoring, per phrasing: `expect` (one need) is a top-1 hit when the first result is listed
and a top-3 hit when one of the first three is; `expect_each` (several needs) is a hit when
every group has one of its ids among the first five results (top-1 does not apply).
An off-topic input is rejected when it returns nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
MULTI_LIMIT = 5


# The retired sets whose texts the classifier learns from (content/match_examples.yaml),
# by writer: a need set and the FAQ set written with it share a source, which the
# evaluation leaves out when it measures that set (leave one set out).
EXAMPLE_SOURCES: dict[str, list[str]] = {
    "dev": ["match_eval", "match_dev_extra", "match_dev_round2", "match_dev_round3", "faq_dev"],
    "set_a": ["match_heldout", "faq_heldout"],
    "checks": ["match_check_round2", "match_check_round3"],
    "set_b": ["match_heldout_b", "faq_heldout_b"],
    "set_c": ["match_heldout_c", "faq_heldout_c"],
    "set_d": ["match_heldout_d", "faq_heldout_d"],
    "set_e": ["match_heldout_e", "faq_heldout_e"],
}


# Each retired set is measured with its own examples left out of what the classifier
# learns from; the held-out set has none to leave out.
NEED_SOURCE = {
    "tuned": "dev",
    "set_a": "set_a",
    "checks": "checks",
    "set_b": "set_b",
    "set_c": "set_c",
    "set_d": "set_d",
    "set_e": "set_e",
}
FAQ_SOURCE = {
    "faq_dev": "dev",
    "faq_heldout": "set_a",
    "faq_heldout_b": "set_b",
    "faq_heldout_c": "set_c",
    "faq_heldout_d": "set_d",
    "faq_heldout_e": "set_e",
}


@functools.cache
def _indexes(source: str | None) -> tuple[Any, Any]:
    from eligibility.content import get_content
    from eligibility.matcher import CatalogueIndex, FaqIndex, build_faq_index, build_index
    from eligibility.matching.examples import get_examples

    c = get_content()
    if source is None:
        return build_index(c.catalogue), build_faq_index(c.faq.entries)
    ex = get_examples().without({source})
    return CatalogueIndex(c.catalogue, examples=ex), FaqIndex(c.faq.entries, examples=ex)


def need_matcher(which: str) -> Callable[[str], list[str]]:
    """match_needs as it would be had set `which` never been among the examples."""
    index = _indexes(NEED_SOURCE.get(which))[0]
    return lambda text: [m.activity_id for m in index.match(text)]


def faq_matcher(which: str) -> Callable[[str], list[str]]:
    """match_faq without the examples of FAQ set `which` (a file name) or need set `which`
    (to count needs answered with an FAQ entry)."""
    index = _indexes(FAQ_SOURCE.get(which, NEED_SOURCE.get(which)))[1]
    return lambda text: [m.entry.id for m in index.match(text)]


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


def need_set(which: str) -> dict[str, list[Any]]:
    """`tuned`, `set_a`, `set_b`, `set_c`, `checks`, `holdout` (set D) or a file name."""
    names = {
        "tuned": ["match_eval", "match_dev_extra", "match_dev_round2", "match_dev_round3"],
        "set_a": ["match_heldout"],
        "set_b": ["match_heldout_b"],
        "checks": ["match_check_round2", "match_check_round3"],
        "set_c": ["match_heldout_c"],
        "set_d": ["match_heldout_d"],
        "set_e": ["match_heldout_e"],
        "holdout": ["match_heldout_f"],
    }
    out: dict[str, list[Any]] = {"phrasings": [], "offtopic": []}
    for name in names.get(which, [which]):
        data = load(name)
        out["phrasings"] += data.get("phrasings") or []
        out["offtopic"] += data.get("offtopic") or []
    return out


@dataclass
class NeedScore:
    top1: list[bool] = field(default_factory=list)  # single-need phrasings
    top3: list[bool] = field(default_factory=list)  # single-need phrasings
    multi: list[bool] = field(default_factory=list)  # several needs, each in the first 5
    rejected: list[bool] = field(default_factory=list)
    misses: list[tuple[str, list[str]]] = field(default_factory=list)
    false_hits: list[tuple[str, list[str]]] = field(default_factory=list)

    @staticmethod
    def rate(v: Sequence[bool]) -> float:
        return sum(v) / len(v) if v else 0.0

    @property
    def hit3(self) -> list[bool]:
        """top-3 over every phrasing (a several-needs phrasing counts as its multi hit)."""
        return self.top3 + self.multi

    def line(self) -> str:
        r = self.rate
        return (
            f"top-1 {r(self.top1):.3f} ({sum(self.top1)}/{len(self.top1)}), "
            f"top-3 {r(self.hit3):.3f} ({sum(self.hit3)}/{len(self.hit3)}) "
            f"[single {r(self.top3):.3f}, several needs {r(self.multi):.3f} "
            f"({sum(self.multi)}/{len(self.multi)})], "
            f"off-topic rejected {r(self.rejected):.3f} "
            f"({sum(self.rejected)}/{len(self.rejected)})"
        )


def score_needs(matcher: Callable[[str], list[str]], data: dict[str, list[Any]]) -> NeedScore:
    """matcher(text) -> activity ids, best first (at least MULTI_LIMIT of them if found)."""
    s = NeedScore()
    for case in data["phrasings"]:
        found = matcher(case["text"])
        if "expect_each" in case:
            hit = all(any(i in found[:MULTI_LIMIT] for i in g) for g in case["expect_each"])
            s.multi.append(hit)
        else:
            s.top1.append(bool(found) and found[0] in case["expect"])
            hit = any(i in found[:3] for i in case["expect"])
            s.top3.append(hit)
        if not hit:
            s.misses.append((case["text"], found[:MULTI_LIMIT]))
    for text in data["offtopic"]:
        found = matcher(text)
        s.rejected.append(not found)
        if found:
            s.false_hits.append((text, found[:3]))
    return s


@dataclass
class FaqScore:
    top1: list[bool] = field(default_factory=list)
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    def line(self) -> str:
        return f"FAQ top-1 {NeedScore.rate(self.top1):.3f} ({sum(self.top1)}/{len(self.top1)})"


def score_faq(matcher: Callable[[str], list[str]], questions: list[dict[str, Any]]) -> FaqScore:
    s = FaqScore()
    for q in questions:
        found = matcher(q["text"])
        hit = bool(found) and found[0] in q["expect"]
        s.top1.append(hit)
        if not hit:
            s.misses.append((q["text"], found[:3]))
    return s
