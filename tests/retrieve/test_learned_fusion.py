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


def test_the_fit_depends_on_the_corpus_files_and_the_feature_code(monkeypatch) -> None:
    from types import SimpleNamespace

    from secretarisbot.retrieve import learned_fit
    from secretarisbot.settings import Settings

    manifest = SimpleNamespace(embedder_id="e", corpus_hash="c1", passages_hash="p", questions_hash="q")
    retriever = SimpleNamespace(index=SimpleNamespace(manifest=manifest), settings=Settings(), rrf_k=20, synonyms=True)
    first = learned_fit.fingerprint(retriever)
    manifest.corpus_hash = "c2"  # the vocabulary or a guide's name changed: BM25 features change
    assert learned_fit.fingerprint(retriever) != first
    manifest.corpus_hash = "c1"
    monkeypatch.setattr(learned_fit, "source_hash", lambda paths: str(sorted(p.name for p in paths)) + "!")
    assert learned_fit.fingerprint(retriever) != first  # the code (or the ranker files) changed


def test_pseudo_rrf_keeps_the_order_on_rrfs_scale() -> None:
    scores = pseudo_rrf([7, 3, 5], weight=2.0, rrf_k=20)
    assert list(scores) == [7, 3, 5] and scores[7] == 2.0 / 21 and scores[7] > scores[3] > scores[5]


@pytest.mark.integration
class TestOnTheRealIndex:
    def test_the_shipped_fit_is_the_one_for_this_corpus_bank_and_ranker_questions(self, real_retriever) -> None:
        from secretarisbot.retrieve import learned_fit

        embedder = real_retriever.index.manifest.embedder_id
        shipped = learned_fit.FILES.read_shipped(learned_fit.fingerprint(real_retriever), embedder, LearnedFusion.from_json)
        name = learned_fit.FILES.shipped(embedder).name
        assert shipped is not None, f"{name} is stale or missing; refresh it with: {REFRESH}"
        m = shipped.measurement
        # trained on (nearly) every ranker question, and better than RRF on them out of fold
        assert m["rows"] >= 0.95 * m["ranker_questions"] > 900
        assert m["cv_hit@5_learned"] > m["cv_hit@5_rrf"]

    def test_the_ranker_questions_are_not_in_the_bank(self, real_retriever) -> None:
        from secretarisbot.corpus.questions import load_question_bank
        from secretarisbot.retrieve.learned_fit import ranker_dir

        settings = real_retriever.settings
        ranker = load_question_bank(settings.model_copy(update={"questions_dir": ranker_dir(settings)}))
        bank = {q.text.casefold() for q in real_retriever.index.questions}
        assert len(ranker.in_scope) > 900 and not ranker.out_of_scope
        assert not [q.text for q in ranker.in_scope if q.text.casefold() in bank]

    def test_retrieval_orders_by_the_fit_and_not_as_rrf_does(self, real_index, real_settings, real_retriever) -> None:
        from secretarisbot.retrieve.query import build_query
        from secretarisbot.retrieve.retriever import HybridRetriever

        # no diversity and no promotion of a section's continuations: the fit's ranking as it is
        alone = real_settings.model_copy(
            update={"retrieval": real_settings.retrieval.model_copy(update={"continuation_share": 0.0})}
        )
        plain = HybridRetriever(real_index, alone, mmr_lambda=1.0, max_per_section=100)
        rrf_settings = alone.model_copy(update={"retrieval": alone.retrieval.model_copy(update={"fusion": "rrf"})})
        rrf = HybridRetriever(real_index, rrf_settings, mmr_lambda=1.0, max_per_section=100)
        differs = 0
        for question in (
            "Hoe ga ik om met een wethouder die zijn eigen ambtenaren aanstuurt?",
            "Moet ik me zorgen maken als het college zonder mij vergadert?",
            "De raden willen dat de samenwerking meteen geld oplevert. Wat zeg ik?",
        ):
            # the fit's own order, computed apart from the retriever under test (no shared cache)
            query = build_query(question, [], real_retriever.lexical.analyzer, synonyms=real_retriever.synonyms)
            vector = real_retriever.index.embeddings.embed_query(query.text)
            positions, matrix = candidate_features(
                real_retriever.signals(query, vector), real_settings.candidates, real_retriever.rrf_k
            )
            expected = [real_retriever.lexical.passages[i].id for i in real_retriever.fusion.rank(positions, matrix)[:5]]
            assert [p.id for p in plain.retrieve(question, k=5).passages] == expected
            differs += [p.id for p in rrf.retrieve(question, k=5).passages] != expected
        assert differs  # the setting does change the ranking

    def test_a_filtered_search_keeps_to_the_filter(self, real_retriever) -> None:
        found = real_retriever.retrieve("Hoe houd ik de raad aan boord?", k=5, filters={"kind": "role"}).passages
        assert found and {p.kind for p in found} == {"role"}

    def test_signals_are_kept_per_query_text_and_terms(self, real_retriever) -> None:
        from secretarisbot.retrieve.query import Query

        vector = real_retriever.index.embeddings.embed_query("raad")
        one = real_retriever.signals(Query(question="x", text="En als de raad dat ook vindt?", terms={"raad": 1.0}), vector)
        two = real_retriever.signals(Query(question="x", text="En als de raad dat ook vindt?", terms={"fusie": 1.0}), vector)
        assert one is not two and not np.array_equal(one.bm25, two.bm25)
        # the same text and terms with another vector (a follow-up's is not its text's alone)
        other = real_retriever.index.embeddings.embed_query("fusie")
        three = real_retriever.signals(Query(question="x", text="En als de raad dat ook vindt?", terms={"raad": 1.0}), other)
        assert three is not one and not np.array_equal(one.dense, three.dense)
        again = real_retriever.signals(Query(question="x", text="En als de raad dat ook vindt?", terms={"raad": 1.0}), vector)
        assert again is one

    def test_a_ranker_file_that_no_longer_loads_leaves_retrieval_on_rrf(self, real_index, real_settings, monkeypatch) -> None:
        from secretarisbot.corpus.questions import BankError
        from secretarisbot.retrieve import learned_fit
        from secretarisbot.retrieve.retriever import HybridRetriever

        def broken(real_retriever):
            raise BankError("003-004-e.yaml, item 7: anker past op 0 passages")

        monkeypatch.setattr(learned_fit, "learned_fusion", broken)
        r = HybridRetriever(real_index, real_settings)
        assert r.fusion is None and r.retrieve("Hoe houd ik de raad aan boord?").passages

    def test_rrf_remains_a_setting(self, real_index, real_settings) -> None:
        from secretarisbot.retrieve.retriever import HybridRetriever

        settings = real_settings.model_copy(
            update={"retrieval": real_settings.retrieval.model_copy(update={"fusion": "rrf"})}
        )
        assert HybridRetriever(real_index, settings).fusion is None
        assert HybridRetriever(real_index, real_settings, bank=False).fusion is None
