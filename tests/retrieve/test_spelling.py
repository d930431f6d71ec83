"""Typing errors are read as the words the guides and the bank use."""

from __future__ import annotations

import pytest

from secretarisbot.retrieve.spelling import MIN_FREQ, Speller, edits
from secretarisbot.text import tokens


def test_one_edit_is_a_letter_left_out_added_changed_or_two_swapped() -> None:
    near = edits("fusie")
    assert {"fuse", "fusiie", "fusje", "fuise"} <= near  # out, added, changed, swapped
    assert "fusie" not in near and "fsiue" not in near


def _speller(*texts: str) -> Speller:
    return Speller.from_tokens(tokens(t) for t in texts)


SPELLER = _speller(
    "de herindeling van de gemeenten", "bij een herindeling", "de ondernemingsraad", "de ondernemingsraad",
    "het herindelingsadvies", "herindelingsadvies", "de wethouder", "de wethouder", "de wethouders",
    "een eenmalig woord",
)


def test_an_unknown_word_is_read_as_its_known_neighbour() -> None:
    assert SPELLER.word("herindling") == "herindeling"
    assert SPELLER.word("ondernemingsrad") == "ondernemingsraad"
    assert SPELLER.word("wethoder") == "wethouder"


def test_known_short_rare_and_far_words_are_left_alone() -> None:
    assert SPELLER.word("wethouders") == "wethouders"  # known: never changed, even one edit from another
    assert SPELLER.word("raadd") == "raadd"  # too short to read again
    assert SPELLER.word("eenmalge") == "eenmalge"  # its neighbour occurs fewer than MIN_FREQ times
    assert MIN_FREQ > 1
    assert SPELLER.word("wasmachine") == "wasmachine"  # nothing known one edit away


def test_a_dutch_word_the_guides_do_not_use_is_no_typing_error() -> None:
    speller = _speller("ontstaan ontstaan ontstaan", "de staten", "'s-Hertogenbosch en 's-Hertogenbosch")
    assert speller.word("ontslaan") == "ontslaan"  # a word: not read as "ontstaan"
    assert speller.word("ontstan") == "ontstaan"  # no word: read again
    assert speller.word("hertogenbosch") == "hertogenbosch"  # the texts use it, inside a compound
    assert speller.word("ontstaan" * 4) == "ontstaan" * 4  # no typo of any word: not searched


def test_a_word_is_known_from_the_texts_the_stopwords_dutch_or_as_a_typing_error() -> None:
    assert SPELLER.knows("wethouder") and SPELLER.knows("wat") and SPELLER.knows("niet")
    assert SPELLER.knows("wethoder")  # one edit from a word of the texts
    assert SPELLER.knows("wasmachine")  # Dutch, though the texts never use it
    assert not SPELLER.knows("asdfghjkl") and not SPELLER.knows("xqzvw")


def test_the_follow_up_test_reads_the_users_own_words() -> None:
    from secretarisbot.retrieve.analyze import Analyzer
    from secretarisbot.retrieve.query import build_query

    # without a word list "diegene" would be read as "degene", which points back at nothing
    analyzer = Analyzer(speller=Speller({"degene": 5}, lexicon=frozenset()))
    query = build_query("Hoe spreek ik diegene aan?", ["Mijn mede-directeur blokkeert elke benoeming"], analyzer)
    assert query.follow_up and "blokkeert" in query.text and "degene" in query.text


def test_the_most_frequent_neighbour_wins() -> None:
    speller = _speller("kaders kaders kaders", "kadert kadert")
    assert speller.word("kaderx") == "kaders"


def test_a_text_keeps_the_spelling_of_every_word_it_does_not_correct() -> None:
    assert SPELLER.text("Hoe houd ik de Ondernemingsrad bij de herindling?") == (
        "Hoe houd ik de ondernemingsraad bij de herindeling?"
    )


@pytest.mark.integration
def test_a_question_with_typing_errors_is_searched_and_judged_as_the_clean_one(real_settings) -> None:
    from secretarisbot.assistant import Assistant

    bot = Assistant(real_settings)
    clean = "hoe betrek ik de ondernemingsraad bij de ambtelijke fusie als de wethouder twijfelt"
    typed = "hoe betrek ik de ondernemingsrad bij de ambtelijke fusie als de wethoder twijfelt"
    query = bot.retriever.search(typed).query
    assert query.text == clean and query.terms == bot.retriever.search(clean).query.terms
    a, b = bot.ask(clean), bot.ask(typed)
    assert b.in_scope and [p.id for p in b.passages] == [p.id for p in a.passages]
    assert b.question == typed  # the user's own words are what the answer shows
