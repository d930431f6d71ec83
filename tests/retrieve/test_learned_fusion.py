"""Learned fusion: features per candidate, a ListNet fit that learns what orders the relevant
passage first, and the shipped fit that a fresh clone uses instead of fitting."""

from __future__ import annotations

import numpy as np
import pytest

from secretarisbot.retrieve.learned import (
    FEATURES,
    LearnedFusion,
    Signals,
    bank_by_passage,
    candidate_features,
    fit_listwise,
    pseudo_rrf,
)

REFRESH = "secretarisbot index --export-vectors"


def signals(bm25, dense, bank, owner) -> Signals:
    return Signals(
        bm25=np.asarray(bm25, float), dense=np.asarray(dense, float), bank=np.asarray(bank, float),
        bank_passage=np.asarray(owner, int), log_length=np.zeros(len(dense)),
    )


def test_bank_questions_give_each_passage_its_best_second_and_vote() -> None:
    s = signals([0, 0, 0], [0, 0, 0], bank=[0.9, 0.8, 0.85, 0.7], owner=[0, 0, 1, 1])
    best, second, vote = bank_by_passage(s)
    assert best.tolist() == [0.9, 0.85, 0.0]
    assert second.tolist() == [0.8, 0.7, 0.0]
    assert vote[0] > vote[1] > vote[2] == 0.0 and abs(vote.sum() - 1) < 1e-9


def test_candidates_are_the_union_of_each_rankings_best_within_the_filter() -> None:
    s = signals(bm25=[5, 0, 0, 1], dense=[0.1, 0.9, 0.2, 0.3], bank=[0.9], owner=[2])
    positions, matrix = candidate_features(s, n_candidates=1, rrf_k=20)
    assert positions.tolist() == [0, 1, 2] and matrix.shape == (3, len(FEATURES))
    allowed = np.array([False, False, True, True])
    positions, _ = candidate_features(s, n_candidates=1, rrf_k=20, allowed=allowed)
    assert positions.tolist() == [2, 3]


def test_the_fit_learns_which_feature_marks_the_relevant_passage() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for _ in range(200):
        m = rng.standard_normal((30, 3))
        target = int(np.argmax(m[:, 1] + 0.3 * rng.standard_normal(30)))  # feature 1 decides, noisily
        rows.append((m, target))
    w, mean, scale = fit_listwise(rows, l2=1e-2)
    assert w[1] > 3 * max(abs(w[0]), abs(w[2]))
    model = LearnedFusion(weights=tuple(w), mean=tuple(mean), scale=tuple(scale))
    m = rng.standard_normal((10, 3))
    assert model.rank(np.arange(10) + 100, m)[0] == 100 + int(np.argmax(m[:, 1]))
    assert LearnedFusion.from_json(model.to_json()) == model


def test_pseudo_rrf_keeps_the_order_on_rrfs_scale() -> None:
    scores = pseudo_rrf([7, 3, 5], weight=2.0, rrf_k=20)
    assert list(scores) == [7, 3, 5] and scores[7] == 2.0 / 21 and scores[7] > scores[3] > scores[5]


@pytest.mark.integration
class TestOnTheRealIndex:
    @pytest.fixture(scope="class")
    def retriever(self, real_index, real_settings):
        from secretarisbot.retrieve.retriever import HybridRetriever

        return HybridRetriever(real_index, real_settings)

    def test_the_shipped_fit_is_the_one_for_this_corpus_bank_and_ranker_questions(self, retriever) -> None:
        from secretarisbot.retrieve import learned_fit

        path = learned_fit.shipped_path(retriever.index.manifest.embedder_id)
        shipped = learned_fit._read(path, learned_fit.fingerprint(retriever))
        assert shipped is not None, f"{path.name} is stale or missing; refresh it with: {REFRESH}"
        m = shipped.measurement
        # trained on (nearly) every ranker question, and better than RRF on them out of fold
        assert m["rows"] >= 0.95 * m["ranker_questions"] > 900
        assert m["cv_hit@5_learned"] > m["cv_hit@5_rrf"]

    def test_the_ranker_questions_are_not_in_the_bank(self, retriever) -> None:
        from secretarisbot.corpus.questions import load_question_bank
        from secretarisbot.retrieve.learned_fit import ranker_dir

        settings = retriever.settings
        ranker = load_question_bank(settings.model_copy(update={"questions_dir": ranker_dir(settings)}))
        bank = {q.text.casefold() for q in retriever.index.questions}
        assert len(ranker.in_scope) > 900 and not ranker.out_of_scope
        assert not [q.text for q in ranker.in_scope if q.text.casefold() in bank]

    def test_retrieval_leads_with_the_passage_the_fit_scores_best(self, retriever) -> None:
        from secretarisbot.retrieve.query import build_query

        question = "Hoe ga ik om met een wethouder die zijn eigen ambtenaren aanstuurt?"
        fusion = retriever.fusion
        assert fusion is not None
        query = build_query(question, [], retriever.lexical.analyzer, synonyms=retriever.synonyms)
        vector = retriever.index.embeddings.embed_query(query.text)
        positions, matrix = candidate_features(retriever.signals(query, vector), retriever.settings.candidates, retriever.rrf_k)
        first = retriever.lexical.passages[fusion.rank(positions, matrix)[0]].id
        assert retriever.retrieve(question).passages[0].id == first

    def test_rrf_remains_a_setting(self, real_index, real_settings) -> None:
        from secretarisbot.retrieve.retriever import HybridRetriever

        settings = real_settings.model_copy(
            update={"retrieval": real_settings.retrieval.model_copy(update={"fusion": "rrf"})}
        )
        assert HybridRetriever(real_index, settings).fusion is None
        assert HybridRetriever(real_index, real_settings, bank=False).fusion is None
