"""The bank classifier: learns from the bank's questions where a question belongs, beyond what the
passage's own vector says, and ships with the repository."""

from __future__ import annotations

import numpy as np
import pytest

from secretarisbot.retrieve.bank_classifier import LEARNING_RATE, LOSS_EVERY, STEPS, BankClassifier, fit, step_size

REFRESH = "secretarisbot index --export-vectors"


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


def _toy(rng: np.random.Generator, per_passage: int):
    """Three passages; the questions about passage 0 are worded like passage 1's text (they lie
    nearer passage 1's vector), those about 1 and 2 lie near their own passages."""
    passages = _unit(np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0]]))
    centres = _unit(np.array([[0.3, 0.8, 0, 0.5], [0, 1.0, 0, -0.2], [0, 0, 1.0, 0.1]]))
    owner = np.repeat(np.arange(3), per_passage)
    questions = _unit(centres[owner] + 0.05 * rng.standard_normal((len(owner), 4)))
    return passages, questions, owner


def test_the_classifier_learns_how_a_passages_questions_are_worded() -> None:
    rng = np.random.default_rng(0)
    passages, questions, owner = _toy(rng, per_passage=8)
    model = fit(passages, questions, owner)
    _, unseen, truth = _toy(rng, per_passage=5)
    by_passage_vector = (unseen @ passages.T).argmax(axis=1)
    by_classifier = np.array([model.log_probs(q).argmax() for q in unseen])
    assert (by_passage_vector[truth == 0] == 1).all()  # the passage vectors alone get these wrong
    assert (by_classifier == truth).mean() == 1.0


def test_scores_are_log_probabilities_and_survive_the_shipped_form() -> None:
    rng = np.random.default_rng(1)
    passages, questions, owner = _toy(rng, per_passage=4)
    model = fit(passages, questions, owner, fingerprint="abc")
    again = BankClassifier.from_json(model.to_json())
    q = questions[0]
    assert abs(np.exp(model.log_probs(q)).sum() - 1) < 1e-6
    assert np.allclose(again.log_probs(q), model.log_probs(q), atol=1e-4)
    assert again.fingerprint == "abc" and model.measurement["questions"] == 12


#: How much a recorded loss may rise from one record to the next: its rounding (4 decimals) and
#: float noise. A late Adam spike (0.669 -> 1.187, the constant step size of before) is far above.
LOSS_NOISE = 1e-3


def _settles(losses: list[float]) -> bool:
    """The fit's course does not rise again: each recorded loss at most the one before (+ noise)."""
    return all(b <= a + LOSS_NOISE for a, b in zip(losses, losses[1:]))


def test_the_step_size_holds_for_half_the_fit_and_then_falls_to_almost_nothing() -> None:
    sizes = [step_size(s) for s in range(1, STEPS + 1)]
    half = STEPS // 2
    assert all(v == LEARNING_RATE for v in sizes[:half])
    assert all(b <= a for a, b in zip(sizes, sizes[1:]))
    assert all(b < a for a, b in zip(sizes[half:], sizes[half + 1 :]))  # strictly falling after
    assert sizes[-1] <= LEARNING_RATE / half + 1e-12


def test_the_fit_records_its_course() -> None:
    rng = np.random.default_rng(2)
    passages, questions, owner = _toy(rng, per_passage=20)
    losses = fit(passages, questions, owner).measurement["losses"]
    assert len(losses) == STEPS // LOSS_EVERY and _settles(losses)
    assert not _settles([0.6812, 0.669, 1.1865])  # the spike the decaying step size removed


def test_without_bank_questions_a_passage_is_scored_by_its_own_vector() -> None:
    passages = _unit(np.array([[1.0, 0.2], [0.2, 1.0]]))
    model = fit(passages, np.zeros((0, 2)), np.zeros(0, dtype=int))
    assert model.log_probs(_unit(np.array([0.9, 0.1]))).argmax() == 0
    assert model.log_probs(_unit(np.array([0.1, 0.9]))).argmax() == 1


def test_a_damaged_file_is_not_a_model() -> None:
    data = fit(_unit(np.eye(3)), _unit(np.eye(3)), np.arange(3)).to_json()
    data["bias"] = data["bias"][:2]
    with pytest.raises(ValueError):
        BankClassifier.from_json(data)


@pytest.mark.integration
class TestOnTheRealIndex:
    def test_the_shipped_classifier_settled(self, real_retriever) -> None:
        """The shipped fit ended where its loss settled, not on a late spike (its recorded course)."""
        losses = real_retriever.classifier.measurement["losses"]
        assert len(losses) == STEPS // LOSS_EVERY and _settles(losses), losses

    def test_the_shipped_classifier_is_the_one_for_this_corpus_and_bank(self, real_retriever) -> None:
        from secretarisbot.retrieve import bank_classifier

        embedder = real_retriever.index.manifest.embedder_id
        shipped = bank_classifier.FILES.read_shipped(bank_classifier.fingerprint(real_retriever), embedder, BankClassifier.from_json)
        name = bank_classifier.FILES.shipped(embedder).name
        assert shipped is not None, f"{name} is stale or missing; refresh it with: {REFRESH}"
        assert shipped.measurement["questions"] == len([q for q in real_retriever.index.questions if q.scope == "in"])
        assert shipped.weights.shape[0] == len(real_retriever.lexical.passages)

    def test_it_places_unseen_writers_questions_better_than_the_passage_vectors(self, real_retriever) -> None:
        """The ranker questions (not in the bank, other writers): the classifier ranks their
        passage higher than cosine with the passages does, for most of them."""
        from secretarisbot.corpus.questions import load_question_bank
        from secretarisbot.retrieve.learned_fit import ranker_dir
        from secretarisbot.retrieve.retriever import _layout

        settings = real_retriever.settings
        ranker = load_question_bank(settings.model_copy(update={"questions_dir": ranker_dir(settings)})).in_scope
        sample = ranker[:: max(1, len(ranker) // 150)]
        vectors = _unit(np.asarray(real_retriever.index.embeddings.embed_queries([q.text for q in sample]), dtype=np.float32))
        layout = _layout(real_retriever.index, real_retriever.lexical)
        position = real_retriever.lexical.position

        def rank(scores: np.ndarray, target: int) -> int:
            return int((scores > scores[target]).sum()) + 1

        better = worse = 0
        for q, v in zip(sample, vectors, strict=True):
            target = position[q.passage_id]
            by_class = rank(real_retriever.classifier.log_probs(v), target)
            by_dense = rank(layout.passages @ v, target)
            better += by_class < by_dense
            worse += by_class > by_dense
        assert better > 2 * worse
