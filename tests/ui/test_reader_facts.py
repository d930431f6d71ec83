"""A guide's facts as the reader and Over show them."""

from __future__ import annotations

from secretarisbot.ui.reader import stated


def test_an_unknown_fact_says_the_text_does_not_state_it() -> None:
    # the manifest writes "onbekend" where a text names no author, publisher or year (SETA)
    assert stated("onbekend") == stated("Onbekend ") == stated("") == stated(None) == "niet vermeld in de tekst"
    assert stated("Irma Woestenberg") == "Irma Woestenberg"
