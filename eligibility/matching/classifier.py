"""Meaning stage, round 6: a linear classifier over sentence embeddings.

Each entry (an activity, or an FAQ entry) is a class, learnt from its seed sentences (title,
lexicon paraphrases) and from labelled examples (content/match_examples.yaml: how firm
owners wrote it in retired evaluation sets); the off-topic examples are a class of their own,
and for the FAQ the needs are one more ("others": a need is no question). Measured against
the nearest seed, on sets left out (each set's own examples removed): the nearest seed with
every example as a seed gives set D top-1 0.864 / top-3 0.955 on the model alone, this
classifier 0.926 / 0.972; in the whole matcher see the README ("Need matching", round 6).

Softmax regression, trained in numpy with Adam from zeros (deterministic, a few seconds);
the weights are kept in the cache directory keyed by everything they are learnt from, so a
start after the first is as fast as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from eligibility.matching.semantic import Encoder, Vectors, cache_root, embed_seeds
from eligibility.text import normalize

logger = logging.getLogger(__name__)

Labelled = tuple[str, Sequence[tuple[int, float]]]  # text, (entry key, weight) pairs


@dataclass(frozen=True)
class TrainParams:
    temperature: float = 10.0  # logits = temperature * cosine-like score + bias
    l2: float = 1e-3
    steps: int = 400
    rate: float = 0.025


def train_softmax(
    x: NDArray[np.float32], targets: NDArray[np.float32], p: TrainParams
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Weights (D, C) and biases (C,) of a softmax regression on soft targets (N, C)."""
    n, d = x.shape
    c = targets.shape[1]
    w = np.zeros((d, c), np.float32)
    b = np.zeros(c, np.float32)
    state = [np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)]
    for step in range(1, p.steps + 1):
        z = p.temperature * (x @ w) + b
        prob = _softmax(z)
        g = (prob - targets) / n
        grads = (p.temperature * (x.T @ g) + p.l2 * w, g.sum(axis=0))
        for param, grad, m, v in ((w, grads[0], state[0], state[1]), (b, grads[1], *state[2:])):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            m_hat = m / (1 - 0.9**step)
            v_hat = v / (1 - 0.999**step)
            param -= (p.rate * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(np.float32)
    return w, b


def _softmax(z: NDArray[np.float32]) -> NDArray[np.float32]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: NDArray[np.float32] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


_LETTERS = "abcçdefgğhıijklmnoöprsştuüvyzqwx"


def noise_texts(n: int = 60, seed: int = 2026) -> list[str]:
    """Letters at random, as words of 2 to 9 letters, 3 to 30 words a text: keyboard mash
    and pasted garbage are off-topic too, but no example set has them, and the classifier
    otherwise spreads such a text over the entries (fixed seed: the same texts every time)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [
            "".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 9)))
            for _ in range(rng.randint(3, 30))
        ]
        out.append(" ".join(words))
    return out


class ClassifierIndex:
    """The meaning stage as fusion.Ranker reads it (semantic.MeaningIndex): for each text,
    a score per entry (its probability), and two levels the best entry is measured against,
    chosen so that `best - off` is P(some entry) - P(off-topic) and `best - others` is
    P(some entry) - P(other negative): a message spread over several near entries ("ortak
    depo ve lojistik") is still on topic as a whole."""

    def __init__(
        self,
        encoder: Encoder,
        seeds: Sequence[Sequence[str]],
        offtopic: Sequence[str],
        others: Sequence[str] = (),
        labelled: Sequence[Labelled] = (),
        params: TrainParams = TrainParams(),
    ) -> None:
        self.encoder = encoder
        self.n_keys = k = len(seeds)
        self.has_others = bool(others)
        n_classes = k + 1 + (1 if others else 0)
        texts: list[str] = []
        rows: list[list[tuple[int, float]]] = []
        for key, group in enumerate(seeds):
            for s in group:
                texts.append(s)
                rows.append([(key, 1.0)])
        for text, pairs in labelled:
            if pairs:
                texts.append(text)
                rows.append(list(pairs))
        offtopic = [*offtopic, *noise_texts()]
        texts += offtopic
        rows += [[(k, 1.0)]] * len(offtopic)
        texts += others
        rows += [[(k + 1, 1.0)]] * len(others)
        # Turkish lower case, as the seeds: firms often type in capitals
        texts = [normalize(t) for t in texts]
        targets = np.zeros((len(texts), n_classes), np.float32)
        for i, pairs in enumerate(rows):
            for key, weight in pairs:
                targets[i, key] += weight
        self.weights, self.bias = self._trained(texts, targets, params)
        self.temperature = params.temperature

    def _trained(
        self, texts: list[str], targets: NDArray[np.float32], params: TrainParams
    ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        h = hashlib.sha256()
        h.update(json.dumps([self.encoder.tag, asdict(params), texts]).encode("utf-8"))
        h.update(targets.tobytes())
        path = cache_root() / f"classifier-{h.hexdigest()[:24]}.npz"
        try:
            with np.load(path) as data:
                return data["weights"], data["bias"]
        except (OSError, KeyError, ValueError):
            pass
        x = embed_seeds(self.encoder, texts)
        w, b = train_softmax(x, targets, params)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(tmp, weights=w, bias=b)
            os.replace(tmp, path)
        except OSError as exc:  # read-only cache: train again next start
            logger.info("classifier weights not written: %s", type(exc).__name__)
        return w, b

    def probabilities(self, texts: Sequence[str]) -> Vectors:
        q = self.encoder.encode_cached([normalize(t) for t in texts])
        return _softmax(self.temperature * (q @ self.weights) + self.bias)

    def similarities(self, texts: Sequence[str]) -> tuple[Vectors, Vectors, Vectors]:
        k = self.n_keys
        prob = self.probabilities(texts)
        best = prob[:, :k]
        top = best.max(axis=1) if k else np.zeros(len(prob), np.float32)
        entries = best.sum(axis=1)
        off = (top - (entries - prob[:, k])).astype(np.float32)
        if self.has_others:
            others = (top - (entries - prob[:, k + 1])).astype(np.float32)
        else:
            others = np.full(len(prob), -2.0, dtype=np.float32)
        return best, off, others
