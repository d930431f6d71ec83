"""Chat: streamed answers in the sections of the answer contract, with checkable sources."""

from __future__ import annotations

import logging
import re
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from secretarisbot.errors import SecretarisbotError
from secretarisbot.model import ROLES, Answer, Message
from secretarisbot.render import section_markdown
from secretarisbot.ui.reader import passage_link, short_section
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
MAX_QUESTION = 4000
SOURCES_TITLE = "Bronnen"
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


def to_messages(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chatbot messages for the stored turns ({question, answer: Answer-json})."""
    msgs: list[dict[str, Any]] = []
    for t in turns:
        msgs.append({"role": "user", "content": t["question"]})
        if t.get("error"):
            msgs.append({"role": "assistant", "content": t["error"]})
            continue
        answer = Answer.model_validate(t["answer"])
        message: dict[str, Any] = {"role": "assistant", "content": format_answer(answer)}
        if answer.follow_ups and t is turns[-1]:
            # suggested next questions: clickable under the last answer (Chatbot.option_select)
            message["options"] = [{"value": q, "label": q} for q in answer.follow_ups]
        msgs.append(message)
        if answer.citations:
            msgs.append(
                {
                    "role": "assistant",
                    "content": format_sources(answer),
                    "metadata": {"title": f"{SOURCES_TITLE} ({len(answer.citations)})", "status": "done"},
                }
            )
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
    """(label, 'doc|passage|start|end') of the citations of the last answered turn."""
    for t in reversed(turns):
        if t.get("answer"):
            answer = Answer.model_validate(t["answer"])
            return [
                (
                    f"[{c.n}] {c.title}" + (f" — {short_section(c.section)}" if c.section else ""),
                    f"{c.document}|{c.passage_id}|{c.start}|{c.end}",
                )
                for c in answer.citations
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


EXPORT_DIR = Path(tempfile.gettempdir()) / "secretarisbot-export"


def _export_path(turns: list[dict[str, Any]]) -> Path:
    conv = turns[0].get("conv") or "gesprek"
    return EXPORT_DIR / f"gesprek-{conv}.md"


def write_export(turns: list[dict[str, Any]], mode_label: str = "") -> str | None:
    """Write the conversation (one file per conversation, overwritten) for the download button."""
    if not turns:
        return None
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = _export_path(turns)
    path.write_text(export_markdown(turns, mode_label), encoding="utf-8")
    return str(path)


def remove_export(turns: list[dict[str, Any]]) -> None:
    if turns:
        _export_path(turns).unlink(missing_ok=True)


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
                    info="Enter verstuurt de vraag.",
                    lines=1,
                    max_lines=8,
                    max_length=MAX_QUESTION,
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
                export = gr.DownloadButton(
                    "Gesprek downloaden (.md)", value=None, interactive=False, elem_id="sb-export", size="md"
                )
                clear = gr.Button("Gesprek wissen", elem_id="sb-clear", size="md")
    return {
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
        "clear": clear,
    }


def wire(services: Services, c: dict[str, Any]) -> None:
    """Attach the chat's event handlers."""
    import gradio as gr

    def respond(message: str, turns: list[dict[str, Any]], role_choice: str, replace_last: bool = False):
        message = (message or "").strip()
        turns = list(turns or [])
        if not message:
            gr.Warning("Typ eerst een vraag.")
            yield _outputs(services, turns, keep_question=True)
            return
        message = message[:MAX_QUESTION]
        role = None if role_choice in (None, "", ALL_ROLES) else role_choice
        if replace_last and turns:
            turns = turns[:-1]
        conv = turns[0].get("conv") if turns else uuid.uuid4().hex[:12]
        base = list(turns)
        shown = to_messages(base) + [
            {"role": "user", "content": message},
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
        yield _outputs(services, base + [final])

    def respond_api(message: str, turns: list[dict[str, Any]], role_choice: str):
        yield from respond(message, turns, role_choice)

    def reframe(turns: list[dict[str, Any]], role_choice: str):
        turns = list(turns or [])
        if not turns:
            yield _outputs(services, turns, keep_question=True)
            return
        yield from respond(turns[-1]["question"], turns, role_choice, replace_last=True)

    outs = [c["chatbot"], c["turns"], c["question"], c["cites"], c["open_cite"], c["export"]]
    c["question"].submit(
        respond_api, [c["question"], c["turns"], c["role"]], outs, api_name="vraag", concurrency_limit=4
    )
    c["send"].click(respond_api, [c["question"], c["turns"], c["role"]], outs, api_visibility="private")
    def ask_example(q: str):
        def run(turns: list[dict[str, Any]], role_choice: str):
            yield from respond(q, turns, role_choice)

        return run

    for button, q in zip(c["examples"], EXAMPLES, strict=True):
        button.click(
            ask_example(q),
            [c["turns"], c["role"]],
            outs,
            api_visibility="private",
        )
    c["role"].input(reframe, [c["turns"], c["role"]], outs, api_visibility="private")

    def follow_up(turns: list[dict[str, Any]], role_choice: str, selected: gr.SelectData):
        yield from respond(str(selected.value), turns, role_choice)

    # Gradio passes the selected option by this annotation; with postponed annotations it is a
    # string it cannot resolve here (gradio is imported inside this function), so set the class.
    follow_up.__annotations__["selected"] = gr.SelectData

    c["chatbot"].option_select(follow_up, [c["turns"], c["role"]], outs, api_visibility="private")

    def clear(turns: list[dict[str, Any]]):
        try:
            remove_export(list(turns or []))
        except OSError:
            log.warning("could not remove the conversation export", exc_info=True)
        return [], [], "", gr.update(choices=[], value=None), gr.update(interactive=False), gr.update(
            value=None, interactive=False
        )

    c["clear"].click(clear, c["turns"], outs, api_name="wissen_gesprek")
    c["cites"].change(
        lambda v: gr.update(interactive=bool(v)), c["cites"], c["open_cite"], api_visibility="private"
    )


def _outputs(services: Services, turns: list[dict[str, Any]], keep_question: bool = False):
    import gradio as gr

    choices = citation_choices(turns)
    path = write_export(turns, services.mode_label())
    return (
        to_messages(turns),
        turns,
        gr.update() if keep_question else "",
        gr.update(choices=choices, value=None),
        gr.update(interactive=False),
        gr.update(value=path, interactive=bool(path)),
    )


def parse_choice(value: str | None) -> tuple[str, str, int | None, int | None] | None:
    """'doc|passage|start|end' -> parts, or None."""
    if not value:
        return None
    parts = value.split("|")
    if len(parts) != 4:
        return None
    doc, pid, start, end = parts
    try:
        return doc, pid, int(start), int(end)
    except ValueError:
        return doc, pid, None, None
