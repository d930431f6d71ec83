"""Follow-up operations on the previous answer, at the level of their parts (the conversations
themselves are tested in test_compose.TestFollowUpOperations)."""

from __future__ import annotations

import pytest

from secretarisbot.answer.citations import Sources, sentence_spans
from secretarisbot.answer.excerpt import flat
from secretarisbot.answer.followup import _points
from secretarisbot.model import AnswerItem, Citation, Passage

QUESTION = "Het college wil van mij af, mijn ontslag dreigt. Wat moet ik doen?"
STEP = "Neem een adviseur in de arm als ontslag dreigt."


def _quoted(n: int, passage: Passage, sentences: int = 2) -> tuple[AnswerItem, Citation]:
    """An item quoting the first ``sentences`` sentences of ``passage``, and its citation."""
    spans = sentence_spans(passage.text)[:sentences]
    item = AnswerItem(text=flat(passage.text[spans[0][0]:spans[-1][1]]), citations=[n])
    return item, Citation.of(n, passage).model_copy(update={"quotes": spans})


def _step_item(n: int, passage: Passage) -> tuple[AnswerItem, Citation]:
    start = passage.text.index(STEP)
    span = next((a, b) for a, b in sentence_spans(passage.text) if a <= start < b)
    item = AnswerItem(text=flat(passage.text[span[0]:span[1]]), citations=[n])
    return item, Citation.of(n, passage).model_copy(update={"quotes": [span]})


def _pool(sources: Sources, step_at: int = 4) -> tuple[list[AnswerItem], list[Citation]]:
    """Four quotes that say what is the case (SETA's and GROEI's prose) and, at ``step_at``, one
    that says what to do."""
    prose = [p for p in sources.passages if p.document in ("001", "003") and p.kind == "text"
             and len(sentence_spans(p.text)) >= 2][:4]
    advice = sources.containing(STEP, "002")
    assert advice is not None
    made = []
    for n, p in enumerate(prose[:step_at] + [advice] + prose[step_at:], start=1):
        made.append(_step_item(n, p) if p is advice else _quoted(n, p))
    return [i for i, _ in made], [c for _, c in made]


def test_points_keep_the_first_quote_then_the_one_that_says_what_to_do(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool, 3, citations, sources, QUESTION)
    assert [p.citations for p in points] == [[1], [2], [5]]  # in the answer's order
    assert points[-1].text == STEP
    for point, item in zip(points[:2], pool[:2], strict=True):
        assert point.text in item.text and len(point.text) < len(item.text)  # one sentence of it


def test_a_first_quote_that_says_what_to_do_is_not_counted_twice(sources: Sources) -> None:
    pool, citations = _pool(sources, step_at=0)
    points = _points(pool, 3, citations, sources, QUESTION)
    assert [p.citations for p in points] == [[1], [2], [3]] and points[0].text == STEP


def test_points_without_a_first_step_are_the_first_quotes(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool[:4], 3, citations[:4], sources, QUESTION)
    assert [p.citations for p in points] == [[1], [2], [3]]


def test_a_sentence_that_shares_too_little_with_the_question_is_no_first_step(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool, 3, citations, sources, "Hoe richt ik een ambtelijke fusie in?")
    assert [p.citations for p in points] == [[1], [2], [3]]


def test_more_points_asked_than_quotes_gives_every_quote(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool, 8, citations, sources, QUESTION)
    assert [p.citations for p in points] == [[1], [2], [3], [4], [5]]


def test_an_item_without_its_quoted_spans_or_citation_is_cut_to_its_key_sentence(sources: Sources) -> None:
    pool, citations = _pool(sources)
    bare = [c.model_copy(update={"quotes": []}) for c in citations]
    points = _points(pool, 3, bare, sources, QUESTION)  # no spans: no first step is found
    assert [p.citations for p in points] == [[1], [2], [3]]
    loose = [pool[0].model_copy(update={"citations": []}), *pool[1:]]
    assert _points(loose, 1, citations, sources, QUESTION)[0].text in pool[0].text


def test_a_text_item_is_kept_as_it_is(sources: Sources) -> None:
    pool, citations = _pool(sources)
    note = AnswerItem(text="Een zin van het antwoord zelf.", quote=False)
    points = _points([note, *pool], 2, citations, sources, QUESTION)
    assert points[0] == note and points[1].text == STEP


def test_the_ways_of_asking_short_are_operations_and_a_short_meeting_is_not(sources: Sources) -> None:
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message

    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    for ask in ("Zet het kort op een rij", "Kort graag.", "Hou het kort", "puntsgewijs graag",
                "in steekwoorden?", "kort en bondig alsjeblieft", "kun je dat korter samenvatten?"):
        op = operation(ask, history, sources)
        assert op is not None and op.kind == "shorter" and not op.short, ask
    for ask in ("Ik had net een kort gesprek met de burgemeester. Wat nu?", "Hoe kort moet mijn advies zijn?"):
        assert operation(ask, history, sources) is None, ask
    # what one guide says, asked short: that guide's answer, short (it was the whole answer shortened)
    for ask in ("Zet het kort op een rij: wat zegt de Wegwijzer hierover?", "Vat samen wat de Wegwijzer daarover zegt",
                "wat zegt de Wegwijzer daarover, in drie punten?"):
        op = operation(ask, history, sources)
        assert op is not None and (op.kind, op.document, op.short) == ("within", "002", True), ask
    op = operation("wat zegt de Wegwijzer daarover?", history, sources)
    assert op is not None and (op.kind, op.short) == ("within", False)
    # a turn that points back may add a word of its own; one that does not point back may not
    op = operation("wat zegt de Wegwijzer daar concreet over?", history, sources)
    assert op is not None and op.kind == "within"
    assert operation("Wat zegt GROEI over weerstand?", history, sources) is None


def test_no_question_of_the_bank_or_the_ranker_reads_as_an_operation(sources: Sources, writers_questions: list[str]) -> None:
    """The writers' questions are questions of their own, also after an answer: "Wat is de kern
    van het concept Samen en Toch Apart?" was "korter", "Waar komt het informele gezag … vandaan?"
    "waar staat dat" (8 of them read as an operation)."""
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message

    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    assert len(writers_questions) > 5000
    # "(plakt tekst over riolering)": a writer's note for a pasted text, which makes a real message
    # far longer than an operation's (followup.MAX_CHARS)
    asked = [q for q in writers_questions if "(plakt" not in q]
    assert [q for q in asked if operation(q, history, sources) is not None] == []


OPERATIONS_AFTER_AN_ANSWER = [
    # the everyday and the formal ways of asking (an independent review found 15 read as questions)
    ("Kunt u dat korter samenvatten, alstublieft?", "shorter"), ("Wilt u dat samenvatten?", "shorter"),
    ("Kun je het korter maken?", "shorter"), ("Nog een keer, maar korter", "shorter"), ("Korter svp", "shorter"),
    ("Kun je dat samenvatten voor de raad?", "shorter"), ("Samenvatten in drie bullets", "shorter"),
    ("Geef de hoofdpunten", "shorter"), ("Kort samengevat?", "shorter"), ("Geef me de korte versie", "shorter"),
    ("Waar haal je dat vandaan?", "where"), ("Waar komt dat vandaan?", "where"),
    ("Welke bronnen gebruik je hiervoor?", "where"), ("Hoe kijkt Korsten ertegen aan?", "within"),
    ("Hoe kijkt Korsten daar tegenaan?", "within"), ("Wat vindt de VNG daar nou van?", "within"),
    ("Wat zegt GROEI er zelf over?", "within"), ("En wat zegt de Wegwijzer er nog meer over?", "within"),
    ("Waar staat dat precies in de Wegwijzer?", "within"), ("En de VNG?", "within"),
    # "hier … over" points back as "er … over" does (the nineteenth review's C3 got the previous
    # answer shortened, without a word of GROEI)
    ("Wat zegt de GROEI-handreiking hier specifiek over? Kort graag.", "within"),
    ("Hoe kijkt de Wegwijzer hier tegenaan?", "within"),
]


#: Everyday Dutch with "er … bij/van" and "hier … bij/van" that points at nothing said before (a
#: review found the first version of "hier … over" read these as operations).
NO_OPERATIONS = [
    "Wat komt er bij een ambtelijke fusie kijken? Kort graag.",
    "Geef in drie punten wat er bij een herindeling komt kijken.",
    "Hoe ga ik hier mee om bij de fusie? In drie punten.",
    "Welke dilemma's spelen er bij een ambtelijke fusie volgens GROEI?",
    "Wat wordt er van mij verwacht volgens de Wegwijzer?",
    "Volgens de Wegwijzer: is hier sprake van belangenverstrengeling?",
]


@pytest.mark.parametrize("ask", NO_OPERATIONS)
def test_everyday_er_and_hier_point_at_nothing(sources: Sources, ask: str) -> None:
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message
    from secretarisbot.answer.followup import _POINTS_BACK, _REFERS_BACK

    assert not _REFERS_BACK.search(ask) and not _POINTS_BACK.search(ask), ask
    assert operation(ask, [], sources) is None, ask  # a first question, answered as one
    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    op = operation(ask, history, sources)
    assert op is None or op.kind != "within", (ask, op)  # never the previous question again


def test_handreiking_joined_to_a_guides_name_is_that_guide(sources: Sources) -> None:
    """"de GROEI-handreiking" and "de GROEI handreiking" are GROEI; two names side by side, each a
    guide's ("de Wegwijzer, GROEI", "Wegwijzer/GROEI"), are no one guide (a review)."""
    from secretarisbot.answer.followup import named_document

    assert named_document("Wat zegt de GROEI-handreiking hierover?", sources) == "003"
    assert named_document("Wat zegt de GROEI handreiking hierover?", sources) == "003"
    assert named_document("Wat zegt de VNG-handreiking hierover?", sources) == "004"
    for two in ("Wat zeggen de Wegwijzer, GROEI hierover?", "Wat zeggen Wegwijzer/GROEI hierover?",
                "Wat zeggen de Wegwijzer en de Handreiking hierover?"):
        assert named_document(two, sources) is None, two


@pytest.mark.parametrize(("ask", "kind"), OPERATIONS_AFTER_AN_ANSWER)
def test_the_ways_of_asking_an_operation_after_an_answer(sources: Sources, ask: str, kind: str) -> None:
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message

    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    op = operation(ask, history, sources)
    assert op is not None and op.kind == kind


@pytest.mark.parametrize("ask", [
    "Kun je dat korter zetten, en wat zegt de handreiking van de VGS (Samenvoegen of samenwerken) daar precies over?",
    "Graag wat korter, en hoe kijkt de Wegwijzer voor de Gemeentesecretaris (Woestenberg) daar tegenaan?",
])
def test_a_guide_named_at_length_is_still_an_operation(sources: Sources, ask: str) -> None:
    """A follow-up that names its guide by title and in brackets is longer than an operation's
    limit, but asks no more than "korter, en wat zegt de Wegwijzer daarover?" (the seventeenth
    review: read as a question about the Handreiking's foreword, three quotes of it)."""
    from secretarisbot.answer.followup import MAX_CHARS, operation
    from secretarisbot.model import Message

    assert len(ask) > MAX_CHARS
    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    op = operation(ask, history, sources)
    assert op is not None and op.kind == "within" and op.short, op


@pytest.mark.parametrize("ask", [
    # brackets without a guide named: a first question of its own (an independent review found it
    # told "there is no earlier answer"), and after an answer too
    "Kun je in het kort uitleggen wat een ADO (ambtelijke dienstverleningsorganisatie, werkorganisatie) is en wat dat voor mij betekent?",
    # a guide named at length, with a subject of its own and only a conjunction's "dat"
    "Wat zegt de handreiking Samenvoegen of samenwerken (VGS) over de rol van de griffier en hoe ik dat regel in een ADO?",
])
def test_a_long_turn_with_brackets_or_a_guide_and_a_subject_of_its_own_is_a_question(sources: Sources, ask: str) -> None:
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message

    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    assert operation(ask, [], sources) is None
    assert operation(ask, history, sources) is None


def test_the_length_of_a_turn_is_counted_without_the_guides_names_and_brackets(sources: Sources) -> None:
    """Each part counts on its own: names (the title too), and what stands between brackets."""
    from secretarisbot.answer.followup import _own_length

    back = "en wat zegt hij daar precies over?"
    assert _own_length(f"De Wegwijzer voor de Gemeentesecretaris, {back}", sources) == len(f"De , {back}")
    assert _own_length(f"De Wegwijzer (het boek met honderd hoofdstukken), {back}", sources) == len(f"De , {back}")
    assert _own_length(f"Een boek (met honderd hoofdstukken), {back}", sources) == len(f"Een boek (met honderd hoofdstukken), {back}")


@pytest.mark.parametrize("ask", ["Wat zijn de zeven stops in het kort?", "Noem de zeven stops puntsgewijs",
                                 "Wat is de kern van de Wegwijzer?", "Wat is GROEI in het kort?", "Samenvatting?"])
def test_a_first_question_in_an_operations_words_is_a_question(sources: Sources, ask: str) -> None:
    """Asked first, these are about the guides (the review found them told there was no earlier
    answer); after an answer, a guide or framework named in them is their subject as well."""
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message

    assert operation(ask, [], sources) is None
    if ask != "Samenvatting?":
        history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
        assert operation(ask, history, sources) is None


@pytest.mark.parametrize(("ask", "kind", "document"), [
    ("Kun je daar een memo over schrijven?", "shorter", None),
    ("Schrijf daar een korte notitie over voor het college.", "shorter", None),
    ("Kun je een memo schrijven over wat de Wegwijzer daarover zegt?", "within", "002"),
])
def test_a_text_asked_of_the_previous_answer_is_an_operation_on_it(sources: Sources, ask: str, kind: str, document: str | None) -> None:
    """Its points (or the named guide's, short), with the note that no text is written; as a first
    message, or without pointing back, it is a request to write and nothing else."""
    from secretarisbot.answer.followup import operation
    from secretarisbot.model import Message

    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    op = operation(ask, history, sources)
    assert op is not None and (op.kind, op.document, op.writing, op.short or op.kind == "shorter") == (kind, document, True, True)
    assert operation(ask, [], sources) is None
    assert operation("Schrijf een memo over de herindeling.", history, sources) is None


@pytest.mark.parametrize("ask", [
    "Schrijf een memo over de plaatsingsprocedure en de gevolgen daarvan voor medewerkers",
    "Kun je een memo schrijven over de herindeling en wat de raad daarvan vindt?",
])
def test_a_text_with_a_subject_of_its_own_is_no_operation(sources: Sources, ask: str) -> None:
    """A pointer inside the subject ("de gevolgen daarvan") points at that subject, not at the
    previous answer: a request to write of its own (an independent review)."""
    from secretarisbot.answer.followup import operation, writes_about_the_answer
    from secretarisbot.model import Message

    history = [Message(role="user", content=QUESTION), Message(role="assistant", content="…")]
    assert not writes_about_the_answer(ask) and operation(ask, history, sources) is None
    assert writes_about_the_answer("Kun je een memo schrijven hierover?")
