"""The app with the real index and Assistant: cited answers whose passages the reader highlights."""

from __future__ import annotations

import re
from html import unescape

import pytest

from apphelpers import QUESTION, text_of, value_of

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_example_question_cites_real_passages_that_open_in_the_reader(real_app, real_index):
    client = real_app.client()
    chatbot, _q, cites = client.predict(QUESTION, "Alle vier", api_name="/vraag")
    answer, sources = chatbot[1], chatbot[2]
    assert "[\\[1\\]](?doc=" in text_of(answer)
    assert sources["metadata"]["title"].startswith("Bronnen (")
    choices = [value for _label, value in cites["choices"]]
    assert choices
    for value in choices:
        doc, pid, start, end, _quotes = value.split("|")
        passage = real_index.passage(pid)
        assert real_index.normalized(doc)[int(start) : int(end)] == passage.text
    # The first source opens in the reader with exactly that passage highlighted.
    doc, pid, *_ = choices[0].split("|")
    result = client.predict(choices[0], api_name="/open_bron")
    html = value_of(result[-1])
    marked = html.split('id="sb-highlight" tabindex="-1">', 1)[1].split("</mark>", 1)[0]
    # the quoted sentences are marked, as from a [n] link in the answer
    assert '<strong class="sb-quoted">' in html
    marked = " ".join(unescape(re.sub(r"</?strong[^>]*>", "", marked.replace("<br>", " "))).split())
    assert marked and marked in " ".join(real_index.passage(pid).text.replace("**", "").split())


def test_role_choice_reframes_the_answer(real_app):
    client = real_app.client()
    chatbot, *_ = client.predict(QUESTION, "Bedrijfseconoom", api_name="/vraag")
    assert "Bedrijfseconoom" in text_of(chatbot[1])


def test_out_of_scope_question_gets_a_dutch_refusal(real_app):
    chatbot, *_ = real_app.client().predict("Wat is het recept voor appeltaart?", "Alle vier", api_name="/vraag")
    text = text_of(chatbot[1])
    assert "bronnen" in text.lower()
    assert "Traceback" not in text


def test_verdieping_uses_the_real_retriever(real_app):
    md = real_app.client().predict(
        "r1", "spiegel", "bondgenoten", "De griffier hielp om de nieuwe raad in te werken.", *[""] * 6,
        api_name="/spiegel_verdieping",
    )
    assert md.startswith("**Passages bij wat je schreef")
    assert "riffier" in md


def test_a_list_and_a_follow_up_on_one_of_its_items(real_app):
    # The overview invites "vraag door over een van deze onderdelen"; the app's history carries it.
    client = real_app.client()
    chatbot, *_ = client.predict("Wat zijn de zeven stops?", "Alle vier", api_name="/vraag")
    listed = text_of(chatbot[1])
    assert listed.startswith("**Overzicht**") and "7. **Onthecht en verbind**" in listed
    chatbot, *_ = client.predict("Vertel meer over de derde.", "Alle vier", api_name="/vraag")
    follow_up = text_of(chatbot[-2])
    assert "De bronnen gaan hier niet over" not in follow_up
    assert "leiderschap" in follow_up.lower()
