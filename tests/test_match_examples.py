"""The classifier's examples (content/match_examples.yaml) and the classifier itself:
in step with the retired sets, never the held-out set, learnt once and cached."""

from __future__ import annotations

import eval_sets as E
import make_match_examples
import numpy as np
import pytest

from eligibility.content import content_dir, get_content
from eligibility.matching import classifier, semantic
from eligibility.matching.classifier import ClassifierIndex, TrainParams, train_softmax
from eligibility.matching.examples import get_examples, load_examples


def test_examples_file_is_what_the_script_writes():
    # run `.venv/bin/python tests/make_match_examples.py` after retiring a set
    path = content_dir() / "match_examples.yaml"
    assert path.read_text(encoding="utf-8") == make_match_examples.render()


def test_examples_come_from_retired_sets_only():
    ex = get_examples()
    assert {e.source for e in [*ex.needs, *ex.offtopic, *ex.faq]} == set(E.EXAMPLE_SOURCES)
    assert len(ex.needs) >= 1000 and len(ex.offtopic) >= 500 and len(ex.faq) >= 300
    held = [*E.EXAMPLE_SOURCES.values()]
    assert not any("match_heldout_f" in files or "faq_heldout_f" in files for files in held)
    if (E.DATA / "match_heldout_f.yaml").exists():
        texts = {e.text for e in [*ex.needs, *ex.offtopic, *ex.faq]}
        new = E.need_set("holdout")
        held_texts = [c["text"] for c in new["phrasings"]] + list(new["offtopic"])
        held_texts += [q["text"] for q in E.load("faq_heldout_f")["questions"]]
        # a held-out text may equal an old one ("merhaba"), but the set is not copied in
        assert len([t for t in held_texts if t in texts]) <= len(held_texts) // 5


def test_example_ids_are_known():
    c = get_content()
    acts = {a.id for a in c.catalogue.activities}
    faqs = {e.id for e in c.faq.entries}
    ex = get_examples()
    assert all(e.ids and set(e.ids) <= acts for e in ex.needs)
    assert all(e.ids and set(e.ids) <= faqs for e in ex.faq)


def test_leaving_a_set_out_removes_its_texts_only():
    ex = get_examples()
    left = ex.without({"set_c"})
    assert not [e for e in [*left.needs, *left.offtopic, *left.faq] if e.source == "set_c"]
    kept = [e for e in ex.needs if e.source != "set_c"]
    assert left.needs == kept and len(left.needs) < len(ex.needs)
    assert ex.without(()) is ex


def test_a_content_without_examples_still_loads(tmp_path):
    assert load_examples(tmp_path / "missing.yaml").needs == []


def test_softmax_regression_learns_separable_classes():
    rng = np.random.default_rng(1)
    centres = np.eye(3, 8, dtype=np.float32)
    x = np.vstack([c + 0.1 * rng.standard_normal((20, 8)).astype(np.float32) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = np.repeat(np.arange(3), 20)
    targets = np.eye(3, dtype=np.float32)[y]
    w, b = train_softmax(x, targets, TrainParams(steps=200))
    assert ((x @ w + b / 10.0).argmax(axis=1) == y).all()


needs_model = pytest.mark.skipif(
    semantic.get_encoder() is None, reason="meaning stage unavailable on this platform"
)


@needs_model
def test_classifier_margins_are_probability_differences(tmp_path, monkeypatch):
    monkeypatch.setenv("KUME_CACHE_DIR", str(tmp_path))
    enc = semantic.get_encoder()
    assert enc is not None
    idx = ClassifierIndex(
        enc,
        [["elektrik faturası çok yüksek", "enerji verimliliği"], ["ihracat yapmak", "fuar"]],
        ["merhaba", "teşekkürler", "hava nasıl"],
        params=TrainParams(steps=100),
    )
    texts = ["enerji giderlerimiz çok yüksek", "merhaba nasılsınız"]
    best, off, _ = idx.similarities(texts)
    prob = idx.probabilities(texts)
    margin = best.max(axis=1) - off
    assert np.allclose(margin, prob[:, :2].sum(axis=1) - prob[:, 2], atol=1e-5)
    assert best[0].argmax() == 0 and margin[0] > 0 > margin[1]


@needs_model
def test_classifier_weights_are_learnt_once(tmp_path, monkeypatch):
    monkeypatch.setenv("KUME_CACHE_DIR", str(tmp_path))
    enc = semantic.get_encoder()
    assert enc is not None
    args = ([["ortak depo"], ["yazılım eğitimi"]], ["merhaba"])
    first = ClassifierIndex(enc, *args, params=TrainParams(steps=50))
    assert list(tmp_path.glob("classifier-*.npz"))

    def no_training(*a: object, **k: object) -> None:
        raise AssertionError("trained again")

    monkeypatch.setattr(classifier, "train_softmax", no_training)
    again = ClassifierIndex(enc, *args, params=TrainParams(steps=50))
    assert np.array_equal(first.weights, again.weights)
    with pytest.raises(AssertionError):  # other texts: other weights, learnt anew
        ClassifierIndex(enc, [["ortak depo"], ["yazılım kursu"]], ["merhaba"])


def test_noise_examples_are_the_same_every_time():
    assert classifier.noise_texts() == classifier.noise_texts()
    assert len(set(classifier.noise_texts())) == 60


@needs_model
@pytest.mark.parametrize("seed", range(5))
def test_letters_at_random_are_no_need_and_no_question(seed):
    from eligibility.matcher import match_faq, match_needs

    rng = np.random.default_rng(seed)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    words = ["".join(rng.choice(letters, size=rng.integers(2, 10))) for _ in range(25)]
    text = " ".join(words)
    assert match_needs(text) == [] and match_faq(text) == []
