"""Excerpts: one verbatim run of adjacent sentences of one passage; a sentence that points back
("Dit ...") takes the one before it along; a Bijlage I row is named by its aim and quoted by its
interventions."""

from __future__ import annotations

from secretarisbot.answer.excerpt import Terms, aim, excerpt
from secretarisbot.model import Passage


def passage(text: str, kind: str = "text") -> Passage:
    return Passage(id="000-x", document="000", title="t", section="s", kind=kind, text=text, start=0, end=len(text))


FILLER = " ".join(f"Zin nummer {i} gaat over iets heel anders dan de vraag van vandaag." for i in range(6))


def test_an_excerpt_is_one_verbatim_run_of_sentences() -> None:
    p = passage(f"{FILLER} De mede-directeur blokkeert de benoeming van de teammanager. {FILLER}")
    ex = excerpt(p, Terms.of("mede-directeur blokkeert benoeming"))
    assert ex is not None and "mede-directeur blokkeert" in ex.text
    a, b = ex.spans[0][0], ex.spans[-1][1]
    assert " ".join(p.text[a:b].split()) == ex.text


def test_a_sentence_that_points_back_takes_the_one_before_it() -> None:
    text = (f"{FILLER} Leg de afspraken over de escalatie vast in een convenant met beide colleges. "
            "Dit voorkomt dat een blokkade tussen de directeuren maanden duurt. "
            f"Ook de raad kan er last van hebben, zeker in de aanloop naar de verkiezingen. {FILLER}")
    terms = Terms.of("blokkade directeuren maanden raad")
    ex = excerpt(passage(text), terms, max_words=26)  # room for two of the three sentences
    assert ex is not None and ex.text.startswith("Leg de afspraken") and "Dit voorkomt" in ex.text


def test_a_bijlage_row_is_named_by_its_aim_and_quoted_by_its_interventions() -> None:
    row = passage(
        "Spanningsveld: Organisatie – draagvlak\n"
        "Voorkom wij-zij-denken tussen organisaties (en besturen)\n"
        "Voorbeeldinterventie door een gemeentesecretaris:\n"
        "- Initiatief nemen voor 'strategenoverleg' tussen beoogde fusiepartners: een vroege start.\n"
        "- Alternatief: vraag om een uitnodiging in het MT van 'de ander' om alvast relaties op te bouwen.",
        kind="intervention",
    )
    assert aim(row) == "Voorkom wij-zij-denken tussen organisaties (en besturen)"
    ex = excerpt(row, Terms.of("wij-zij-denken tussen organisaties voorkomen"))
    assert ex is not None and "wij-zij" not in ex.text and "Spanningsveld" not in ex.text
    assert "strategenoverleg" in ex.text or "uitnodiging" in ex.text
    assert aim(passage("Voorkom iets.\nTekst.")) == ""  # only Bijlage I rows have an aim
