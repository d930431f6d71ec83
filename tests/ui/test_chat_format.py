"""How answers, sources and exports are rendered (real passages from the corpus)."""

from __future__ import annotations

import pytest

from secretarisbot.corpus import load_passages
from secretarisbot.model import Answer, AnswerItem, AnswerSection, Citation
from secretarisbot.render import markdown
from secretarisbot.settings import Settings
from secretarisbot.ui.chat import (
    answer_body,
    citation_choices,
    export_markdown,
    format_answer,
    format_sources,
    parse_choice,
    to_messages,
)
from secretarisbot.ui.services import Services


@pytest.fixture(scope="module")
def tegenmacht():
    return next(p for p in load_passages() if p.document == "000" and "Wie vormt welke tegenmacht" in p.text)


def _answer(p, **kw) -> Answer:
    c = Citation.of(1, p)
    sections = kw.pop("sections", None) or [
        AnswerSection(kind="lead", title="Wat de bronnen zeggen", items=[
            AnswerItem(text="Zoek bewust tegenmacht, bijvoorbeeld bij de griffier.", citations=[1],
                       label="Handreiking 2026, Wie vormt welke tegenmacht?")]),
    ]
    answer = Answer(question="Wie helpt mij?", answer="", sections=sections, citations=[c], **kw)
    return answer.model_copy(update={"answer": markdown(answer)})


def test_markers_link_to_the_reader_and_the_plain_source_list_is_dropped(tegenmacht):
    a = _answer(tegenmacht)
    assert "**Bronnen**" in a.answer  # the contract's text has the list; the app shows richer sources
    md = format_answer(a)
    assert f"[\\[1\\]](?doc=000&passage={tegenmacht.id} " in md
    assert "**Bronnen**" not in md
    assert answer_body(a).endswith("[1]")


def test_sources_show_title_section_quote_and_link(tegenmacht):
    src = format_sources(_answer(tegenmacht))
    assert src.startswith("**[1] Samenvoegen of samenwerken")
    assert "> " in src and "tegenmacht" in src
    assert f"[Open in de lezer](?doc=000&passage={tegenmacht.id})" in src


def test_fallback_notice_is_visible(tegenmacht):
    md = format_answer(_answer(tegenmacht, mode="bronnen", notice="Het taalmodel reageerde niet; dit is de bronnenmodus."))
    assert md.startswith("> **Let op:** Het taalmodel reageerde niet")


def test_folded_sections_and_further_passages_are_collapsible(tegenmacht):
    sections = [
        AnswerSection(kind="roles", title="Vanuit je rol", items=[
            AnswerItem(text="Zoek de griffier op.", citations=[1], role="Politicus", label="past het best bij je vraag")]),
        AnswerSection(kind="roles", title="De andere roltypen", folded=True, items=[
            AnswerItem(text="Neem de mensen mee.", citations=[1], role="Veranderkundige")]),
        AnswerSection(kind="more", title="Meer in de bronnen", folded=True, items=[
            AnswerItem(text="", quote=False, label="Handreiking 2026, Wie vormt welke tegenmacht?", passage_id=tegenmacht.id)]),
    ]
    a = _answer(tegenmacht, sections=sections, passages=[])
    md = format_answer(a)
    assert md.count("**Politicus**") == 1
    assert "<details><summary>De andere roltypen</summary>" in md and "**Veranderkundige**" in md
    # further passages need their retrieved record to link into the reader: none here, none shown
    assert "Meer in de bronnen" not in md

def test_messages_choices_and_export(tegenmacht):
    turns = [{"question": "Wie helpt mij?", "answer": _answer(tegenmacht).model_dump(mode="json"), "role": "Alle vier"}]
    msgs = to_messages(turns)
    assert msgs[-1]["metadata"]["title"] == "Bronnen (1)"
    (label, value), = citation_choices(turns)
    assert label.startswith("[1] Samenvoegen of samenwerken — ")
    assert value == f"000|{tegenmacht.id}|{tegenmacht.start}|{tegenmacht.end}|"
    md = export_markdown(turns, "Bronnenmodus")
    assert "## Vraag: Wie helpt mij?" in md and "### Bronnen" in md and "Wie vormt welke tegenmacht" in md


def test_mode_label_names_the_configured_llm():
    assert Services(Settings()).mode_label().startswith("Bronnenmodus")
    label = Services(Settings(llm="openai", llm_model="qwen2.5-7b")).mode_label()
    assert "qwen2.5-7b" in label and "bronnenmodus" in label


def test_citation_links_carry_the_quoted_sentences_and_the_reader_marks_them(tegenmacht):
    from secretarisbot.ui.reader import parse_quotes, render_text

    start = 0
    quote = (start, start + 20)
    c = Citation.of(1, tegenmacht).model_copy(update={"quotes": [quote]})
    a = _answer(tegenmacht).model_copy(update={"citations": [c]})
    md = format_answer(a)
    assert f"&q={quote[0]}-{quote[1]}" in md
    assert parse_quotes(f"{quote[0]}-{quote[1]},9-3,x-1") == [quote]  # malformed parts are left out
    text = "Intro. " + tegenmacht.text + " Slot."
    html = render_text(text, 7, 7 + len(tegenmacht.text), quotes=[(7 + quote[0], 7 + quote[1])])
    marked = html.split("<mark", 1)[1].split("</mark>", 1)[0]
    assert '<strong class="sb-quoted">' in marked


def test_suggested_follow_ups_are_options_under_the_last_answer_only(tegenmacht):
    a = _answer(tegenmacht).model_copy(update={"follow_ups": ["Hoe houd ik de raad aan boord?"]})
    turns = [{"question": "Eerste?", "answer": a.model_dump(mode="json")},
             {"question": "Tweede?", "answer": a.model_dump(mode="json")}]
    messages = to_messages(turns)
    with_options = [i for i, m in enumerate(messages) if m.get("options")]
    assert with_options == [len(messages) - 1]  # Gradio shows only the last message's options
    assert messages[-1]["options"] == [{"value": "Hoe houd ik de raad aan boord?", "label": "Hoe houd ik de raad aan boord?"}]


def test_the_citation_list_opens_the_reader_with_the_quoted_sentences_marked(tegenmacht):
    quotes = [(0, 20), (40, 90)]
    c = Citation.of(1, tegenmacht).model_copy(update={"quotes": quotes})
    turns = [{"question": "Wie helpt mij?", "answer": _answer(tegenmacht).model_copy(update={"citations": [c]})
              .model_dump(mode="json")}]
    (_, value), = citation_choices(turns)
    assert parse_choice(value) == ("000", tegenmacht.id, tegenmacht.start, tegenmacht.end, quotes)
    assert parse_choice("000|x|1|2") == ("000", "x", 1, 2, []) and parse_choice("000|x") is None


def test_a_question_is_shown_as_text_never_as_markup(tegenmacht):
    import re

    turns = [{"question": 'Hoe zit het? ![x](http://example.org/p.png) <img src="http://example.org/x.png"> '
                          "<b>echt</b> *vet* 5.000",
              "answer": _answer(tegenmacht).model_dump(mode="json")}]
    shown = to_messages(turns)[0]["content"]
    # no tag and no image that Markdown would render: every "<", "!" and "[" comes escaped
    assert not re.search(r"(?<!\\)[<!\[*]", shown), shown
    assert "http://example.org/p.png" in shown and "5.000" in shown  # addresses and numbers as typed


def test_a_quoted_list_in_a_role_line_stands_under_the_role():
    from secretarisbot.render import item_markdown

    section = AnswerSection(kind="roles", title="Vanuit je rol", items=[])
    item = AnswerItem(text="- Bewust omgaan met onzekerheid;\n- Perspectief bieden.", citations=[2],
                      role="Goede werkgever", label="past het best bij je vraag")
    md = item_markdown(section, item)
    assert md.splitlines() == ["- **Goede werkgever** (past het best bij je vraag):",
                               "  - Bewust omgaan met onzekerheid;", "  - Perspectief bieden. [2]"]
    one = AnswerItem(text="Begin bij de bron.", citations=[1], role="Politicus")
    assert item_markdown(section, one) == "- **Politicus**: Begin bij de bron. [1]"


def test_a_quoted_list_in_a_labelled_line_stands_under_its_label():
    """A Bijlage I row quoted with its interventions read "…: Geen nieuwe verschillen laten
    ontstaan: - Werkprincipes …" on one line (a probe found the items glued inline)."""
    from secretarisbot.render import PLAIN, item_markdown

    section = AnswerSection(kind="options", title="Wat collega's deden", items=[])
    label = "Handreiking 2026, Bijlage I (ambtelijke fusie, Na de fusie): Geen nieuwe verschillen laten ontstaan"
    item = AnswerItem(text="- Werkprincipes expliciet afspreken;\n- Standplaats bespreken.", citations=[4], label=label)
    for style in (None, PLAIN):
        md = item_markdown(section, item) if style is None else item_markdown(section, item, PLAIN)
        assert md.splitlines() == [f"- {label}:", "  - Werkprincipes expliciet afspreken;", "  - Standplaats bespreken. [4]"]
    one = AnswerItem(text="Werkprincipes expliciet afspreken.", citations=[4], label=label)
    assert item_markdown(section, one) == f"- {label}: Werkprincipes expliciet afspreken. [4]"


def test_a_text_the_question_box_cut_off_is_said_to_be_cut() -> None:
    """The box stops at MAX_PASTE characters without a word: a text of that length was cut there,
    and the notice says so (a walk-through pasted 25,000 characters and read that its whole text
    stayed in the conversation)."""
    from secretarisbot.ui.chat import LONG_QUESTION, MAX_PASTE, TOO_LONG_QUESTION, long_notice

    situation = "Mijn mede-directeur blokkeert elk besluit over de nieuwe organisatie. "
    assert long_notice(situation) is None
    assert long_notice(situation * 50) == LONG_QUESTION  # no closing question: its start is read
    cut = (situation * 400)[:MAX_PASTE]
    assert long_notice(cut) == TOO_LONG_QUESTION
    assert long_notice(situation * 400) == TOO_LONG_QUESTION  # over it, through the API


def test_sources_with_one_title_are_told_apart_in_the_list() -> None:
    """The §2.3.1 role cells share a title: the list of the last answer's sources showed three
    identical lines (a review); each now shows what it quotes."""
    cells = [p for p in load_passages() if p.kind == "role" and p.section.endswith("competenties")][:2]
    assert len(cells) == 2 and cells[0].section == cells[1].section
    citations = [Citation.of(n, p) for n, p in enumerate(cells, start=1)]
    answer = Answer(question="Welke rol past bij mij?", answer="", citations=citations)
    labels = [label for label, _ in citation_choices([{"question": "?", "answer": answer.model_dump(mode="json")}])]
    assert len(set(labels)) == 2 and all("“" in label for label in labels), labels


def test_the_sources_list_of_an_answer_tells_sources_with_one_title_apart() -> None:
    """The Markdown "Bronnen" (CLI, export) printed three identical "SETA, De cruciale faalfactor"
    lines (an independent review): lines that would be the same end on their quote's opening, a
    list item's mark left out; a line that differs stays as it was."""
    from secretarisbot.render import sources_markdown

    row = next(p for p in load_passages() if p.kind == "intervention" and p.text.count("\n- ") >= 2)
    items = [i + 1 for i in range(len(row.text)) if row.text.startswith("\n- ", i)][:2]
    other = next(p for p in load_passages() if p.section != row.section)
    citations = [Citation.of(1, row).model_copy(update={"quotes": [(a, a + 40)]}) for a in items]
    citations = [c.model_copy(update={"n": n}) for n, c in enumerate([*citations, Citation.of(3, other)], start=1)]
    lines = [line for line in sources_markdown(citations).splitlines() if line.startswith("[")]
    assert len(set(lines)) == 3 and all("(“" in line for line in lines[:2]) and "(“" not in lines[2], lines
    assert not any("(“-" in line for line in lines), lines


def test_sources_told_apart_by_more_than_their_heading_or_a_shared_opening() -> None:
    """Two labels that stayed the same or said nothing (an independent review): two quotes that
    open alike get the words that tell them apart, and a citation without a quote shows its
    passage's first words after the heading it opens with (the label names that heading)."""
    from secretarisbot.render import MAX_OPENING_WORDS, told_apart

    row = next(p for p in load_passages() if p.text.count(". ") >= 3 and "\n" in p.text.strip())
    first_line = row.text.partition("\n")[0].strip()
    heading = row.model_copy(update={"section": f"Hoofdstuk › {first_line}"})
    bare = Citation.of(1, heading)
    assert not told_apart(["x", "x"], [bare, bare])[0].startswith(f"x (“{' '.join(first_line.split()[:3])}"), row.text[:80]
    sentence = "De beleidsregisseur heeft ook de rol van procesbewaker bij de ambtelijke uitwerking van de wensen."
    text = f"{sentence} Dat werkt goed. {sentence} Dat werkt niet."
    p = row.model_copy(update={"text": text, "end": row.start + len(text)})
    one = Citation.of(1, p).model_copy(update={"quotes": [(0, len(sentence) + 16)]})
    two = Citation.of(2, p).model_copy(update={"quotes": [(len(sentence) + 16, len(text))]})
    again = told_apart(["SETA, De cruciale faalfactor"] * 2, [one, two])
    assert again[0] != again[1] and all("procesbewaker" in label for label in again), again
    # a third source whose quote opens otherwise keeps a short opening; the same quote twice stays
    # alike at a bounded length; nothing to show, no brackets
    three = Citation.of(3, p).model_copy(update={"quotes": [(len(sentence) + 1, len(sentence) + 16)]})
    labels = told_apart(["SETA, De cruciale faalfactor"] * 3, [one, two, three])
    assert labels[2] == "SETA, De cruciale faalfactor (“Dat werkt goed.”)", labels
    twice = told_apart(["x", "x"], [one, one])
    assert twice[0] == twice[1] and len(twice[0].split()) <= MAX_OPENING_WORDS + 2, twice
    empty = one.model_copy(update={"quotes": [(0, 0)]})
    assert told_apart(["x", "x"], [empty, two])[0] == "x"


def test_a_quote_that_opens_with_a_quotation_mark_is_not_marked_twice() -> None:
    """A testimony quoted from its first word ("“Vaak weet je …") keeps one pair of marks in its
    source label, not "(““Vaak weet je …”)" (an independent review)."""
    from secretarisbot.render import told_apart

    row = next(p for p in load_passages() if p.text.count(". ") >= 3)
    text = "“Vaak weet je dat iemand eigenlijk niet mee wil doen.” Zo veel verloren tijd. “Kort.”"
    p = row.model_copy(update={"text": text, "end": row.start + len(text)})
    one = Citation.of(1, p).model_copy(update={"quotes": [(0, 55)]})
    two = Citation.of(2, p).model_copy(update={"quotes": [(78, len(text))]})
    labels = told_apart(["VNG zeven stops, 4. Vertrouwen"] * 2, [one, two])
    assert labels[0].startswith("VNG zeven stops, 4. Vertrouwen (“Vaak weet je") and "““" not in labels[0], labels
    assert labels[1] == "VNG zeven stops, 4. Vertrouwen (“Kort.”)", labels
    # a quotation that closes halfway keeps its marks: they stay paired
    half = "“Kort.” En verder gaat het."
    q = row.model_copy(update={"text": half, "end": row.start + len(half)})
    three = Citation.of(3, q).model_copy(update={"quotes": [(0, len(half))]})
    label = told_apart(["x", "x"], [three, one])[0]
    assert label == "x (““Kort.” En verder gaat het.”)", label
