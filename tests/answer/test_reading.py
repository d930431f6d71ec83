"""Reading a question from evidence: the labels of the nearest bank questions and the metadata of
the retrieved passages vote; a tie is a tie, thin evidence is "onbekend"."""

from __future__ import annotations

from secretarisbot.answer.reading import (
    PROFILE_PASSAGES,
    passage_fase,
    passage_spanningsveld,
    read,
    role_profiles,
    topic_profiles,
)
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


def test_a_passage_profile_is_the_share_of_its_bank_questions_roles() -> None:
    bank = [
        BankQuestion(id="a", text="x", scope="in", passage_id="p1", roles=("Politicus",)),
        BankQuestion(id="b", text="x", scope="in", passage_id="p1", roles=("Politicus", "Bedrijfseconoom")),
        BankQuestion(id="c", text="x", scope="in", passage_id="p1"),  # no role: no vote
        BankQuestion(id="d", text="x", scope="out", passage_id="p2", roles=("Politicus",)),  # out of scope
    ]
    profiles = role_profiles(bank)
    assert set(profiles) == {"p1"}
    assert profiles["p1"]["Politicus"] == 0.75 and profiles["p1"]["Bedrijfseconoom"] == 0.25


def test_retrieved_passages_vote_their_profile_by_rank() -> None:
    """The bank neighbours lean to Politicus; the passages retrieval ranks first are about money."""
    neighbours = [(q(1, roles=("Politicus",)), 0.93), (q(2, roles=("Bedrijfseconoom",)), 0.90)]
    passages = [Passage(id=f"p{i}", document="000", title="t", section="s", kind="text", text="tekst", start=0, end=5)
                for i in range(PROFILE_PASSAGES + 2)]
    money = {"Bedrijfseconoom": 1.0}
    assert read(neighbours, passages).primary_role == "Politicus"
    assert read(neighbours, passages, profiles={"p0": money, "p1": money}).primary_role == "Bedrijfseconoom"
    # only the first PROFILE_PASSAGES vote, and a later passage votes less than an earlier one
    late = {p.id: money for p in passages[PROFILE_PASSAGES:]}
    assert read(neighbours, passages, profiles=late).primary_role == "Politicus"
    one_early = read([], passages, profiles={"p0": money}).roles["Bedrijfseconoom"]
    assert one_early == 1.0 and read([], passages, profiles={"p3": {"Politicus": 1.0}}).primary_role == "Politicus"
    # no role evidence at all stays onbekend
    assert read([], passages, profiles={}).primary_role is None


def test_a_passage_topic_profile_is_the_share_of_its_bank_questions_topics() -> None:
    bank = [
        BankQuestion(id="a", text="x", scope="in", passage_id="p1", onderwerp="beroep"),
        BankQuestion(id="b", text="x", scope="in", passage_id="p1", onderwerp="beroep"),
        BankQuestion(id="c", text="x", scope="in", passage_id="p1", onderwerp="fusie"),
        BankQuestion(id="d", text="x", scope="in", passage_id="p1"),  # no topic: no vote
        BankQuestion(id="e", text="x", scope="in", passage_id="p2"),
    ]
    profiles = topic_profiles(bank)
    assert set(profiles) == {"p1"}
    assert abs(profiles["p1"]["beroep"] - 2 / 3) < 1e-9 and abs(profiles["p1"]["fusie"] - 1 / 3) < 1e-9


def test_retrieved_passages_about_the_profession_outvote_merger_neighbours() -> None:
    """The nearest bank questions lean to a merger; the passages retrieval ranks first are about the
    profession: the question reads as one about the profession, without a merger situation."""
    neighbours = [(q(1, onderwerp="fusie", fusievorm="ambtelijke fusie"), 0.93),
                  (q(2, onderwerp="fusie", fusievorm="ambtelijke fusie"), 0.92),
                  (q(3, onderwerp="beroep"), 0.92)]
    passages = [Passage(id=f"p{i}", document="002", title="t", section="s", kind="facet", text="tekst", start=0, end=5)
                for i in range(PROFILE_PASSAGES + 2)]
    assert not read(neighbours, passages).profession
    job = {"beroep": 1.0, "fusie": 0.0}
    r = read(neighbours, passages, topics={"p0": job, "p1": job})
    assert r.profession and r.situation.fusievorm is None
    # passages beyond the first PROFILE_PASSAGES do not vote
    assert not read(neighbours, passages, topics={p.id: job for p in passages[PROFILE_PASSAGES:]}).profession


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
