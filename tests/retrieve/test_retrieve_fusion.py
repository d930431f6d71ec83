"""Reciprocal rank fusion and MMR: pure functions, edge cases."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from secretarisbot.retrieve.fusion import mmr, promote_continuations, reciprocal_rank_fusion


class TestReciprocalRankFusion:
    def test_agreement_beats_a_single_top_hit(self) -> None:
        # "x" is 1st in one list only (1/61); "y" is 5th in both (2/65): agreement wins
        fused = reciprocal_rank_fusion([["x", "a", "b", "c", "y"], ["d", "e", "f", "g", "y"]])
        assert fused[0][0] == "y"

    def test_scores(self) -> None:
        fused = dict(reciprocal_rank_fusion([["a", "b"], ["b"]], k=60))
        assert fused["a"] == pytest.approx(1 / 61)
        assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)

    @pytest.mark.parametrize("lists", [[], [[]], [[], []]])
    def test_empty(self, lists: list[list[str]]) -> None:
        assert reciprocal_rank_fusion(lists) == []

    def test_one_empty_list_keeps_the_other_order(self) -> None:
        assert [d for d, _ in reciprocal_rank_fusion([["a", "b", "c"], []])] == ["a", "b", "c"]

    def test_ties_keep_first_appearance(self) -> None:
        # a and b swap places across the lists: equal scores, "a" appeared first
        assert [d for d, _ in reciprocal_rank_fusion([["a", "b"], ["b", "a"]])] == ["a", "b"]
        assert [d for d, _ in reciprocal_rank_fusion([["b", "a"], ["a", "b"]])] == ["b", "a"]

    def test_weights(self) -> None:
        lists = [["a", "b"], ["b", "a"]]
        assert reciprocal_rank_fusion(lists, [2.0, 1.0])[0][0] == "a"
        assert reciprocal_rank_fusion(lists, [1.0, 2.0])[0][0] == "b"
        # a zero weight ignores a list, but its ids still appear (with score 0) if only there
        fused = dict(reciprocal_rank_fusion([["a"], ["z"]], [1.0, 0.0]))
        assert fused["z"] == 0.0 and fused["a"] > 0

    def test_duplicates_within_a_list_count_once(self) -> None:
        fused = dict(reciprocal_rank_fusion([["a", "a", "b"]]))
        assert fused["a"] == pytest.approx(1 / 61)
        assert fused["b"] == pytest.approx(1 / 63)

    def test_bad_arguments(self) -> None:
        with pytest.raises(ValueError, match="one weight per list"):
            reciprocal_rank_fusion([["a"], ["b"]], [1.0])
        with pytest.raises(ValueError, match=">= 0"):
            reciprocal_rank_fusion([["a"]], [-1.0])


def topic_similarity(topics: dict[str, str]):
    return lambda a, b: 1.0 if topics[a] == topics[b] else 0.0


class TestMMR:
    topics = {"a1": "a", "a2": "a", "a3": "a", "b1": "b", "c1": "c"}
    relevance = {"a1": 1.0, "a2": 0.95, "a3": 0.9, "b1": 0.6, "c1": 0.5}

    def test_best_first_then_novelty(self) -> None:
        # after a1: b1 = 0.5*0.6 = 0.30 beats a2 = 0.5*0.95 - 0.5*1 < 0; then c1 = 0.25 beats a2
        picked = mmr(list(self.relevance), self.relevance, topic_similarity(self.topics), k=3, lambda_=0.5)
        assert picked == ["a1", "b1", "c1"]
        # with more weight on relevance a near-duplicate may come back: 0.7*0.95 - 0.3 > 0.7*0.5
        picked = mmr(list(self.relevance), self.relevance, topic_similarity(self.topics), k=3, lambda_=0.7)
        assert picked == ["a1", "b1", "a2"]

    def test_lambda_one_is_plain_relevance(self) -> None:
        picked = mmr(list(self.relevance), self.relevance, topic_similarity(self.topics), k=3, lambda_=1.0)
        assert picked == ["a1", "a2", "a3"]

    def test_scale_of_relevance_does_not_matter(self) -> None:
        tiny = {key: v / 100 for key, v in self.relevance.items()}
        sim = topic_similarity(self.topics)
        assert mmr(list(tiny), tiny, sim, k=5) == mmr(list(self.relevance), self.relevance, sim, k=5)

    def test_returns_all_when_k_exceeds(self) -> None:
        picked = mmr(list(self.relevance), self.relevance, topic_similarity(self.topics), k=50)
        assert sorted(picked) == sorted(self.relevance)

    def test_empty_and_zero(self) -> None:
        assert mmr([], {}, lambda a, b: 0.0, k=3) == []
        assert mmr(["a"], {"a": 1.0}, lambda a, b: 0.0, k=0) == []

    def test_ties_keep_candidate_order_and_duplicates_collapse(self) -> None:
        assert mmr(["x", "y", "x"], {"x": 1.0, "y": 1.0}, lambda a, b: 0.0, k=3) == ["x", "y"]

    def test_bad_lambda(self) -> None:
        with pytest.raises(ValueError, match="lambda_"):
            mmr(["a"], {"a": 1.0}, lambda a, b: 0.0, k=1, lambda_=1.5)


# --- properties -------------------------------------------------------------------------------

ids = st.lists(st.sampled_from("abcdefghij"), max_size=10)


class TestPromoteContinuations:
    CHAIN = {"a": ("b",), "b": ("a", "c"), "c": ("b",)}

    def test_a_neighbour_of_the_best_passage_overtakes_an_equal_one(self) -> None:
        # "c" and "x" score the same; "c" continues "b", which scores high: "c" goes first
        ranked = promote_continuations({"b": 1.0, "x": 0.5, "c": 0.5}, {"b": ("c",), "c": ("b",)}, share=0.1)
        assert [k for k, _ in ranked] == ["b", "c", "x"]
        assert dict(ranked)["c"] == pytest.approx(0.6)
        assert dict(ranked)["b"] == pytest.approx(1.05)

    def test_a_continuation_that_was_no_candidate_enters_with_the_share(self) -> None:
        ranked = dict(promote_continuations({"a": 1.0}, self.CHAIN, share=0.1))
        assert ranked == {"a": pytest.approx(1.0), "b": pytest.approx(0.1)}

    def test_it_enters_only_when_allowed(self) -> None:
        assert dict(promote_continuations({"a": 1.0}, self.CHAIN, share=0.1, allowed=lambda k: k != "b")) == {"a": 1.0}

    def test_zero_share_is_the_plain_ranking(self) -> None:
        scores = {"x": 0.2, "a": 1.0, "c": 0.5}
        assert promote_continuations(scores, self.CHAIN, share=0.0) == [("a", 1.0), ("c", 0.5), ("x", 0.2)]

    def test_a_small_share_never_reorders_passages_without_neighbours(self) -> None:
        ranked = [k for k, _ in promote_continuations({"x": 0.9, "y": 0.8, "a": 0.1}, self.CHAIN, share=0.1)]
        assert ranked.index("x") < ranked.index("y")


class TestProperties:
    @given(st.lists(ids, max_size=4))
    def test_rrf_ranks_the_union_by_descending_score(self, lists: list[list[str]]) -> None:
        fused = reciprocal_rank_fusion(lists)
        assert sorted(d for d, _ in fused) == sorted({d for lst in lists for d in lst})
        scores = [s for _, s in fused]
        assert scores == sorted(scores, reverse=True)

    @given(st.lists(ids, min_size=1, max_size=4), ids)
    def test_a_zero_weight_list_changes_no_score(self, lists: list[list[str]], extra: list[str]) -> None:
        base = dict(reciprocal_rank_fusion(lists))
        with_extra = dict(reciprocal_rank_fusion([*lists, extra], [1.0] * len(lists) + [0.0]))
        assert all(with_extra[d] == base[d] for d in base)

    @given(
        st.dictionaries(st.sampled_from("abcdefghij"), st.floats(0, 1), min_size=1),
        st.integers(0, 12),
        st.floats(0, 1),
    )
    @example({"a": 0.75, "b": 1.0}, 1, 5e-324)  # found by CI: weighted scores underflowed to a tie
    def test_mmr_picks_distinct_candidates_best_first(self, relevance, k, lambda_) -> None:
        cands = list(relevance)
        picked = mmr(cands, relevance, lambda a, b: float(a == b), k=k, lambda_=lambda_)
        assert len(picked) == min(k, len(cands)) and len(set(picked)) == len(picked)
        if picked:  # whatever lambda_, even 0 or a denormal
            assert relevance[picked[0]] == max(relevance.values())
