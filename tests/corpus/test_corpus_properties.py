"""Property tests of the normaliser on arbitrary text (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from secretarisbot.corpus.chunk import HARD_MAX, spans
from secretarisbot.corpus.normalize import join_lines
from secretarisbot.corpus.profiles import PROFILES, Profile
from secretarisbot.corpus.structure import parse, render

# Text that looks like the sources: words, punctuation, bullets, markup, tabs and blank lines.
WORDS = st.sampled_from(
    ["de", "gemeentesecretaris", "Fusie", "aantrok-", "ken", "Ommen-", "Hardenberg", "schaa sprong",
     "•", "-", "o", "*", "**vet**", "<p>", "</b>", "#", "1.2", "HOOFDSTUK", "2", "?", ".", ":", "’", "“",
     "\t", "barriéres", "Spanningsveld", "é", "ë", "  "]
)
LINE = st.lists(WORDS, max_size=12).map(" ".join)
TEXT = st.lists(st.one_of(LINE, st.just("")), max_size=30).map("\n".join)
PROFILE = st.sampled_from([Profile(), *PROFILES.values()])


def normalise(text: str, profile: Profile, doc_id: str = "001") -> str:
    return render(parse(doc_id, text, profile))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, PROFILE)
def test_never_crashes_and_output_is_clean(text, profile):
    out = normalise(text, profile)
    assert out.endswith("\n")
    assert "\t" not in out
    assert "\n\n\n" not in out
    assert not re.search(r"\S  +\S", out)
    assert not re.search(r"</?(p|b|ul)\b", out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, PROFILE)
def test_passages_are_slices_within_limits(text, profile):
    blocks = parse("001", text, profile)
    out = render(blocks)
    for span in spans(out, blocks):
        assert 0 <= span.start < span.end <= len(out)
        assert span.end - span.start <= HARD_MAX
        assert out[span.start : span.end].strip() == out[span.start : span.end]


@settings(max_examples=150, deadline=None)
@given(TEXT)
@example("<p> \t • de")  # a tab between an HTML tag and a bullet kept the "•" on the first pass
@example("<p> \t o")  # the same for the OCR bullet "o" standing alone
@example("aantrok-\n• ?\n# de")  # the dropped bullet left "aantrok-" before "# de": joined on pass two
@example("aantrok-\n•\n\nFusie")  # a stray bullet before a blank line kept the hyphen on pass one
def test_idempotent_for_plain_profile(text):
    # The normalised text is already clean: a second pass with the generic rules changes nothing.
    once = normalise(text, Profile())
    assert normalise(once, Profile()) == once


@given(st.from_regex(r"[a-z]{2,12}", fullmatch=True), st.from_regex(r"[a-z]{1,12}", fullmatch=True))
def test_line_break_hyphen_joins_lower_case(head, tail):
    assert join_lines(head + "-", tail) == head + tail


@given(st.from_regex(r"[a-z]{2,12}", fullmatch=True), st.from_regex(r"[#•*>?:\-][ a-z]{0,8}", fullmatch=True))
def test_hyphen_before_a_non_word_is_no_line_break_hyphen(head, tail):
    assert join_lines(head + "-", tail) == f"{head}- {tail}"


@given(st.from_regex(r"[A-Za-z]{2,12}", fullmatch=True), st.from_regex(r"[A-Z][a-z]{1,12}", fullmatch=True))
def test_hyphen_before_capital_stays(head, tail):
    assert join_lines(head + "-", tail) == f"{head}-{tail}"
