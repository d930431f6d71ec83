"""How answers, sources and exports are rendered (real passages from the corpus)."""

from __future__ import annotations

import pytest

from secretarisbot.corpus import load_passages
from secretarisbot.model import Answer, Citation, RolePerspective
from secretarisbot.settings import Settings
from secretarisbot.ui.chat import (
    answer_body,
    citation_choices,
    export_markdown,
    format_answer,
    format_sources,
    to_messages,
)
from secretarisbot.ui.services import Services


@pytest.fixture(scope="module")
def tegenmacht():
    return next(p for p in load_passages() if p.document == "000" and "Wie vormt welke tegenmacht" in p.text)


def _answer(p, **kw) -> Answer:
    c = Citation.of(1, p)
    body = "Zoek bewust tegenmacht, bijvoorbeeld bij de griffier. [1]\n\n**Bronnen**\n\n[1] Handreiking 2026, 2.4.1"
    return Answer(question="Wie helpt mij?", answer=body, citations=[c], **kw)


def test_markers_link_to_the_reader_and_the_plain_source_list_is_dropped(tegenmacht):
    md = format_answer(_answer(tegenmacht))
    assert f"[\\[1\\]](?doc=000&passage={tegenmacht.id} " in md
    assert "**Bronnen**" not in md
    assert answer_body(_answer(tegenmacht)).endswith("[1]")


def test_sources_show_title_section_quote_and_link(tegenmacht):
    src = format_sources(_answer(tegenmacht))
    assert src.startswith("**[1] Samenvoegen of samenwerken")
    assert "> " in src and "tegenmacht" in src
    assert f"[Open in de lezer](?doc=000&passage={tegenmacht.id})" in src


def test_fallback_notice_is_visible(tegenmacht):
    md = format_answer(_answer(tegenmacht, mode="bronnen", notice="Het taalmodel reageerde niet; dit is de bronnenmodus."))
    assert md.startswith("> **Let op:** Het taalmodel reageerde niet")


def test_role_perspectives_shown_once(tegenmacht):
    rp = RolePerspective(role="Politicus", text="Zoek de griffier op. [1]", citations=[1])
    separate = format_answer(_answer(tegenmacht, roles=[rp]))
    assert separate.count("**Politicus:**") == 1 and "[1]][1]" not in separate
    inline = _answer(tegenmacht, roles=[rp]).model_copy(
        update={"answer": "- **Politicus**: Zoek de griffier op. [1]"}
    )
    assert format_answer(inline).count("Politicus") == 1


def test_messages_choices_and_export(tegenmacht):
    turns = [{"question": "Wie helpt mij?", "answer": _answer(tegenmacht).model_dump(mode="json"), "role": "Alle vier"}]
    msgs = to_messages(turns)
    assert msgs[-1]["metadata"]["title"] == "Bronnen (1)"
    (label, value), = citation_choices(turns)
    assert label.startswith("[1] Samenvoegen of samenwerken — ")
    assert value == f"000|{tegenmacht.id}|{tegenmacht.start}|{tegenmacht.end}"
    md = export_markdown(turns, "Bronnenmodus")
    assert "## Vraag: Wie helpt mij?" in md and "### Bronnen" in md and "Wie vormt welke tegenmacht" in md


def test_mode_label_names_the_configured_llm():
    assert Services(Settings()).mode_label().startswith("Bronnenmodus")
    label = Services(Settings(llm="openai", llm_model="qwen2.5-7b")).mode_label()
    assert "qwen2.5-7b" in label and "bronnenmodus" in label
