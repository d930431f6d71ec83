"""Metrics on real excerpts of the guides, with worked numbers."""

from __future__ import annotations

import math

import pytest

from secretarisbot.evals.metrics import (
    answer_sentences,
    answer_units,
    citation_markers,
    citation_support,
    citation_validity,
    contains,
    match_key,
    min_cover_size,
    ndcg_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank,
    role_correct,
    scope_confusion,
    sentence_supported,
)

# Real lines of 000 (handreiking 2026), 002 (Wegwijzer) and 003 (GROEI).
SIMON = ("Er moet een nieuwe manager voor de afdeling Sociaal Domein worden aangesteld. Simon wil een kandidaat "
         "met een zakelijke, procesmatige achtergrond om de stijgende zorgkosten te beteugelen. Zijn mede-directeur "
         "blokkeert dit echter: zij eist een kandidaat met een sterke focus op de menselijke maat en lokale verbinding.")
PATSTELLING = ("Omdat het sturingsmodel geen escalatieclausule of onafhankelijk voorzitter kent (beide gemeenten zijn "
               "immers 50% eigenaar), ontstaat er een patstelling.")
COLLEGES = ("Directeuren van fusie-organisaties worden vaak geconfronteerd met verschillende of zelfs *botsende "
            "bestuurlijke narratieven* over wat de fusie-organisatie moet opleveren. Elk college denkt er het zijne "
            "over – er staat niet één narratief centraal.")
HITTESCHILD = "- Als het college de nuances vergeet, moet jij het hitteschild voor de organisatie zijn."
GROEI = "De vijf letters van het woord GROEI hebben wij dan ook gebruikt als kapstok"

EVIDENCE = ["Zijn mede-directeur blokkeert dit echter", "geen escalatieclausule of onafhankelijk voorzitter"]


class TestMatcher:
    def test_match_key_folds_accents_case_and_punctuation(self) -> None:
        assert match_key("Creëer  orde – in ‘proces’ en structuur!") == "creeer orde in proces en structuur"
        assert match_key("B&W / BenW") == "b w benw"

    def test_contains_ignores_markup_and_quotes(self) -> None:
        assert contains(match_key(COLLEGES), "geconfronteerd met verschillende of zelfs")
        assert contains(match_key("**wat onder tafel speelt ook op de tafel**"), "wat onder tafel speelt ook op de tafel")

    def test_contains_respects_word_bounds(self) -> None:
        # "raad" is not in "raadsleden": fragments match whole words only.
        assert not contains(match_key("raadsleden van de kleinere gemeente"), "raad")
        assert contains(match_key("de raad van de kleinere gemeente"), "raad")


class TestRetrievalMetrics:
    def test_recall_counts_the_share_of_fragments(self) -> None:
        ranked = [HITTESCHILD, SIMON, GROEI, PATSTELLING]
        assert recall_at_k(EVIDENCE, ranked, 1) == 0.0
        assert recall_at_k(EVIDENCE, ranked, 3) == 0.5  # SIMON at rank 2 holds fragment 1 of 2
        assert recall_at_k(EVIDENCE, ranked, 5) == 1.0
        assert recall_at_k([], ranked, 5) is None

    def test_reciprocal_rank_is_one_over_the_first_relevant_rank(self) -> None:
        assert reciprocal_rank(EVIDENCE, [HITTESCHILD, GROEI, PATSTELLING]) == pytest.approx(1 / 3)
        assert reciprocal_rank(EVIDENCE, [HITTESCHILD, GROEI]) == 0.0
        assert reciprocal_rank(EVIDENCE, [HITTESCHILD, GROEI, PATSTELLING], k=2) == 0.0

    def test_min_cover_finds_one_passage_holding_both_fragments(self) -> None:
        both = SIMON + " " + PATSTELLING
        corpus = [match_key(t) for t in (SIMON, PATSTELLING, both, GROEI)]
        assert min_cover_size(EVIDENCE, corpus) == (1, 2)
        assert min_cover_size(EVIDENCE, [match_key(SIMON), match_key(PATSTELLING)]) == (2, 2)
        assert min_cover_size(EVIDENCE, [match_key(GROEI)]) == (0, 0)

    def test_ndcg_worked_numbers(self) -> None:
        corpus = [match_key(t) for t in (SIMON, PATSTELLING, GROEI, HITTESCHILD)]
        # ideal: two passages needed (m = 2), IDCG = 1 + 1/log2(3) = 1.6309
        idcg = 1 + 1 / math.log2(3)
        assert ndcg_at_k(EVIDENCE, [SIMON, PATSTELLING], 10, corpus) == pytest.approx(1.0)
        # relevant at ranks 2 and 4: (1/log2 3 + 1/log2 5) / IDCG = (0.6309 + 0.4307) / 1.6309 = 0.6509
        got = ndcg_at_k(EVIDENCE, [GROEI, SIMON, HITTESCHILD, PATSTELLING], 10, corpus)
        assert got == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / idcg)
        assert got == pytest.approx(0.6509, abs=1e-4)

    def test_ndcg_does_not_reward_repeating_a_fragment(self) -> None:
        corpus = [match_key(t) for t in (SIMON, PATSTELLING)]
        # SIMON twice adds nothing the second time; PATSTELLING at rank 3 scores 1/log2(4) = 0.5.
        got = ndcg_at_k(EVIDENCE, [SIMON, SIMON, PATSTELLING], 10, corpus)
        assert got == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))

    def test_ndcg_is_none_when_no_passage_can_hold_the_fragment(self) -> None:
        assert ndcg_at_k(EVIDENCE, [GROEI], 10, [match_key(GROEI)]) is None


def _answer(text: str, citations: list[dict], **extra) -> dict:
    return {"question": "q", "answer": text, "citations": citations, "roles": [], **extra}


def _cite(n: int, doc: str, text: str, start: int) -> dict:
    return {"n": n, "passage_id": f"{doc}-x", "document": doc, "title": "t", "section": "", "kind": "text",
            "text": text, "start": start, "end": start + len(text)}


class TestCitations:
    NORMALIZED = {"000": "Voorwoord.\n\n" + COLLEGES + "\n\n" + PATSTELLING + "\n"}

    def test_markers_are_parsed_in_order(self) -> None:
        assert citation_markers("Zie [2] en [1, 3]; niet [x] of [].") == [2, 1, 3]

    def test_valid_citations_sit_at_their_offsets(self) -> None:
        doc = self.NORMALIZED["000"]
        cites = [_cite(1, "000", COLLEGES, doc.index(COLLEGES)), _cite(2, "000", PATSTELLING, doc.index(PATSTELLING))]
        result = citation_validity(_answer("Elk college denkt er het zijne over [1]. Zonder escalatieclausule [2].", cites),
                                   self.NORMALIZED.__getitem__)
        assert result == {"markers": 2, "valid": 2, "ok": True, "problems": []}

    def test_wrong_offsets_and_dangling_markers_are_invalid(self) -> None:
        doc = self.NORMALIZED["000"]
        shifted = _cite(1, "000", COLLEGES, doc.index(COLLEGES) + 1)
        result = citation_validity(_answer("Zie [1] en [3].", [shifted]), self.NORMALIZED.__getitem__)
        assert result["markers"] == 2 and result["valid"] == 0 and result["ok"] is False
        assert any("[3]" in p for p in result["problems"])

    def test_role_citations_are_checked_too(self) -> None:
        doc = self.NORMALIZED["000"]
        ans = _answer("Geen markers hier.", [_cite(1, "000", COLLEGES, doc.index(COLLEGES))])
        ans["roles"] = [{"role": "Politicus", "text": "Speel in op de colleges [1].", "citations": [1, 4]}]
        result = citation_validity(ans, self.NORMALIZED.__getitem__)
        assert result["markers"] == 3 and result["valid"] == 2 and result["ok"] is False

    def test_answer_without_markers_has_nothing_to_validate(self) -> None:
        assert citation_validity(_answer("De bronnen gaan hier niet over.", []), self.NORMALIZED.__getitem__)["ok"] is None


class TestCitationSupport:
    def test_sentence_supported_by_its_passage(self) -> None:
        # content stems: college, denk, zijn(e) ... most occur in COLLEGES
        assert sentence_supported("Elk college denkt er het zijne over, er is geen centraal narratief [1].", [COLLEGES])
        assert not sentence_supported("Elk college denkt er het zijne over, er is geen centraal narratief [1].", [GROEI])

    def test_support_shares_over_judged_sentences(self) -> None:
        text = ("## Herkenning\n\nElk college denkt er het zijne over: er staat geen narratief centraal [1]. "
                "De patstelling ontstaat zonder escalatieclausule of onafhankelijk voorzitter [1]. "
                "Dit is een zin zonder bronvermelding over kwartiermakers en begrotingen.\n\n## Bronnen\n\n[1] Handreiking")
        result = citation_support(_answer(text, [_cite(1, "000", COLLEGES, 0)]))
        # 3 judged sentences; 2 carry [1]; only the first is supported by COLLEGES.
        assert result["sentences"] == 3 and result["cited"] == 2 and result["supported"] == 1
        assert result["support"] == pytest.approx(1 / 3) and result["cited_support"] == 0.5

    def test_headings_and_sources_are_not_judged(self) -> None:
        assert answer_sentences("## Vanuit je rol\n\n## Bronnen\n\n[1] Elk college denkt er het zijne over") == []


class TestScopeRolesLatency:
    def test_scope_confusion_worked_numbers(self) -> None:
        # 3 out-of-scope items (2 refused), 5 in-scope items (1 wrongly refused)
        pairs = [(False, False), (False, False), (False, True), (True, False)] + [(True, True)] * 4
        result = scope_confusion(pairs)
        assert (result["tp"], result["fp"], result["fn"], result["tn"]) == (2, 1, 1, 4)
        assert result["precision"] == pytest.approx(2 / 3)
        assert result["recall"] == pytest.approx(2 / 3)
        assert result["accuracy"] == pytest.approx(6 / 8)
        assert result["false_refusal_rate"] == pytest.approx(1 / 5)

    def test_role_correct_uses_primary_role_then_first_perspective(self) -> None:
        assert role_correct({"primary_role": "Politicus", "roles": []}, ["Politicus"])
        assert role_correct({"primary_role": None, "roles": [{"role": "Bedrijfseconoom"}]}, ["Bedrijfseconoom"])
        assert not role_correct({"primary_role": "Veranderkundige", "roles": []}, ["Goede werkgever"])

    def test_percentiles_interpolate(self) -> None:
        assert percentile([1, 2, 3, 4], 50) == 2.5
        assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95) == pytest.approx(95.5)
        assert percentile([], 50) is None


class TestAnswerUnits:
    def test_a_trailing_marker_covers_its_paragraph(self) -> None:
        text = ("- **Voorkomen van heronderhandelen of terugkomen op gemaakte afspraken.** Egalisatiereserve "
                "inzetten om bestuurlijke escalatie te voorkomen. [4] _(Bijlage I)_\n"
                "> Zijn mede-directeur blokkeert dit echter. [2] Simon merkt dat zijn mede-directeur de ruzie "
                "gebruikt. [2]\n"
                "Dit lijkt op spanningsveld drie uit de handreiking: organisatie en draagvlak.")
        units = answer_units(text)
        assert [m for _, m in units] == [[4], [4], [2], [2], []]
        assert units[2][0].startswith("Zijn mede-directeur blokkeert")
