"""What "a normal answer or a clear Dutch message" means, as assertions shared by the bad-input tests."""

from __future__ import annotations

import re
import unicodedata

from secretarisbot.answer import prompts as P
from secretarisbot.answer.citations import validate
from secretarisbot.assistant import MAX_QUESTION_CHARS
from secretarisbot.model import Answer

#: Short Dutch function words; an English or Python message has none of them.
DUTCH_WORDS = {
    "de", "het", "een", "je", "niet", "geen", "vraag", "moet", "of", "met", "en", "van", "bij", "uit",
    "kies", "onbekende", "geldige", "regel", "bestand", "typ", "bouw", "gebruik", "tekst", "rol", "kan", "wordt", "eerst", "dit", "te",
}
#: What must never reach a user: Python's own error output.
LEAKS = ("Traceback", "Error:", 'File "', "Exception", "raise ")
#: How a refusal opens: the refusal, or, for a message without a word or of code alone (no subject
#: to refuse), what it is, or, for a request to write a text, that it writes none.
REFUSALS = (P.CANNOT_ANSWER, P.T_NO_WORDS, P.T_CODE_ONLY, P.T_NO_WRITING, P.T_NO_WRITING_ELSEWHERE)


def looks_dutch(text: str) -> bool:
    words = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
    return len(words & DUTCH_WORDS) >= 2


def assert_clear_dutch_message(text: str) -> None:
    assert text.strip(), "empty message"
    assert looks_dutch(text), f"not a Dutch message: {text!r}"
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} shown to the user: {text[:300]!r}"


def assert_well_formed(answer: Answer, index) -> None:
    """A grounded answer (citations resolve to the real texts) or the Dutch refusal."""
    assert isinstance(answer, Answer)
    assert Answer.model_validate_json(answer.model_dump_json()) == answer  # the public JSON contract
    assert 0 < len(answer.question) <= MAX_QUESTION_CHARS
    assert not any(unicodedata.category(ch) == "Cc" for ch in answer.question), repr(answer.question[:80])
    assert_clear_dutch_message(answer.answer)
    if answer.in_scope:
        assert answer.citations, "an in-scope answer without citations"
        assert validate(answer.answer, answer.citations) == []
        for c in answer.citations:
            assert index.normalized(c.document)[c.start : c.end] == c.text
    else:
        assert answer.answer.startswith(REFUSALS)
        assert answer.citations == []
