"""Which passage is a question about? A softmax classifier over the passages, fitted on the
question bank: one of the learned fusion's features (:mod:`.learned`).

    model = bank_classifier(retriever)      # shipped, cached, or fitted now
    log_p = model.log_probs(vector)         # (passages,) in the lexical index's order

The bank's nearest-question signals (``bank_best``, ``bank_vote``) look at one question at a time.
The classifier looks at all of a passage's questions together: each passage gets a weight vector
that starts at its own embedding and moves towards the ways its bank questions are worded, and a
bias, so that a question's passage is the most likely of all passages. Its score for a passage is
``TEMPERATURE * <question, weights> + bias``, log-softmaxed over the passages.

Fitted on the in-scope bank questions only (full-batch Adam, numpy), so the ranker questions the
fusion is trained on (``corpus/ranker``, not in the bank) see it as a user's question would. It is
shipped beside the vectors (``corpus/vectors/classifier-<embedder>.json``, weights as float16) and
refitted on first use, then cached, when the passages, the bank or this code change (about 20 s);
``secretarisbot index --export-vectors`` refreshes the shipped copy.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from secretarisbot.fitted import FITTING_CODE, FitFiles, source_hash
from secretarisbot.settings import PROJECT_ROOT

FIT_VERSION = "2"
#: Scale of the similarities before the softmax, and the L2 penalty on how far a passage's weights
#: move from its embedding. Chosen on the ranker questions (unseen writers), out of fold, with the
#: fusion refitted each time: hit@5 0.891 without the classifier; with it 0.910 (T 15, L2 1e-4),
#: 0.911 (30, 1e-3), 0.898 (30, 1e-2), 0.914 (50, 1e-3).
TEMPERATURE = 50.0
L2 = 1e-3
#: Adam steps and step size: the loss is within 0.02 of L-BFGS's optimum (0.658) after 800 steps.
#: The step size holds for the first half and falls linearly to zero over the second: with a
#: constant one a late spike could end the fit far from the optimum, decided by float noise (on
#: the bank with the crisis and integrity supplements, 2026-12-02, question vectors differing by
#: 6e-5 ended at loss 0.671 in one checkout and 1.187 in another, after 0.669 at step 700; the
#: fusion fitted on top of them measured 0.913 and 0.890 on the ranker questions). With the decay
#: both end at 0.670.
STEPS = 800
LEARNING_RATE = 0.01
LOSS_EVERY = 100
FILES = FitFiles("classifier", PROJECT_ROOT / "corpus" / "vectors")
#: This module, retriever.py (its vector layout decides the questions, their passages and order),
#: and the code fits read their data through (fitted.py, index/store.py).
CODE = (Path(__file__), Path(__file__).with_name("retriever.py"), *FITTING_CODE)


@dataclass(frozen=True, eq=False)
class BankClassifier:
    """Weights (passages x dimension) and biases (passages,) of the softmax classifier."""

    weights: np.ndarray
    bias: np.ndarray
    temperature: float = TEMPERATURE
    fingerprint: str = ""
    measurement: Mapping[str, object] = field(default_factory=dict)

    @cached_property
    def _matrix(self) -> np.ndarray:
        return (self.temperature * self.weights).astype(np.float32)

    def log_probs(self, vector: np.ndarray) -> np.ndarray:
        """log P(passage | question) for a unit query ``vector``."""
        z = self._matrix @ np.asarray(vector, dtype=np.float32) + self.bias
        z = z - z.max()
        return (z - np.log(np.exp(z).sum())).astype(np.float64)

    def to_json(self) -> dict:
        data = np.ascontiguousarray(self.weights, dtype="<f2")
        return {
            "shape": list(data.shape), "weights": base64.b64encode(data.tobytes()).decode("ascii"),
            "bias": [round(float(b), 5) for b in self.bias], "temperature": self.temperature,
            "fingerprint": self.fingerprint, "measurement": dict(self.measurement),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> BankClassifier:
        shape = tuple(int(n) for n in data["shape"])
        weights = np.frombuffer(base64.b64decode(data["weights"]), dtype="<f2").reshape(shape)
        bias = np.asarray(data["bias"], dtype=np.float32)
        if bias.shape != shape[:1]:
            raise ValueError("weights and biases disagree on the number of passages")
        return cls(weights=weights.astype(np.float32), bias=bias, temperature=float(data["temperature"]),
                   fingerprint=str(data.get("fingerprint", "")), measurement=dict(data.get("measurement", {})))


def step_size(step: int) -> float:
    """Adam's step size at ``step`` (1..STEPS): LEARNING_RATE for the first half, then falling
    linearly to LEARNING_RATE / (STEPS / 2) at the last step."""
    return LEARNING_RATE * min(1.0, (STEPS - step + 1) / (STEPS / 2))


def fit(passages: np.ndarray, questions: np.ndarray, owner: np.ndarray, fingerprint: str = "") -> BankClassifier:
    """Fit on bank question vectors ``questions`` whose passages (rows of ``passages``) are
    ``owner``: minimise the mean cross-entropy plus ``L2`` times the squared distance of the
    weights from the passage vectors. The weights are rounded to float16 as they are shipped, so a
    fresh fit and the shipped one score alike."""
    x = np.asarray(questions, dtype=np.float32)
    start = np.asarray(passages, dtype=np.float32)
    y = np.asarray(owner, dtype=np.int64)
    rows = np.arange(len(y))
    if not len(y):  # no bank: each passage is scored by its own vector
        return BankClassifier(weights=start.astype(np.float16).astype(np.float32), bias=np.zeros(len(start), np.float32),
                              fingerprint=fingerprint, measurement={"questions": 0})
    delta = np.zeros_like(start)
    bias = np.zeros(len(start), dtype=np.float32)
    moments = [[np.zeros_like(delta), np.zeros_like(delta)], [np.zeros_like(bias), np.zeros_like(bias)]]
    loss = float("nan")
    losses: list[float] = []  # every LOSS_EVERY steps: the fit's course, kept with the fit
    for step in range(1, STEPS + 1):
        z = TEMPERATURE * (x @ (start + delta).T) + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        loss = float(-np.log(p[rows, y] + 1e-12).mean() + L2 * (delta * delta).sum())
        if step % LOSS_EVERY == 0:
            losses.append(round(loss, 4))
        p[rows, y] -= 1.0
        p /= len(y)
        grads = (TEMPERATURE * (p.T @ x) + 2 * L2 * delta, p.sum(axis=0))
        rate = step_size(step)
        for param, grad, (m, v) in zip((delta, bias), grads, moments, strict=True):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    weights = (start + delta).astype(np.float16).astype(np.float32)
    bias = bias.round(5)
    accuracy = float(((TEMPERATURE * (x @ weights.T) + bias).argmax(axis=1) == y).mean())
    return BankClassifier(weights=weights, bias=bias, fingerprint=fingerprint,
                          measurement={"questions": int(len(y)), "loss": round(loss, 4), "train_accuracy": round(accuracy, 4),
                                       "losses": losses})


def fingerprint(retriever: Any) -> str:
    """What the fit depends on: the embedder, the passages, the bank and this code."""
    m = retriever.index.manifest
    parts = (FIT_VERSION, m.embedder_id, m.passages_hash, m.questions_hash, source_hash(CODE))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def bank_classifier(retriever: Any, passages: np.ndarray, questions: np.ndarray, owner: np.ndarray) -> BankClassifier:
    """The classifier for ``retriever``'s index (its vectors in the lexical index's order): from
    memory, the shipped file, the cache, or fitted now and cached."""
    key = fingerprint(retriever)
    return FILES.load(key, retriever.index.manifest.embedder_id, retriever.settings.embedding_cache_dir,
                      BankClassifier.from_json, lambda: fit(passages, questions, owner, key))


def export(model: BankClassifier, embedder_id: str, folder: Path | None = None) -> Path:
    """Write ``model`` where the repository ships it."""
    return FILES.export(model, embedder_id, folder)
