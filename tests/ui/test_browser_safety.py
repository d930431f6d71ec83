"""Two people in two real browser contexts, logged in as themselves (issue 12, findings 1 and 7).

1. "Mijn spiegel" downloaded at the same moment by two people: each file holds the person's own
   text (it was a shared temp file named by route and second: A's download held B's text).
7. The conversation survives a reload, per person; the chat's trash icon deletes it for real (it
   used to clear the screen only, and the old turns came back with the next question).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apphelpers import ARTIFACTS, QUESTION, free_port, launch, log_in
from secretarisbot.reflect.store import ReflectionStore
from secretarisbot.settings import Settings
from secretarisbot.ui.profiles import USER_PREFIX
from secretarisbot.ui.spiegel import MIRROR

pytestmark = pytest.mark.slow

PEOPLE = {"anna": "wachtwoord-anna", "bert": "wachtwoord-bert"}


@pytest.fixture(scope="module")
def login_app(tmp_path_factory: pytest.TempPathFactory):
    from standins import CorpusIndex, LexicalAssistant

    home = tmp_path_factory.mktemp("safe-home")
    auth = ",".join(f"{name}:{password}" for name, password in PEOPLE.items())
    settings = Settings(home=home, port=free_port(), auth=auth)
    index = CorpusIndex(settings)
    running = launch(settings, LexicalAssistant(index), index)
    yield running
    running.demo.close()


def _person(browser, app, name: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, app.url, name, PEOPLE[name])
    return context, page, errors


def test_two_people_download_their_own_mirror_at_the_same_moment(login_app, browser) -> None:
    store = ReflectionStore.for_settings(login_app.settings)
    texts = {name: f"Het startpunt van {name}: merkteken-{name}-8231." for name in PEOPLE}
    for name, text in texts.items():
        store.save(USER_PREFIX + name, "spiegel", "startpunt", "tekst", text)
        store.set_step(USER_PREFIX + name, "spiegel", MIRROR)

    people = {name: _person(browser, login_app, name) for name in PEOPLE}
    try:
        for name, (_, page, _) in people.items():
            page.get_by_role("tab", name="Spiegel").click()
            page.locator("#sb-mirror").get_by_text(texts[name]).wait_for(timeout=30_000)
        (_, anna, anna_errors), (_, bert, bert_errors) = people["anna"], people["bert"]
        with anna.expect_download(timeout=30_000) as got_a, bert.expect_download(timeout=30_000) as got_b:
            anna.locator("#sb-mirror-download").click()
            bert.locator("#sb-mirror-download").click()
        files = {"anna": got_a.value, "bert": got_b.value}
        for name, download in files.items():
            other = next(n for n in PEOPLE if n != name)
            content = Path(download.path()).read_text(encoding="utf-8")
            assert content.startswith("# Mijn spiegel")
            assert texts[name] in content, (name, content[:300])
            assert texts[other] not in content
            assert download.suggested_filename == "mijn-spiegel-spiegel.md"
        # What each screen shows is that person's own text too.
        assert texts["bert"] not in anna.locator("#sb-mirror").inner_text()
        assert texts["anna"] not in bert.locator("#sb-mirror").inner_text()
        anna.screenshot(path=ARTIFACTS / "8-spiegel-anna.png")
        assert not anna_errors and not bert_errors, (anna_errors, bert_errors)
    finally:
        for context, _, _ in people.values():
            context.close()


def test_conversation_survives_a_reload_per_person_and_the_trash_icon_deletes_it(login_app, browser) -> None:
    calls = login_app.assistant.calls
    anna_ctx, anna, errors = _person(browser, login_app, "anna")
    try:
        anna.get_by_role("button", name=QUESTION).click()
        anna.get_by_text("Bronnen (").first.wait_for(timeout=60_000)
        anna.wait_for_function("!document.querySelector('#sb-export')?.disabled", timeout=30_000)

        # A reload (or a new tab) shows the conversation again, with its sources.
        anna.reload()
        anna.wait_for_selector("#sb-question textarea", timeout=60_000)
        anna.locator("#sb-chat").get_by_text(QUESTION).wait_for(timeout=30_000)
        anna.get_by_text("Bronnen (").first.wait_for(timeout=30_000)

        # The other person sees nothing of it.
        bert_ctx, bert, bert_errors = _person(browser, login_app, "bert")
        bert.wait_for_timeout(1500)  # the page's load events have run
        assert bert.locator("#sb-chat").get_by_text(QUESTION).count() == 0
        assert not bert_errors
        bert_ctx.close()

        # "Gesprek wissen" asks first; Gradio's own trash icon, which cannot ask, is not shown.
        trash = anna.locator("#sb-chat").get_by_role("button", name=re.compile("^(Clear|Gesprek wissen)$"))
        assert trash.count() == 0 or not trash.first.is_visible()
        anna.locator("#sb-clear").click()
        anna.locator("#sb-clear-no").click()  # "Annuleren": nothing is lost
        anna.wait_for_timeout(500)
        assert anna.locator("#sb-chat").get_by_text(QUESTION).count() >= 1
        # Wissen, confirmed, deletes the conversation: after a reload it is still gone...
        anna.locator("#sb-clear").click()
        anna.locator("#sb-clear-yes").click()
        anna.wait_for_function(
            "document.querySelector('#sb-export')?.disabled === true", timeout=30_000
        )
        anna.reload()
        anna.wait_for_selector("#sb-question textarea", timeout=60_000)
        anna.wait_for_timeout(1500)
        assert anna.locator("#sb-chat").get_by_text(QUESTION).count() == 0
        # ... and the next question starts without the old turns.
        anna.locator("#sb-question textarea").fill("Hoe houd ik draagvlak in de raad?")
        anna.locator("#sb-question textarea").press("Enter")
        anna.get_by_text("Bronnen (").first.wait_for(timeout=60_000)
        asked, history, _role = calls[-1]
        assert asked == "Hoe houd ik draagvlak in de raad?"
        assert history == []
        assert anna.locator("#sb-chat").get_by_text(QUESTION).count() == 0
        assert not errors, errors
    finally:
        anna_ctx.close()
