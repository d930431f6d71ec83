"""BM25: ranking, weighted query terms, masks, determinism, cosine."""

from __future__ import annotations

import numpy as np

from secretarisbot.retrieve.analyze import analyze
from secretarisbot.retrieve.lexical import BM25Index

# Real sentences from the guides (000, 002, 003).
TEXTS = [
    "Omdat het sturingsmodel geen escalatieclausule of onafhankelijk voorzitter kent (beide gemeenten "
    "zijn immers 50% eigenaar), ontstaat er een patstelling.",
    "Als gemeentesecretaris ben je de hoogste adviseur van BenW.",
    "Een vaste verdeelsleutel, bijvoorbeeld gebaseerd op de omvang van de (oorspronkelijk) ingebrachte "
    "formatie en budgetten.",
    "Je maakt met de portefeuillehouder PenO afspraken over de bestuurlijke aansturing van het PenO-werk.",
]


def q(text: str, weight: float = 1.0) -> dict[str, float]:
    return {s: weight for s in analyze(text)}


class TestBM25:
    bm25 = BM25Index.build(TEXTS)

    def test_finds_the_passage_with_the_rare_word(self) -> None:
        assert self.bm25.search(q("patstelling"))[0][0] == 0
        assert self.bm25.search(q("hoe werkt een verdeelsleutel"))[0][0] == 2

    def test_spelling_variant_matches(self) -> None:
        assert self.bm25.search(q("advies aan het college van B&W"))[0][0] == 1
        assert self.bm25.search(q("P&O"))[0][0] == 3

    def test_no_match_is_empty(self) -> None:
        assert self.bm25.search(q("btw-compensatiefonds")) == []
        assert self.bm25.search({}) == []

    def test_weights_scale_scores(self) -> None:
        full = self.bm25.scores(q("patstelling"))
        half = self.bm25.scores(q("patstelling", 0.5))
        assert np.allclose(half, full / 2)
        # a heavier term decides between two passages
        a = self.bm25.search({**q("patstelling", 1.0), **q("verdeelsleutel", 0.2)})
        b = self.bm25.search({**q("patstelling", 0.2), **q("verdeelsleutel", 1.0)})
        assert a[0][0] == 0 and b[0][0] == 2

    def test_mask_excludes_documents(self) -> None:
        mask = np.array([False, True, True, True])
        assert all(i != 0 for i, _ in self.bm25.search(q("patstelling verdeelsleutel"), mask=mask))

    def test_ties_keep_corpus_order(self) -> None:
        bm25 = BM25Index.build(["raad besluit", "raad besluit", "college"])
        assert [i for i, _ in bm25.search(q("raad"))] == [0, 1]

    def test_k_limits_results(self) -> None:
        assert len(self.bm25.search(q("de gemeentesecretaris verdeelsleutel patstelling PenO"), k=2)) == 2

    def test_cosine(self) -> None:
        bm25 = BM25Index.build(["raad besluit over fusie", "raad besluit over fusie", "college verdeelsleutel"])
        assert abs(bm25.cosine(0, 1) - 1.0) < 1e-9
        assert bm25.cosine(0, 2) == 0.0

    def test_empty_corpus(self) -> None:
        assert BM25Index.build([]).search(q("raad")) == []
