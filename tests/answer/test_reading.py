"""Reading a question from evidence: the labels of the nearest bank questions and the metadata of
the retrieved passages vote; a tie is a tie, thin evidence is "onbekend"."""

from __future__ import annotations

from secretarisbot.answer.reading import passage_fase, passage_spanningsveld, read
from secretarisbot.model import SPANNINGSVELDEN, BankQuestion, Passage


def q(i: int, **labels) -> BankQuestion:
    return BankQuestion(id=f"q{i}", text=f"vraag {i}", scope="in", passage_id=f"p{i}", **labels)


def test_the_nearest_labels_choose_the_role() -> None:
    r = read([(q(1, roles=("Goede werkgever",), onderwerp="fusie"), 0.93),
              (q(2, roles=("Goede werkgever",), onderwerp="fusie"), 0.925),
              (q(3, roles=("Politicus",), onderwerp="fusie"), 0.90)])
    assert r.primary_role == "Goede werkgever" and r.role_tie == ()
    assert r.ranked_roles()[0][0] == "Goede werkgever"


def test_a_tie_is_reported_as_a_tie() -> None:
    r = read([(q(1, roles=("Politicus",)), 0.93), (q(2, roles=("Veranderkundige",)), 0.93)])
    assert set(r.role_tie) == {"Politicus", "Veranderkundige"}


def test_thin_evidence_is_onbekend() -> None:
    r = read([(q(1), 0.93), (q(2), 0.93), (q(3, roles=("Politicus",)), 0.88)])
    assert r.primary_role is None
    assert read([]).primary_role is None and read([]).situation.spanningsveld is None


def test_a_profession_question_gets_no_merger_situation() -> None:
    r = read([(q(i, onderwerp="beroep", fase="verkenning", fusievorm="herindeling"), 0.92) for i in range(4)])
    assert r.profession
    assert (r.situation.spanningsveld, r.situation.fase, r.situation.fusievorm) == (None, None, None)


def test_merger_labels_and_passage_metadata_place_the_situation() -> None:
    row = Passage(id="000-x", document="000", title="t", section="s", kind="intervention", text="x", start=0, end=1,
                  spanningsveld="Draagvlak - organisatie", fase="Na de fusie", fusievorm="ambtelijke fusie")
    r = read([(q(i, onderwerp="fusie", fusievorm="ambtelijke fusie"), 0.92) for i in range(3)], [row])
    assert not r.profession
    assert r.situation.fusievorm == "ambtelijke fusie"
    assert r.situation.spanningsveld == SPANNINGSVELDEN["3"]


def test_bijlage_labels_in_either_order() -> None:
    def row(sv: str, fase: str) -> Passage:
        return Passage(id="i", document="000", title="t", section="s", text="x", start=0, end=1, spanningsveld=sv, fase=fase)

    assert passage_spanningsveld(row("Organisatie – publieke waarde", "")) == "1"
    assert passage_spanningsveld(row("Draagvlak - organisatie", "")) == "3"
    assert passage_fase(row("x", "Herijking/Na de breuk")) == "herijking of ontvlechting"


def test_a_form_or_phase_the_question_names_outweighs_its_neighbours() -> None:
    near = [(q(i, onderwerp="fusie", fusievorm="andere samenwerking"), 0.93) for i in range(6)]
    named = read(near, question="Onze ambtelijke fusie loopt al drie jaar; wie doet wat?")
    assert named.situation.fusievorm == "ambtelijke fusie"
    assert read(near, question="Wie doet wat in onze samenwerking?").situation.fusievorm == "andere samenwerking"
    # the question's own inflection names it; a name inside another word, or half a name, does not
    assert read(near, question="Moeten we herindelen?").situation.fusievorm == "herindeling"
    assert read(near, question="We zitten in de verkenning.").situation.fase == "verkenning"
    assert read(near, question="de herindelingsverkenning").situation.fusievorm == "andere samenwerking"
    assert read(near, question="Bestaat mijn baan na de fusie nog?").situation.fase is None


def test_a_named_form_makes_a_question_about_a_merger() -> None:
    near = [(q(i, onderwerp="beroep"), 0.93) for i in range(4)]
    assert read(near, question="hoe houd ik het vol").profession
    r = read(near, question="hoe houd ik het vol tijdens de herindeling")
    assert not r.profession and r.situation.fusievorm == "herindeling"
