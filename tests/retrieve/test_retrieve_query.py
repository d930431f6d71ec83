"""Query understanding: follow-up detection and resolution, synonym expansion, weights."""

from __future__ import annotations

import pytest

from secretarisbot.model import Message
from secretarisbot.retrieve.analyze import analyze
from secretarisbot.retrieve.query import build_query, expand, is_follow_up, user_turns

FIRST = "Mijn mede-directeur blokkeert al maanden de benoeming van een teammanager."


class TestIsFollowUp:
    @pytest.mark.parametrize(
        "question",
        [
            "en als de raad dat ook vindt?",
            "En als de raad dat ook vindt?",
            "wat kan ik dan als eerste doen?",
            "Maar wat als de burgemeester niet meewerkt?",
            "wat als het misgaat?",
            "Stel dat de raad nee zegt?",
            "en de ondernemingsraad?",
            "Hoe pak ik dat aan?",
            "waarom?",
            "Kan dat ook bij een SSC?",
        ],
    )
    def test_follow_ups(self, question: str) -> None:
        assert is_follow_up(question)

    @pytest.mark.parametrize(
        "question",
        [
            "wat doe ik als de mede-directeur blokkeert",
            FIRST,
            "Wat is de rol van de griffier bij een herindeling?",
            "Hoe verdelen we de kosten van een ambtelijke fusie tussen drie gemeenten?",
            "Welke stappen noemt de VNG om draagvlak en vertrouwen op te bouwen?",
            "Onze twee colleges willen elk iets anders van de werkorganisatie, wat nu?",
            "Wat als de gemeenteraad de voorgestelde herindeling met de buurgemeenten afwijst?",
            "",
        ],
    )
    def test_self_contained_questions(self, question: str) -> None:
        assert not is_follow_up(question)


class TestBuildQuery:
    def test_follow_up_uses_the_earlier_user_turns(self) -> None:
        history = [Message(role="user", content=FIRST), Message(role="assistant", content="Dat heet een patstelling.")]
        q = build_query("en als de raad dat ook vindt?", history)
        assert q.follow_up
        assert q.text.startswith(FIRST) and q.text.endswith("en als de raad dat ook vindt?")
        # the assistant's words are not searched on
        assert "patstel" not in {s for s in q.terms if q.terms[s] >= 0.5}
        assert q.terms["raad"] == 1.0                       # own words weigh most
        assert q.terms["mededirecteur"] == pytest.approx(0.6)  # previous turn, weighted lower
        assert q.terms["benoem"] == pytest.approx(0.6)

    def test_most_recent_turn_weighs_most(self) -> None:
        history = [
            {"role": "user", "content": "Hoe verdelen we de kosten?"},
            {"role": "user", "content": "We overwegen een herindeling met de buurgemeente."},
        ]
        q = build_query("en wat als de raad dat niet wil?", history)
        assert q.terms["herindel"] > q.terms["kost"] > 0

    def test_non_follow_up_ignores_history(self) -> None:
        q = build_query("Hoe verdelen we de kosten van een ambtelijke fusie?", [FIRST])
        assert not q.follow_up
        assert q.text == "Hoe verdelen we de kosten van een ambtelijke fusie?"
        assert "mededirecteur" not in q.terms

    def test_without_history_nothing_is_a_follow_up(self) -> None:
        q = build_query("en als de raad dat ook vindt?")
        assert not q.follow_up and q.text == "en als de raad dat ook vindt?"

    def test_plain_strings_are_user_turns(self) -> None:
        assert build_query("wat kan ik dan als eerste doen?", [FIRST]).follow_up


class TestUserTurns:
    HISTORY = [
        Message(role="user", content=f"  {FIRST} "),
        Message(role="assistant", content="Dat heet een patstelling."),
        {"role": "user", "content": "   "},
        {"role": "user", "content": "En de raad?"},
        Message(role="assistant", content="De raad stelt kaders."),
    ]

    def test_the_askers_messages_in_order_without_blank_ones(self) -> None:
        assert user_turns(self.HISTORY) == [FIRST, "En de raad?"]


class TestExpansion:
    @pytest.mark.parametrize(
        ("question", "variant"),
        [
            ("Wat verwacht het college van B&W van mij?", "benw"),
            ("advies aan BenW", "colleg"),
            ("Wij werken in een werkorganisatie", "samenvoeg"),           # Wegwijzer: ambtelijke samenvoeging
            ("de ambtelijke fusie", "fusieorganiseer"),                    # GROEI: fusieorganisatie
            ("wat doe ik als de mede-directeur blokkeert", "tweekop"),     # 000: tweekoppige directie
            ("de afdeling P&O", "hrm"),
            ("hoe betrek ik de burgers", "bewoner"),                       # 002 says bewoners, 000 inwoners
            ("onze herindeling", "fusiemeen"),
        ],
    )
    def test_variants_are_added(self, question: str, variant: str) -> None:
        q = build_query(question)
        assert variant in q.terms, sorted(q.terms)
        assert q.expansions

    def test_originals_outweigh_expansions(self) -> None:
        q = build_query("wat doe ik als de mede-directeur blokkeert")
        own = set(analyze("wat doe ik als de mede-directeur blokkeert"))
        assert q.terms["mededirecteur"] == q.terms["blokkeert"] == 1.0
        # parts of a compound count half: "mede-directeur" is about directors, but less so than it
        # is about a mede-directeur
        assert q.terms["directeur"] == q.terms["mede"] == 0.5
        assert all(w < 1.0 for s, w in q.terms.items() if s not in own)
        # the words someone typed keep at least half of the total weight
        assert sum(q.terms[s] for s in own) >= sum(w for s, w in q.terms.items() if s not in own) - 1e-9

    def test_secretaries_words_are_not_vocabulary(self) -> None:
        # "ruzie" is how a secretary says "patstelling": the question bank carries that link (with
        # the passage it is about), the vocabulary only words the guides themselves use alike
        q = build_query("ruzie in het college")
        assert q.terms["benw"] > 0 and "patstel" not in q.terms

    def test_unrelated_question_is_not_expanded(self) -> None:
        q = build_query("Wat is het btw-tarief op kunstwerken?")
        assert q.expansions == () and set(q.terms) == set(analyze("Wat is het btw-tarief op kunstwerken?"))

    def test_expand_needs_the_whole_phrase(self) -> None:
        # "algemeen directeur" is a variant of gemeentesecretaris, "directeur" alone is not
        added, _ = expand(analyze("de directeur"))
        assert "meentesecretaris" not in added
        added, _ = expand(analyze("de algemeen directeur"))
        assert "meentesecretaris" in added

    def test_display_shows_what_was_searched(self) -> None:
        q = build_query("advies aan BenW")
        assert q.display.startswith("advies aan BenW (+ ") and "college van B&W" in q.display


class TestGuideVocabulary:
    """Phrasings the analyser would lose reach the guides' own words (real corpus wording)."""

    def test_wij_en_zij_becomes_the_guides_wij_zij(self) -> None:
        # GROEI: "De grootste valkuil, zeker in het begin, zijn 'wij-zij-verhoudingen'."
        q = build_query("Na de start praat iedereen over 'wij' en 'zij'. Hoe kom ik daar vanaf?")
        assert q.terms.get(analyze("wij-zij")[0]) == 1.0
        # both words are stopwords: without the rewrite nothing of them would be searched
        assert analyze("'wij' en 'zij'") == []

    def test_other_uses_of_wij_and_zij_are_left_alone(self) -> None:
        q = build_query("Wij willen dat zij meedoen aan de samenwerking.")
        assert analyze("wij-zij")[0] not in q.terms

    @pytest.mark.parametrize(
        ("question", "guide_word"),
        [
            # 000 writes "ontvlochten" as well as "ontvlechting" (corpus/vocabulary.yaml)
            ("Onze ambtelijke fusie wordt ontvlochten. Hoe help ik het personeel?", "ontvlechting"),
            # 003 "kostenverdeelsleutel" next to "verdeelsleutel"
            ("Hoe kiezen we een verdeelsleutel?", "kostenverdeelsleutel"),
        ],
    )
    def test_variant_reaches_the_other_guides_word(self, question: str, guide_word: str) -> None:
        q = build_query(question)
        stem = analyze(guide_word)[0]
        assert 0 < q.terms.get(stem, 0) < 1.0  # added, and weighted below the user's own words

    def test_zorg_dat_does_not_fire_the_worries_group(self) -> None:
        q = build_query("Hoe zorg ik dat de raad goed geinformeerd blijft?")
        assert analyze("sentiment")[0] not in q.terms
