"""Role framing: the four role types ranked by fit, perspectives quoted from the role's own passages."""

from __future__ import annotations

import re

import pytest

from secretarisbot.answer.citations import CitationRegistry, Sources
from secretarisbot.answer.roles import normalise_role, perspective, rank_roles, role_passages
from secretarisbot.answer.situation import analyse
from secretarisbot.model import ROLES


@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("Mijn medewerkers zijn onzeker over hun plaatsing en de OR maakt zich zorgen", "Goede werkgever"),
        ("Hoe verdelen we de kosten van de werkorganisatie? De verdeelsleutel en de begroting staan ter discussie", "Bedrijfseconoom"),
        ("De raad en het college liggen politiek dwars; de coalitie is verdeeld over de herindeling", "Politicus"),
        ("De culturen van de twee organisaties botsen; hoe krijg ik de verandering erin?", "Veranderkundige"),
    ],
)
def test_rank_roles(question: str, best: str, sources: Sources) -> None:
    ranking = rank_roles(question, None, analyse(question), sources)
    assert [r for r, _ in ranking][0] == best
    assert sorted(r for r, _ in ranking) == sorted(ROLES)
    scores = [s for _, s in ranking]
    assert scores == sorted(scores, reverse=True)


def test_every_role_has_passages(sources: Sources) -> None:
    for role in ROLES:
        ps = role_passages(sources, role)
        assert ps, role
        assert all(p.document == "000" for p in ps)


def test_perspective_quotes_the_roles_own_text(sources: Sources) -> None:
    reg = CitationRegistry()
    rp = perspective("Goede werkgever", "medewerkers zijn onzeker en emotioneel", sources, reg)
    assert rp.role == "Goede werkgever"
    assert rp.citations
    cits = {c.n: c for c in reg.citations()}
    own = {p.id for p in role_passages(sources, "Goede werkgever")}
    for sentence, n in re.findall(r"(.+?) \[(\d+)\]\s*", rp.text):
        c = cits[int(n)]
        assert c.passage_id in own
        assert sentence.strip() in c.text
    # the best-matching handelingsperspectief sentence comes first
    assert rp.text.startswith("Herkennen van spanningen, emoties en onzekerheid bij medewerkers")


def test_normalise_role() -> None:
    assert normalise_role("goede werkgever") == "Goede werkgever"
    assert normalise_role(None) is None
    with pytest.raises(ValueError, match="Onbekende rol"):
        normalise_role("Astronaut")
