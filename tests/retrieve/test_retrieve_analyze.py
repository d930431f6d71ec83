"""The Dutch analyser: folding, "&"-abbreviations, compounds, stopwords, stemming."""

from __future__ import annotations

import pytest

from secretarisbot.retrieve.analyze import (
    STOPWORDS,
    Analyzer,
    Decompounder,
    analyze,
    content_words,
    fold,
    stem,
    tokenize,
)


class TestTokenize:
    def test_folds_accents_and_case(self) -> None:
        assert fold("Geïnteresseerd in Oriëntatie") == "geinteresseerd in orientatie"

    @pytest.mark.parametrize(
        ("text", "token"),
        [("college van B&W", "benw"), ("het college van b & w", "benw"), ("BenW", "benw"),
         ("afdelingen P&O", "peno"), ("portefeuillehouder PenO", "peno")],
    )
    def test_ampersand_abbreviations_meet_the_wegwijzer_spelling(self, text: str, token: str) -> None:
        assert token in tokenize(text)

    def test_hyphenated_compound_gives_joined_word_and_parts(self) -> None:
        # 000 writes "fusie-organisatie", 003 "fusieorganisatie"
        assert tokenize("de fusie-organisatie") == ["de", "fusieorganisatie", "fusie", "organisatie"]
        assert "fusieorganisatie" in tokenize("De fusieorganisatie is opdrachtnemer")

    def test_apostrophes_and_numbers(self) -> None:
        assert tokenize("beide college’s, 15% efficiencywinst") == ["beide", "colleges", "15", "efficiencywinst"]


class TestAnalyze:
    def test_real_sentence(self) -> None:
        # 000, spanningsveld 3 case
        stems = analyze("Zijn mede-directeur blokkeert dit echter")
        assert "mededirecteur" in stems and "directeur" in stems
        assert not {"zijn", "dit"} & set(stems)

    def test_inflections_share_a_stem(self) -> None:
        assert analyze("herindeling")[0] == analyze("herindelingen")[0]
        assert analyze("organisatie") == analyze("organisaties")
        assert analyze("medewerker") == analyze("medewerkers")
        assert analyze("Gemeenten") == analyze("gemeente")

    def test_spelling_variants_share_tokens(self) -> None:
        assert analyze("college van B&W") == analyze("college van BenW")
        assert analyze("fusie-organisatie")[0] == analyze("fusieorganisatie")[0]

    def test_stopwords_removed_unless_asked(self) -> None:
        assert analyze("wat moet ik doen als het misgaat") == analyze("misgaat")
        assert "het" not in analyze("het", keep_stopwords=False)
        assert analyze("het", keep_stopwords=True) == ["het"]

    def test_negation_is_kept(self) -> None:
        assert "niet" not in STOPWORDS and "geen" not in STOPWORDS

    def test_content_words(self) -> None:
        assert content_words("Wat kan ik dan als eerste doen?") == ["eerste"]


class TestDecompounder:
    # words as they occur in the guides; the split is learnt from the corpus itself
    def test_splits_compounds_into_corpus_words(self, corpus_passages) -> None:
        d = Decompounder.from_texts([p.text for p in corpus_passages])
        assert d.split("kostenverdeelsleutel") == ["kosten", "verdeelsleutel"]
        assert d.split("werkorganisatie") == ["werk", "organisatie"]
        assert d.split("herindelingsgemeente") == ["herindeling", "gemeente"]  # linking -s-

    def test_leaves_plain_words_alone(self, corpus_passages) -> None:
        d = Decompounder.from_texts([p.text for p in corpus_passages])
        for word in ("verantwoordelijkheid", "burgemeester", "medewerkers", "vertrouwen"):
            assert d.split(word) == [], word

    def test_parts_weigh_half_in_queries(self) -> None:
        d = Decompounder.from_texts(["kosten kosten", "de verdeelsleutel de verdeelsleutel"])
        pairs = Analyzer(d).weighted("kostenverdeelsleutel")
        assert pairs[0] == (stem("kostenverdeelsleutel"), 1.0)
        assert set(pairs[1:]) == {(stem("kosten"), 0.5), (stem("verdeelsleutel"), 0.5)}
