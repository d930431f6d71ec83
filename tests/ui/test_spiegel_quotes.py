"""The Spiegel's quotes read as the guide prints them: a list item on a line of its own."""

from __future__ import annotations

from secretarisbot.reflect.exercises import HANDREIKING, Quote
from secretarisbot.ui.spiegel import _cite_html, _lines


def test_list_items_keep_their_own_line_and_wrapped_lines_are_joined() -> None:
    text = "Leunt op x of\n\n- ... in de context\n  van een herindeling.\n- ... tweede item.\n\nHeeft vaak"
    assert _lines(text) == ["Leunt op x of", "- ... in de context van een herindeling.", "- ... tweede item.", "Heeft vaak"]
    assert _lines("Een zin die\nover twee regels loopt.") == ["Een zin die over twee regels loopt."]


def test_a_quote_is_shown_escaped_with_its_items_on_lines() -> None:
    html = _cite_html(None, Quote(HANDREIKING, "Leunt op <x> of\n- ... een item.", "2.3"))
    assert html.startswith("<blockquote>Leunt op &lt;x&gt; of<br>- ... een item.</blockquote>")
