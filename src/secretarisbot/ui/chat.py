"""Chat: streamed answers in the sections of the answer contract, with checkable sources."""

import logging
import re
import time
import uuid
from typing import Any

from secretarisbot.assistant import ASK_SHARE, MAX_QUESTION_CHARS, closing_question
from secretarisbot.errors import InputError, SecretarisbotError
from secretarisbot.model import ROLES, Answer, Message
from secretarisbot.reflect.store import MAX_TURNS, ConversationStore
from secretarisbot.render import SOURCES_TITLE, section_markdown, short_section, told_apart
from secretarisbot.ui.profiles import profile_key
from secretarisbot.ui.reader import parse_quotes, passage_link
from secretarisbot.ui.services import Services

log = logging.getLogger("secretarisbot.ui")

ALL_ROLES = "Alle vier"
EXAMPLES = [
    "Wat doe ik als de mede-directeur blokkeert?",
    "Hoe houd ik draagvlak in de raad tijdens een herindeling?",
    "Welke rol past bij mij in de verkenningsfase?",
    "Hoe ga ik om met cultuurverschillen na een ambtelijke fusie?",
    "Wat moet ik regelen in mijn eerste honderd dagen als gemeentesecretaris?",
    "Wat zijn de drie spanningsvelden?",
]
#: What the question box accepts: ten times what the assistant reads (assistant.MAX_QUESTION_CHARS),
#: so a long paste reaches the app whole, is kept in the conversation, and the user is told which
#: part was read (a user check found a 5,000-character paste cut silently by the browser). The box
#: says where it stops ("tot 20.000 tekens").
MAX_PASTE = 10 * MAX_QUESTION_CHARS


def _dutch_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


LONG_QUESTION = (
    f"Je vraag is lang: ik lees de eerste {_dutch_number(MAX_QUESTION_CHARS)} tekens. "
    "Je hele tekst blijft in het gesprek staan."
)
#: ... when the text ends on a question, that is read too (assistant.closing_question).
LONG_QUESTION_ASKED = (
    f"Je vraag is lang: ik lees de eerste {_dutch_number(MAX_QUESTION_CHARS)} tekens, en de vraag "
    "waarmee je tekst eindigt. Je hele tekst blijft in het gesprek staan."
)
#: At MAX_PASTE (where the question box stops, or over it through the API) the rest is dropped, and said.
TOO_LONG_QUESTION = (
    f"Je vraag is ingekort tot {_dutch_number(MAX_PASTE)} tekens; daarvan lees ik de eerste "
    f"{_dutch_number(MAX_QUESTION_CHARS)}."
)
CANNOT_RUN = (
    "Er ging iets mis bij het maken van dit antwoord. Probeer het opnieuw; blijft het misgaan, "
    "bouw dan de index opnieuw met: secretarisbot index --rebuild"
)


def _link_markers(text: str, answer: Answer) -> str:
    """Turn each [n] into a link that opens the cited passage (title + section as tooltip)."""
    by_n = {c.n: c for c in answer.citations}

    def repl(m: re.Match[str]) -> str:
        c = by_n.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        tip = f"{c.title} — {c.section}".replace('"', "'") if c.section else c.title.replace('"', "'")
        return f'[\\[{c.n}\\]]({passage_link(c.document, c.passage_id, c.start, c.end, c.quotes)} "{tip}")'

    return re.sub(r"\[(\d{1,3})\]", repl, text)


def _quote(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return "> " + text


def answer_body(answer: Answer) -> str:
    """The answer as Markdown without its sources lists (the UI shows richer sources): rendered
    from the typed sections, folded ones as a collapsible block; a refusal or an LLM answer
    in progress has no sections and is shown as it is."""
    if not answer.sections:
        return answer.answer.strip()
    parts = []
    for section in answer.sections:
        if section.kind == "more":
            continue
        text = section_markdown(section)
        if section.folded and section.title:
            body = section_markdown(section.model_copy(update={"title": ""}))
            text = f"<details><summary>{section.title}</summary>\n\n{body}\n\n</details>"
        parts.append(text)
    return "\n\n".join(parts)


def more_in_sources(answer: Answer) -> str:
    """'Meer in de bronnen': further passages by title, each a link into the reader (folded)."""
    by_id = {p.id: p for p in answer.passages}
    lines = []
    for section in answer.sections:
        if section.kind != "more":
            continue
        for item in section.items:
            p = by_id.get(item.passage_id or "")
            if p is not None:
                lines.append(f"- [{item.label}]({passage_link(p.document, p.id, p.start, p.end)})")
    if not lines:
        return ""
    title = next(s.title for s in answer.sections if s.kind == "more")
    return f"<details><summary>{title}</summary>\n\n" + "\n".join(lines) + "\n\n</details>"


def format_answer(answer: Answer) -> str:
    """The assistant's message: notice, the answer's sections, further passages, in Markdown."""
    parts: list[str] = []
    if answer.notice:
        parts.append(f"> **Let op:** {answer.notice}")
    parts.append(_link_markers(answer_body(answer), answer) or "…")
    more = more_in_sources(answer)
    if more:
        parts.append(more)
    return "\n\n".join(parts)


def format_sources(answer: Answer) -> str:
    """The sources block: per citation the title, section, quoted passage and a reader link."""
    lines = []
    for c in answer.citations:
        where = f"{c.title}" + (f" — {short_section(c.section)}" if c.section else "")
        link = passage_link(c.document, c.passage_id, c.start, c.end, c.quotes)
        lines.append(f"**[{c.n}] {where}**\n\n{_quote(c.text)}\n\n[Open in de lezer]({link})")
    return "\n\n---\n\n".join(lines)


#: Characters that make Markdown or HTML of a text in the chat: an image ("![x](url)",
#: "<img src=…>") pasted with a question would load from wherever it points. Dots, brackets and
#: dashes stay as they are: escaped inside a web address they would show as typed backslashes.
_MARKUP_CHARS = re.compile(r"([\\`*_\[\]!<>#|~$&])")


def shown_question(text: str) -> str:
    """A question as the chat shows it: its text, never markup. Every character that could start
    an image, a tag or emphasis is backslash-escaped (CommonMark shows an escaped punctuation mark
    as itself), so the screen and the screen reader get the text as typed."""
    return _MARKUP_CHARS.sub(r"\\\1", text)


def to_messages(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chatbot messages for the stored turns ({question, answer: Answer-json})."""
    msgs: list[dict[str, Any]] = []
    for t in turns:
        msgs.append({"role": "user", "content": shown_question(t["question"])})
        if t.get("error"):
            msgs.append({"role": "assistant", "content": t["error"]})
            continue
        answer = Answer.model_validate(t["answer"])
        msgs.append({"role": "assistant", "content": format_answer(answer)})
        if answer.citations:
            msgs.append(
                {
                    "role": "assistant",
                    "content": format_sources(answer),
                    "metadata": {"title": f"{SOURCES_TITLE} ({len(answer.citations)})", "status": "done"},
                }
            )
        if answer.follow_ups and t is turns[-1]:
            # suggested next questions, clickable (Chatbot.option_select); Gradio shows the options
            # of the conversation's last message only: the answer's, or its sources' after it
            msgs[-1]["options"] = [{"value": q, "label": q} for q in answer.follow_ups]
    return msgs


def history_of(turns: list[dict[str, Any]]) -> list[Message]:
    out: list[Message] = []
    for t in turns:
        if t.get("error"):
            continue
        out.append(Message(role="user", content=t["question"]))
        out.append(Message(role="assistant", content=t["answer"].get("answer", "")))
    return out


def citation_choices(turns: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, 'doc|passage|start|end|quotes') of the citations of the last answered turn; quotes
    as the reader link writes them ("12-80,95-140"), so the reader marks the quoted sentences."""
    for t in reversed(turns):
        if t.get("answer"):
            answer = Answer.model_validate(t["answer"])
            labels = [c.title + (f" — {short_section(c.section)}" if c.section else "") for c in answer.citations]
            # sources with one title (the §2.3.1 role cells) told apart by what was quoted (a review)
            return [
                (f"[{c.n}] {label}",
                 f"{c.document}|{c.passage_id}|{c.start}|{c.end}|" + ",".join(f"{a}-{b}" for a, b in c.quotes))
                for c, label in zip(answer.citations, told_apart(labels, answer.citations), strict=True)
            ]
    return []


def export_markdown(turns: list[dict[str, Any]], mode_label: str = "") -> str:
    lines = ["# Gesprek met secretarisbot", "", f"_{time.strftime('%d-%m-%Y %H:%M')}_", ""]
    if mode_label:
        lines += [f"_{mode_label}_", ""]
    for t in turns:
        lines += [f"## Vraag: {t['question']}", ""]
        if t.get("error"):
            lines += [t["error"], ""]
            continue
        answer = Answer.model_validate(t["answer"])
        if t.get("role"):
            lines += [f"_Bekeken vanuit: {t['role']}_", ""]
        if answer.notice:
            lines += [f"> **Let op:** {answer.notice}", ""]
        lines += [answer_body(answer), ""]
        if answer.citations:
            lines += ["### Bronnen", ""]
            for c in answer.citations:
                where = c.title + (f", {c.section}" if c.section else "")
                lines += [f"[{c.n}] {where}", "", _quote(c.text, 1200), ""]
    return "\n".join(lines)


SAVE_FAILED = "Het gesprek kon niet worden bewaard; het staat nog wel op je scherm."


def answer_stream(services: Services, question: str, turns: list[dict[str, Any]], role: str | None):
    """Yield (Answer | None, error message | None) while the assistant streams."""
    try:
        assistant = services.assistant()
        last = None
        for partial in assistant.stream(question, history_of(turns), role=role):
            last = partial
            yield partial, None
        if last is None:
            yield None, CANNOT_RUN
    except SecretarisbotError as err:
        yield None, str(err)
    except Exception:
        log.exception("answering failed")
        yield None, CANNOT_RUN


def build(services: Services) -> dict[str, Any]:
    """Create the chat components inside the current Blocks context; returns them by name."""
    import gradio as gr

    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label="Gesprek",
                show_label=False,
                elem_id="sb-chat",
                height="62vh",
                min_height=320,
                buttons=["copy"],
                feedback_options=None,
                placeholder=(
                    "**Stel een vraag over je situatie.** Elk antwoord verwijst naar de passages uit "
                    "de handreikingen waarop het rust."
                ),
                group_consecutive_messages=False,
                layout="panel",
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    label="Je vraag",
                    placeholder="Typ je vraag over je situatie",
                    info=f"Enter verstuurt de vraag (tot {_dutch_number(MAX_PASTE)} tekens).",
                    lines=1,
                    max_lines=8,
                    max_length=MAX_PASTE,
                    scale=5,
                    elem_id="sb-question",
                    autofocus=True,
                )
                send = gr.Button("Vraag", variant="primary", scale=1, min_width=90, elem_id="sb-send")
            gr.Markdown("Voorbeeldvragen", elem_classes=["sb-label"])
            with gr.Row(elem_classes=["sb-examples"]):
                example_buttons = [
                    gr.Button(q, size="sm", variant="secondary", elem_classes=["sb-example"]) for q in EXAMPLES
                ]
        with gr.Column(scale=2, min_width=280, elem_classes=["sb-side"]):
            role = gr.Radio(
                choices=[ALL_ROLES, *ROLES],
                value=ALL_ROLES,
                label="Bekijk vanuit",
                info="Eén roltype uit de handreiking, of alle vier.",
                elem_id="sb-role",
            )
            mode = gr.Markdown(services.mode_label(), elem_classes=["sb-mode"], elem_id="sb-mode")
            cites = gr.Radio(
                choices=[],
                label="Bronnen bij het laatste antwoord",
                info="Kies een bron en open hem in de lezer.",
                elem_id="sb-cites",
            )
            open_cite = gr.Button("Open bron in de lezer", elem_id="sb-open-cite", interactive=False)
            with gr.Row():
                # The browser saves the file from the text the server sends for this request only;
                # no export is ever written to the server's disk (see spiegel.download_js).
                export = gr.Button("Gesprek downloaden (.md)", interactive=False, elem_id="sb-export", size="md")
                clear = gr.Button("Gesprek wissen", elem_id="sb-clear", size="md")
            # Wissen is for good: it asks first, as "Alles wissen" in the Spiegel does (a user check
            # found one click enough to lose a conversation).
            with gr.Row(visible=False) as clear_confirm:
                clear_yes = gr.Button("Ja, wis het gesprek", variant="stop", elem_id="sb-clear-yes", size="md")
                clear_no = gr.Button("Annuleren", elem_id="sb-clear-no", size="md")
            export_text = gr.Textbox(value="", visible="hidden", label="Export", elem_id="sb-export-text")
            gr.Markdown(
                "Je gesprek blijft bewaard, alleen voor jou, tot je het wist met 'Gesprek wissen'.",
                elem_classes=["sb-help"],
            )
    return {
        "clear_confirm": clear_confirm,
        "clear_yes": clear_yes,
        "clear_no": clear_no,
        "turns": turns,
        "chatbot": chatbot,
        "question": question,
        "send": send,
        "examples": example_buttons,
        "role": role,
        "mode": mode,
        "cites": cites,
        "open_cite": open_cite,
        "export": export,
        "export_text": export_text,
        "clear": clear,
    }


#: Marks a turn of the session that was asked without a profile id, so never stored (chat.wire's
#: ``stored``); not written with the conversation.
UNSAVED = "unsaved"


def wire(services: Services, c: dict[str, Any], *, profile: Any, loaded: Any) -> None:
    """Attach the chat's event handlers. ``profile`` is the component with the browser's profile id
    and ``loaded`` the page-load event after which it is set (see ``spiegel.wire``)."""
    import gradio as gr

    from secretarisbot.ui.spiegel import SHOW_JS, download_js, with_profile_js

    chats = ConversationStore.for_settings(services.settings)
    login = services.login

    def key_of(sent: str | None, request: gr.Request | None) -> str | None:
        """The profile whose conversation this is; None (an API client of an app without login that
        sent no id) keeps the conversation in the session only, as before."""
        try:
            return profile_key(login, request, sent, empty=None)
        except InputError as err:
            raise gr.Error(str(err)) from None

    def stored(key: str | None, turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The conversation of profile ``key``. When it has none stored, this tab's turns that no
        profile ever had (:data:`UNSAVED`: asked before the page had set its profile id, in the first
        moments after loading; they vanished at the next question): never turns that were stored
        once (deleted since, in another tab or with ``account delete-data``) or another profile's."""
        session = list(turns or [])[-MAX_TURNS:]
        if key is None:
            return session
        try:
            saved = chats.load(key)
        except Exception:
            log.exception("loading the conversation failed")
            return session
        return saved or (session if session and all(t.get(UNSAVED) for t in session) else [])

    def keep(key: str | None, turns: list[dict[str, Any]]) -> None:
        if key is None:
            return
        try:
            chats.save(key, [{k: v for k, v in t.items() if k != UNSAVED} for t in turns])
        except Exception:
            log.exception("saving the conversation failed")
            gr.Warning(SAVE_FAILED)

    def respond(
        message: str, turns: list[dict[str, Any]], role_choice: str, key: str | None, replace_last: bool = False
    ):
        notice = long_notice(message or "")
        message = (message or "").strip()
        turns = stored(key, turns)
        if not message:
            gr.Warning("Typ eerst een vraag.")
            yield _outputs(services, turns, keep_question=True)
            return
        if notice:
            gr.Warning(notice)
            message = message[:MAX_PASTE]
        role = None if role_choice in (None, "", ALL_ROLES) else role_choice
        if replace_last and turns:
            turns = turns[:-1]
        conv = turns[0].get("conv") if turns else uuid.uuid4().hex[:12]
        base = list(turns)[-(MAX_TURNS - 1):]
        shown = to_messages(base) + [
            {"role": "user", "content": shown_question(message)},
            {"role": "assistant", "content": "_Ik zoek de passages bij je vraag…_"},
        ]
        yield shown, base, "", gr.update(), gr.update(), gr.update()
        final: dict[str, Any] | None = None
        for partial, error in answer_stream(services, message, base, role):
            if error:
                final = {"question": message, "error": error, "role": role_choice, "conv": conv}
                break
            pending = {
                "question": message, "answer": partial.model_dump(mode="json"), "role": role_choice, "conv": conv,
            }
            yield to_messages(base + [pending]), base, "", gr.update(), gr.update(), gr.update()
            final = pending
        if final is None:
            final = {"question": message, "error": CANNOT_RUN, "role": role_choice, "conv": conv}
        if key is None:
            final[UNSAVED] = True
        keep(key, base + [final])
        yield _outputs(services, base + [final])

    def respond_api(message: str, turns: list[dict[str, Any]], role_choice: str, sent: str, request: gr.Request):
        yield from respond(message, turns, role_choice, key_of(sent, request))

    def reframe(turns: list[dict[str, Any]], role_choice: str, sent: str, request: gr.Request):
        key = key_of(sent, request)
        turns = stored(key, turns)
        if not turns:
            yield _outputs(services, turns, keep_question=True)
            return
        yield from respond(turns[-1]["question"], turns, role_choice, key, replace_last=True)

    outs = [c["chatbot"], c["turns"], c["question"], c["cites"], c["open_cite"], c["export"]]
    inputs = [c["question"], c["turns"], c["role"], profile]
    # A question can be sent before the page's start has set the profile id: the browser adds it.
    sent_js = with_profile_js(inputs.index(profile))
    c["question"].submit(respond_api, inputs, outs, api_name="vraag", concurrency_limit=4, js=sent_js).then(
        None, js=SHOW_ANSWER_JS
    )
    c["send"].click(respond_api, inputs, outs, api_visibility="private", js=sent_js).then(
        None, js=SHOW_ANSWER_JS
    )

    def ask_example(q: str):
        def run(turns: list[dict[str, Any]], role_choice: str, sent: str, request: gr.Request):
            yield from respond(q, turns, role_choice, key_of(sent, request))

        return run

    example_inputs = [c["turns"], c["role"], profile]
    for button, q in zip(c["examples"], EXAMPLES, strict=True):
        button.click(
            ask_example(q), example_inputs, outs, api_visibility="private",
            js=with_profile_js(example_inputs.index(profile)),
        ).then(None, js=SHOW_ANSWER_JS)
    c["role"].input(reframe, [c["turns"], c["role"], profile], outs, api_visibility="private").then(
        None, js=SHOW_ANSWER_JS
    )

    def follow_up(turns: list[dict[str, Any]], role_choice: str, sent: str, selected: gr.SelectData,
                  request: gr.Request):
        """A suggested follow-up question clicked under the last answer."""
        yield from respond(str(selected.value), turns, role_choice, key_of(sent, request))

    c["chatbot"].option_select(
        follow_up, [c["turns"], c["role"], profile], outs, api_visibility="private"
    ).then(None, js=SHOW_ANSWER_JS)

    def restore(sent: str, request: gr.Request):
        """The stored conversation of this user, shown again after a reload. Nothing stored leaves
        the screen as it is: a first question sent while the page was still loading stays."""
        key = key_of(sent, request)
        turns = stored(key, [])
        if not turns:
            return tuple(gr.update() for _ in outs)
        return _outputs(services, turns, keep_question=True)

    loaded.then(restore, profile, outs, api_visibility="private")

    def clear(sent: str, request: gr.Request):
        """Delete the conversation for good: on screen, in the session and on disk."""
        key = key_of(sent, request)
        if key is not None:
            try:
                chats.delete(key)
            except Exception as err:
                log.exception("deleting the conversation failed")
                raise gr.Error("Wissen lukte niet. Probeer het opnieuw.") from err
        return [], [], "", gr.update(choices=[], value=None), gr.update(interactive=False), gr.update(
            interactive=False
        )

    def asking(ask: bool):
        return gr.update(visible=ask), gr.update(visible=not ask)

    # the question appears where the button was, which may be the screen's bottom edge: it is
    # brought into view (a walk-through at 1366x900 saw nothing happen)
    c["clear"].click(lambda: asking(True), None, [c["clear_confirm"], c["clear"]], api_visibility="private").then(
        None, None, None, js=SHOW_JS.format(id="sb-clear-yes")
    )
    c["clear_no"].click(lambda: asking(False), None, [c["clear_confirm"], c["clear"]], api_visibility="private")
    # clicked before the page's start has set the id, it deletes this browser's conversation all the same
    c["clear_yes"].click(clear, profile, outs, api_name="wissen_gesprek", js=with_profile_js(0)).then(
        lambda: asking(False), None, [c["clear_confirm"], c["clear"]], api_visibility="private"
    )
    # Gradio's own trash icon in the chat's corner is hidden (style.css: it cannot ask first); should
    # it show after all, it deletes as "Ja, wis het gesprek" does, so screen and storage agree.
    c["chatbot"].clear(clear, profile, outs, api_visibility="private")

    def export(turns: list[dict[str, Any]], sent: str, request: gr.Request) -> str:
        """The conversation as Markdown (API: gesprek_downloaden); the page saves it as a file."""
        turns = stored(key_of(sent, request), turns)
        if not turns:
            raise gr.Error("Er is nog geen gesprek om te downloaden.")
        return export_markdown(turns, services.mode_label())

    c["export"].click(
        export, [c["turns"], profile], c["export_text"], api_name="gesprek_downloaden", js=with_profile_js(1)
    ).then(
        None, [c["export_text"], c["export_text"]], c["export_text"],
        js=download_js("'gesprek-secretarisbot-' + new Date().toISOString().slice(0, 10) + '.md'"),
    )
    c["cites"].change(
        lambda v: gr.update(interactive=bool(v)), c["cites"], c["open_cite"], api_visibility="private"
    )


#: After an answer: scroll the chat so that the last question stands at the top and the answer
#: reads from its first line (the chat follows the streaming text to its end, the suggested
#: follow-ups; a user check had to scroll back up for every answer, worse on a phone). Gradio's own
#: follow can still move the chat to its end just after the answer is complete (measured here: the
#: chat stood at its end 1 s after the answer, so one try at 250 ms was undone); tries at 250, 700
#: and 1,500 ms leave the question 8 px below the top edge, until the reader scrolls, clicks, taps
#: or types (then the reader's own scroll is kept). The
#: first try also brings the chat's top into the window when the page stands below it: on a phone the
#: chat is about a screen tall (style.css) and the page stood at the question field, the answer's
#: first line above the screen.
SHOW_ANSWER_JS = """() => {
  const show = (page) => {
    const chat = document.getElementById('sb-chat');
    if (page && chat && chat.getBoundingClientRect().top < 0) chat.scrollIntoView({block: 'start'});
    const rows = document.querySelectorAll('#sb-chat .user-row');
    const row = rows[rows.length - 1];
    if (!row) return;
    const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight;
    let box = row.parentElement;
    while (box && !scrolls(box)) box = box.parentElement;
    if (!box) return;
    const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - 8;
  };
  // a suggested follow-up clicked (or chosen with Enter) is gone with the new answer, and the focus
  // with it: it goes to the new question in the chat, so Tab reaches the answer's links next (a
  // keyboard user fell back to the page's start); no field is focused, no phone keyboard opens.
  // Not once a source link was opened since the answer came: "← Terug" puts the focus on that link
  // (a try at 1.5 s took it to the question instead: a CI run, 2026-12-04)
  const since = Date.now();
  const refocus = () => {
    if ((window.sbNavAt || 0) >= since) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const rows = document.querySelectorAll('#sb-chat .user-row');
    const row = rows[rows.length - 1];
    if (!row) return;
    row.setAttribute('tabindex', '-1');
    row.focus({preventScroll: true});
  };
  // window.sbAnswerView: the timed tries done and whether the watch below still runs (tests)
  const view = window.sbAnswerView = {tries: 0, watching: true, touched: false};
  // once the reader scrolls, clicks, taps or types, the chat is theirs: no try moves it any more
  // (a try that left a question in the upper half where it stood, for a reader who had scrolled
  // back, also left it 121 px down after a late re-render nobody asked for: a CI run, 2026-12-04)
  const attempt = (page) => { if (!view.touched) show(page); refocus(); view.tries += 1; };
  setTimeout(() => attempt(true), 250);
  [700, 1500].forEach((ms) => setTimeout(() => { attempt(false); rest(); }, ms));
  // The chat can still render or follow to its end after the last try when the machine is busy
  // (a browser test under load found the question out of sight 10 s after its answer): each
  // change or scroll of the chat repeats the try, until the reader scrolls with the wheel, clicks,
  // taps or types (scrolling by wheel, touch or keys is never undone; a screen reader's own
  // scrolling within the watch can be), or the chat has not changed for 3 s since the last timed
  // try or change, or after 15 s at most.
  const chat = document.getElementById('sb-chat');
  const inputs = ['wheel', 'touchstart', 'pointerdown', 'keydown'];
  const again = () => show(false);
  let idle = null;
  const watch = window.MutationObserver ? new MutationObserver(() => { again(); rest(); }) : null;
  const stop = (event) => {
    if (event && event.type) view.touched = true;
    view.watching = false;
    clearTimeout(idle);
    clearTimeout(cap);
    if (watch) watch.disconnect();
    if (chat) chat.removeEventListener('scroll', again, true);
    inputs.forEach((t) => window.removeEventListener(t, stop, true));
  };
  const rest = () => { if (!view.watching) return; clearTimeout(idle); idle = setTimeout(stop, 3000); };
  const cap = setTimeout(stop, 15000);
  if (!chat || !watch) { stop(); return; }
  watch.observe(chat, {childList: true, subtree: true, characterData: true});
  chat.addEventListener('scroll', again, true);
  inputs.forEach((t) => window.addEventListener(t, stop, true));
  rest();
}"""


def long_notice(sent: str) -> str | None:
    """What the chat says about a question longer than the assistant reads (None: nothing). The
    question box stops at :data:`MAX_PASTE` characters without a word, so a text that long was cut
    there: that is said (a walk-through pasted 25,000 characters and was told its whole text stayed)."""
    message = sent.strip()
    if len(message) <= MAX_QUESTION_CHARS:
        return None
    if len(sent) >= MAX_PASTE:
        return TOO_LONG_QUESTION
    asked = closing_question(" ".join(message.split()), MAX_QUESTION_CHARS // ASK_SHARE)
    return LONG_QUESTION_ASKED if asked else LONG_QUESTION


def _outputs(services: Services, turns: list[dict[str, Any]], keep_question: bool = False):
    import gradio as gr

    choices = citation_choices(turns)
    return (
        to_messages(turns),
        turns,
        gr.update() if keep_question else "",
        gr.update(choices=choices, value=None),
        gr.update(interactive=False),
        gr.update(interactive=bool(turns)),
    )


def parse_choice(value: str | None) -> tuple[str, str, int | None, int | None, list[tuple[int, int]]] | None:
    """'doc|passage|start|end|quotes' (or without quotes) -> parts, or None."""
    if not value:
        return None
    parts = value.split("|")
    if len(parts) not in (4, 5):
        return None
    doc, pid, start, end = parts[:4]
    quotes = parse_quotes(parts[4]) if len(parts) == 5 else []
    try:
        return doc, pid, int(start), int(end), quotes
    except ValueError:
        return doc, pid, None, None, quotes
