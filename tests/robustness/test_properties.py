"""Property-based tests (hypothesis) of the ask path and of the normaliser.

The corpus helper's properties (tests/corpus/test_corpus_properties.py) feed source-like text
from a fixed vocabulary through parse/render; these use arbitrary Unicode (control characters,
emoji, combining marks, right-to-left text) and check other promises: the ask path never
crashes and always returns a grounded answer or the Dutch refusal, plain prose passes the
normaliser unchanged, corrections are whole-word only, line joins lose no characters.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robust_checks import assert_clear_dutch_message, assert_well_formed
from secretarisbot.corpus.chunk import spans
from secretarisbot.corpus.normalize import CORRECTIONS, apply_corrections, clean_inline, join_lines
from secretarisbot.corpus.profiles import PROFILES, Profile
from secretarisbot.corpus.structure import parse, render
from secretarisbot.errors import InputError
from secretarisbot.model import ROLES

ASK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FAST = settings(max_examples=200, deadline=None)

#: Words from the guides' own vocabulary, so a fair share of generated questions is in scope.
DOMAIN = st.sampled_from(
    ["mede-directeur", "blokkeert", "raad", "draagvlak", "herindeling", "ambtelijke", "fusie", "cultuur",
     "gemeentesecretaris", "ondernemingsraad", "plaatsing", "burgemeester", "samenwerking", "wat", "doe", "ik",
     "hoe", "als", "de", "het", "?", "Politicus", "kwartiermaker", "SETA", "werkorganisatie"]
)
#: Anything a text box can deliver: all of Unicode except surrogates.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)
NOISY_QUESTION = st.one_of(
    ANY_TEXT,
    st.lists(st.one_of(DOMAIN, ANY_TEXT.map(lambda t: t[:12])), min_size=1, max_size=25).map(" ".join),
)


# --- the ask path -------------------------------------------------------------------------------


@ASK
@given(question=NOISY_QUESTION)
def test_any_question_gets_a_grounded_answer_the_refusal_or_a_dutch_input_error(bot, question: str) -> None:
    try:
        answer = bot.ask(question)
    except InputError as err:
        assert_clear_dutch_message(str(err))
        # Only a question with nothing visible in it is refused as input.
        assert not re.search(r"[^\W_]", question) or not question.strip(), repr(question[:80])
        return
    assert_well_formed(answer, bot.index)


@ASK
@given(
    history=st.lists(
        st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]), "content": NOISY_QUESTION}),
        max_size=14,
    ),
    role=st.one_of(st.none(), st.sampled_from(ROLES)),
)
def test_any_history_and_role_give_a_well_formed_answer(bot, history, role) -> None:
    answer = bot.ask("En wat doe ik dan met de raad?", history, role=role)
    assert_well_formed(answer, bot.index)
    if role is not None and answer.in_scope:
        # the chosen role's line, or (a question about the profession, where none of its lines
        # fits) the sentence that says so; the answer is framed by it either way
        from secretarisbot.answer.prompts import T_ROLE_NOT_HERE, with_article

        guide = with_article(bot.sources.short_title(next(p.document for p in bot.sources.passages if p.role)))
        not_here = T_ROLE_NOT_HERE.format(role=role, doc=guide)
        assert (answer.roles and answer.roles[0].role == role) or not_here in answer.answer
        assert answer.primary_role == role


@ASK
@given(gaps=st.lists(st.text(alphabet=" \t\r\n\u00a0", min_size=1, max_size=4), min_size=6, max_size=6))
def test_whitespace_between_words_does_not_change_the_answer(bot, gaps) -> None:
    words = ["Wat", "doe", "ik", "als", "de", "mede-directeur", "blokkeert?"]
    base = bot.ask(" ".join(words))
    spaced = bot.ask("".join(w + g for w, g in zip(words, [*gaps, ""], strict=True)))
    assert spaced.answer == base.answer
    assert spaced.citations == base.citations


# --- the normaliser -------------------------------------------------------------------------------

#: Prose without any markup character: what most lines of the guides look like.
PLAIN = st.text(
    alphabet=st.characters(
        categories=("Lu", "Ll", "Nd", "Zs", "Po", "Pd"),
        exclude_characters="*\\<>[]()#_`\u00ad",
    ),
    max_size=200,
)


@FAST
@given(PLAIN)
def test_plain_prose_passes_clean_inline_unchanged_up_to_spacing(text: str) -> None:
    expected = re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", unicodedata.normalize("NFC", text)).strip()
    assert clean_inline(text) == expected


@FAST
@given(ANY_TEXT)
def test_clean_inline_output_is_trimmed_nfc_and_single_spaced(text: str) -> None:
    out = clean_inline(text)
    assert out == out.strip()
    assert unicodedata.is_normalized("NFC", out)
    assert "\u00ad" not in out and "  " not in out and "\t" not in out
    assert not re.search(r"</?(?:ul|ol|li|p|b|i|em|strong|br|span|div)\b[^>]*>", out, flags=re.I)


WRONG_001 = [wrong for wrong, _ in CORRECTIONS["001"]]
WORDS = st.from_regex(r"[a-zà-ÿ]{1,10}", fullmatch=True).filter(lambda w: w not in WRONG_001)


@FAST
@given(st.lists(WORDS, max_size=20), st.sampled_from(CORRECTIONS["001"]), st.integers(min_value=0, max_value=20))
def test_corrections_replace_whole_words_only(words, pair, at) -> None:
    wrong, right = pair
    plain = " ".join(words)
    assert apply_corrections(plain, "001") == plain  # nothing to correct: unchanged
    at = min(at, len(words))
    with_wrong = " ".join([*words[:at], wrong, *words[at:]])
    assert apply_corrections(with_wrong, "001") == " ".join([*words[:at], right, *words[at:]])
    glued = f"x{wrong}x"  # inside a longer word: left alone
    assert apply_corrections(glued, "001") == glued


@FAST
@given(PLAIN.filter(lambda t: "\n" not in t), PLAIN.filter(lambda t: "\n" not in t))
def test_join_lines_loses_nothing_but_a_line_break_hyphen(prev: str, cur: str) -> None:
    out = join_lines(prev, cur)
    squash = lambda s: re.sub(r"\s", "", s)  # noqa: E731
    assert squash(out) in (squash(prev) + squash(cur), squash(prev)[:-1] + squash(cur))
    assert "\n" not in out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(ANY_TEXT.map(lambda t: t[:120]), st.just(""), DOMAIN), max_size=40).map("\n".join),
    st.sampled_from([Profile(), *PROFILES.values()]),
)
def test_arbitrary_unicode_never_breaks_parse_render_or_the_slices(text: str, profile: Profile) -> None:
    blocks = parse("001", text, profile)
    out = render(blocks)
    assert out.endswith("\n")
    for block in blocks:
        assert out[block.start : block.end] == block.text
    for span in spans(out, blocks):
        assert 0 <= span.start < span.end <= len(out)
        assert out[span.start : span.end].strip()
