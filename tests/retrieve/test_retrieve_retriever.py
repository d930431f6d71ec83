"""HybridRetriever over the real corpus passages with fake embeddings (no model, no Chroma)."""

from __future__ import annotations

from collections import Counter

import pytest

from secretarisbot.errors import InputError
from secretarisbot.model import BIJLAGE_FASES, Context, Message
from secretarisbot.retrieve.retriever import HybridRetriever, chroma_where, lexical_index
from secretarisbot.settings import Settings

DEADLOCK = "Zijn mede-directeur blokkeert"  # 000, spanningsveld 3 case (Simon)


def texts(context: Context) -> list[str]:
    return [p.text for p in context.passages]


def has(context: Context, fragment: str, top: int = 10) -> bool:
    return any(fragment in t for t in texts(context)[:top])


@pytest.fixture
def retriever(fake_index) -> HybridRetriever:
    return HybridRetriever(fake_index, Settings())


class TestRetrieve:
    def test_context_contract(self, retriever: HybridRetriever) -> None:
        ctx = retriever.retrieve("Wat doe ik als mijn mede-directeur een benoeming blokkeert?", k=7)
        assert isinstance(ctx, Context)
        assert [p.rank for p in ctx.passages] == list(range(1, 8))
        assert len({p.id for p in ctx.passages}) == 7
        assert all(p.score > 0 for p in ctx.passages)
        assert ctx.question == "Wat doe ik als mijn mede-directeur een benoeming blokkeert?"
        assert ctx.query.startswith(ctx.question) and "tweekoppige directie" in ctx.query
        assert ctx.filters == {}

    def test_finds_the_deadlock_case(self, retriever: HybridRetriever) -> None:
        ctx = retriever.retrieve("mijn mede-directeur blokkeert de benoeming van een teammanager", k=5)
        assert has(ctx, DEADLOCK, top=3)

    def test_best_fused_passage_stays_first(self, retriever: HybridRetriever) -> None:
        r = retriever.search("patstelling tussen de directeuren over een vacature", k=10)
        fused_best = max(r.context.passages, key=lambda p: p.score)
        assert r.context.passages[0].id == fused_best.id

    # SETA (001) has one long section "De cruciale faalfactor" cut into many passages
    DIVERSITY_QUERY = "de cruciale faalfactor"

    def test_without_diversity_one_section_dominates(self, fake_index) -> None:
        plain = HybridRetriever(fake_index, Settings(), mmr_lambda=1.0, max_per_section=100)
        ctx = plain.retrieve(self.DIVERSITY_QUERY, k=10)
        per_section = Counter((p.document, p.section) for p in ctx.passages)
        assert max(per_section.values()) > 3

    def test_diversity_caps_slices_of_one_section(self, retriever: HybridRetriever, fake_index) -> None:
        ctx = retriever.retrieve(self.DIVERSITY_QUERY, k=10)
        per_section = Counter((p.document, p.section) for p in ctx.passages)
        assert max(per_section.values()) <= retriever.max_per_section
        assert len(per_section) >= 5
        # the best passage is the same with or without diversity
        plain = HybridRetriever(fake_index, Settings(), mmr_lambda=1.0, max_per_section=100)
        assert ctx.passages[0].id == plain.retrieve(self.DIVERSITY_QUERY, k=10).passages[0].id

    def test_mmr_alone_spreads_sections(self, fake_index) -> None:
        mmr_only = HybridRetriever(fake_index, Settings(), mmr_lambda=0.5, max_per_section=100)
        plain = HybridRetriever(fake_index, Settings(), mmr_lambda=1.0, max_per_section=100)
        spread = len({p.section for p in mmr_only.retrieve(self.DIVERSITY_QUERY).passages})
        assert spread > len({p.section for p in plain.retrieve(self.DIVERSITY_QUERY).passages})

    def test_history_as_dicts_and_messages(self, retriever: HybridRetriever) -> None:
        history = [{"role": "user", "content": "Mijn mede-directeur blokkeert een benoeming."},
                   Message(role="assistant", content="Dat is lastig.")]
        ctx = retriever.retrieve("en als de raad dat ook vindt?", history)
        assert [m.role for m in ctx.history] == ["user", "assistant"]
        assert ctx.query.startswith("Mijn mede-directeur blokkeert een benoeming.")

    def test_modes(self, fake_index) -> None:
        q = "Eenvoudige kostenverdeelsleutel voor de fusieorganisatie"
        for mode in ("hybrid", "bm25", "dense"):
            r = HybridRetriever(fake_index, Settings(), mode=mode).search(q, k=5)
            assert len(r.context.passages) == 5
            assert bool(r.bm25) == (mode != "dense") and bool(r.dense) == (mode != "bm25")
        with pytest.raises(ValueError, match="hybrid, bm25, dense"):
            HybridRetriever(fake_index, Settings(), mode="sparse")  # type: ignore[arg-type]

    def test_lexical_index_is_built_once_per_index(self, fake_index) -> None:
        a = HybridRetriever(fake_index, Settings())
        b = HybridRetriever(fake_index, Settings())
        assert a.lexical is b.lexical is lexical_index(fake_index)

    @pytest.mark.parametrize("question", ["", "   \n"])
    def test_empty_question_is_a_dutch_input_error(self, retriever: HybridRetriever, question: str) -> None:
        with pytest.raises(InputError, match="De vraag is leeg"):
            retriever.retrieve(question)

    def test_nothing_matches(self, retriever: HybridRetriever) -> None:
        # BM25 finds nothing; dense always returns its nearest neighbours
        r = retriever.search("xyzzy qwertyuiop", k=5)
        assert r.bm25 == {} and len(r.context.passages) == 5


class TestFilters:
    def test_document(self, retriever: HybridRetriever, fake_index) -> None:
        ctx = retriever.retrieve("draagvlak en vertrouwen", filters={"document": "004"})
        assert ctx.passages and {p.document for p in ctx.passages} == {"004"}
        assert ctx.filters == {"document": "004"}
        assert fake_index.wheres[-1] == {"document": "004"}

    def test_kind(self, retriever: HybridRetriever) -> None:
        ctx = retriever.retrieve("medewerkers onzeker over hun plek", filters={"kind": "intervention"})
        assert ctx.passages and {p.kind for p in ctx.passages} == {"intervention"}

    @pytest.mark.parametrize("fase", ["Tijdens het fusieproces", "tijdens het fusieproces"])
    def test_fase_by_heading_or_canonical_name(self, retriever: HybridRetriever, fase: str) -> None:
        ctx = retriever.retrieve("onzekerheid bij medewerkers", filters={"fase": fase})
        assert ctx.passages and {p.fase for p in ctx.passages} == {"Tijdens het fusieproces"}

    def test_canonical_fase_covers_all_its_headings(self, retriever: HybridRetriever) -> None:
        ctx = retriever.retrieve("wat kan ik doen", k=30, filters={"fase": "na de fusie / draaiend systeem"})
        headings = {h for h, c in BIJLAGE_FASES.items() if c == "na de fusie / draaiend systeem"}
        assert {p.fase for p in ctx.passages} == headings

    def test_combined_filters_and_where(self, retriever: HybridRetriever, fake_index) -> None:
        filters = {"document": "000", "kind": "intervention", "fase": "Verkenningfase"}
        ctx = retriever.retrieve("gesprekken in het college over ambitie", filters=filters)
        assert ctx.passages
        assert all((p.document, p.kind, p.fase) == ("000", "intervention", "Verkenningfase") for p in ctx.passages)
        assert fake_index.wheres[-1] == chroma_where(filters)
        assert set(ctx.filters) == {"document", "kind", "fase"}

    def test_empty_values_are_ignored(self, retriever: HybridRetriever) -> None:
        ctx = retriever.retrieve("draagvlak", filters={"document": None, "kind": ""})
        assert ctx.filters == {} and len(ctx.passages) == 10

    @pytest.mark.parametrize(
        ("filters", "message"),
        [
            ({"auteur": "x"}, "Onbekend filter 'auteur'"),
            ({"kind": "roman"}, "Onbekende soort passage 'roman'"),
            ({"document": "999"}, "Onbekend document '999'"),
            ({"fase": "zomer"}, "Onbekende fase 'zomer'"),
        ],
    )
    def test_bad_filters_are_dutch_input_errors(self, retriever, filters, message) -> None:
        with pytest.raises(InputError, match=message):
            retriever.retrieve("draagvlak", filters=filters)


class TestLexicalOnCorpus:
    """BM25 alone on the real passages: spelling variants across the guides meet."""

    @pytest.mark.parametrize(
        ("question", "fragment"),
        [
            # 002 writes "PenO"; the user writes "P&O"
            ("Wat bespreek ik met de wethouder P&O?", "Je maakt met de portefeuillehouder PenO afspraken"),
            # 003 writes "kostenverdeelsleutel"; the user says "kosten verdelen"
            ("Hoe verdelen we de kosten van onze werkorganisatie?", "Eenvoudige kostenverdeelsleutel"),
            # 002 writes "ambtelijke samenvoeging" where the others say "ambtelijke fusie"
            ("Moet ik adviseren over een ambtelijke fusie?", "Advisering over ambtelijke samenvoeging"),
        ],
    )
    def test_variants(self, fake_index, question: str, fragment: str) -> None:
        ctx = HybridRetriever(fake_index, Settings(), mode="bm25").retrieve(question, k=5)
        assert any(fragment in p.text or fragment in p.section for p in ctx.passages), [p.section for p in ctx.passages]


class TestContinuations:
    """A passage next to a retrieved one in the same section is its text's continuation."""

    def test_the_map_links_the_slices_of_one_section_and_nothing_else(self, fake_index) -> None:
        from secretarisbot.retrieve.retriever import continuations

        passages = fake_index.passages
        found = continuations(passages)
        assert found, "the guides have sections longer than one passage"
        for i, near in found.items():
            for j in near:
                a, b = passages[i], passages[j]
                assert abs(i - j) == 1 and a.document == b.document and a.section == b.section and a.kind == b.kind
                assert a.kind != "intervention"  # a Bijlage I row is an item of its own
                assert i in found[j]  # both ways
        linked = {i for i in found}
        for i in range(1, len(passages)):
            a, b = passages[i - 1], passages[i]
            if a.document == b.document and a.section and a.section == b.section and a.kind == b.kind != "intervention":
                assert i in linked and i - 1 in linked

    def test_the_share_moves_a_continuation_of_a_top_passage_up(self, fake_index) -> None:
        def ranks(share: float) -> list[str]:
            settings = Settings().model_copy(
                update={"retrieval": Settings().retrieval.model_copy(update={"continuation_share": share})}
            )
            return [p.id for p in HybridRetriever(fake_index, settings, mmr_lambda=1.0, max_per_section=100)
                    .retrieve("Wat doe ik als de mede-directeur blokkeert?", k=40).passages]

        plain, promoted = ranks(0.0), ranks(0.5)
        lex = HybridRetriever(fake_index, Settings()).lexical
        # the continuations, ranked below it, of the best passage that has any
        top = next(pid for pid in plain[:5] if lex.continuations.get(lex.position[pid]))
        near = [lex.passages[j].id for j in lex.continuations[lex.position[top]]]
        near = [n for n in near if n not in plain or plain.index(n) > plain.index(top)]
        assert near
        position = lambda ids, pid: ids.index(pid) if pid in ids else len(ids)  # noqa: E731
        assert all(position(promoted, n) <= position(plain, n) for n in near)
        assert any(position(promoted, n) < position(plain, n) for n in near)
