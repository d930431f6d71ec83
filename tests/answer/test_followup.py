"""Follow-up operations on the previous answer, at the level of their parts (the conversations
themselves are tested in test_compose.TestFollowUpOperations)."""

from __future__ import annotations

from secretarisbot.answer.citations import Sources, sentence_spans
from secretarisbot.answer.excerpt import Terms, flat
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


def _pool(sources: Sources) -> tuple[list[AnswerItem], list[Citation]]:
    """Four quotes that say what is the case (SETA's and GROEI's prose), then one that says what to do."""
    prose = [p for p in sources.passages if p.document in ("001", "003") and p.kind == "text"
             and len(sentence_spans(p.text)) >= 2][:4]
    made = [_quoted(n, p) for n, p in enumerate(prose, start=1)]
    advice = sources.containing(STEP, "002")
    assert advice is not None
    made.append(_step_item(len(made) + 1, advice))
    return [i for i, _ in made], [c for _, c in made]


def test_points_keep_the_first_quote_then_the_one_that_says_what_to_do(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool, 3, citations, sources, Terms.of(QUESTION))
    assert [p.citations for p in points] == [[1], [2], [5]]  # in the answer's order
    assert points[-1].text == STEP
    for point, item in zip(points[:2], pool[:2], strict=True):
        assert point.text in item.text and len(point.text) < len(item.text)  # one sentence of it


def test_points_without_a_first_step_are_the_first_quotes(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool[:4], 3, citations[:4], sources, Terms.of(QUESTION))
    assert [p.citations for p in points] == [[1], [2], [3]]


def test_a_sentence_that_shares_too_little_with_the_question_is_no_first_step(sources: Sources) -> None:
    pool, citations = _pool(sources)
    points = _points(pool, 3, citations, sources, Terms.of("Hoe richt ik een ambtelijke fusie in?"))
    assert [p.citations for p in points] == [[1], [2], [3]]
