"""Write content/match_examples.yaml from the retired evaluation sets in tests/data.

The meaning stage's classifier (eligibility/matching/classifier.py) learns from how firm
owners wrote needs, questions and off-topic messages in the sets that were measured once
and then retired; the held-out set is never copied. Run after retiring a set:

    .venv/bin/python tests/make_match_examples.py

tests/test_match_examples.py checks that the content file is what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_sets as E

OUT = Path(__file__).resolve().parents[1] / "content" / "match_examples.yaml"

HEADER = """\
# Examples the meaning stage's classifier learns from (eligibility/matching/classifier.py):
# how firm owners, chamber and university staff wrote a need, a question or an off-topic
# message in the evaluation sets that were measured once and then retired (tests/data).
# Written by tests/make_match_examples.py; do not edit by hand (tests/test_match_examples.py
# checks it). Never shown to users. `source` names the set, so that a set's own examples can
# be left out when the matcher is measured on it (leave one set out).
# needs: one need per text (several needs in one message are left out); ids: every
# activity the set accepts for it. faq: a question in other words; ids: the FAQ entry.
"""


def build() -> dict[str, Any]:
    needs: list[dict[str, Any]] = []
    offtopic: list[dict[str, Any]] = []
    faq: list[dict[str, Any]] = []
    seen: set[str] = set()
    for source, files in E.EXAMPLE_SOURCES.items():
        for name in files:
            data = E.load(name)
            for case in data.get("phrasings") or []:
                if "expect" in case and case["text"] not in seen:
                    seen.add(case["text"])
                    needs.append({"text": case["text"], "ids": case["expect"], "source": source})
            for text in data.get("offtopic") or []:
                if text not in seen:
                    seen.add(text)
                    offtopic.append({"text": text, "source": source})
            for q in data.get("questions") or []:
                if q["text"] not in seen:
                    seen.add(q["text"])
                    faq.append({"text": q["text"], "ids": q["expect"], "source": source})
    return {"needs": needs, "offtopic": offtopic, "faq": faq}


def _line(item: dict[str, Any]) -> str:
    # one example a line, JSON scalars (valid YAML): easy to read and to diff
    fields = [f"text: {json.dumps(item['text'], ensure_ascii=False)}"]
    if "ids" in item:
        fields.append(f"ids: [{', '.join(item['ids'])}]")
    fields.append(f"source: {item['source']}")
    return "  - {" + ", ".join(fields) + "}"


def render() -> str:
    lines = [HEADER.rstrip("\n")]
    for kind, items in build().items():
        lines.append(f"{kind}:")
        lines += [_line(i) for i in items]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(OUT.parents[1])}")
