"""Spiegel: the guided reflection, step by step, saved as it is typed (for the logged-in user).

No ``from __future__ import annotations`` here: Gradio finds ``request: gr.Request`` parameters by
evaluating the annotations of the handlers defined inside :func:`wire`.
"""

import html
import logging
import re
import time
import uuid
from typing import Any

from secretarisbot.errors import InputError
from secretarisbot.model import ROLES, Citation
from secretarisbot.reflect.exercises import (
    ACTION_FIELDS,
    LEVELS,
    MAIN,
    NO_ROLE,
    ROLE_FIELD,
    ROLE_QUOTES,
    ROUTES,
    Quote,
    Step,
    locate,
    route_steps,
)
from secretarisbot.reflect.mirror import build_mirror
from secretarisbot.reflect.store import MAX_VALUE, LimitError, ReflectionStore
from secretarisbot.render import short_section
from secretarisbot.ui.profiles import profile_key
from secretarisbot.ui.reader import passage_link
from secretarisbot.ui.services import Services

log = logging.getLogger("secretarisbot.ui")

MIRROR = "spiegel-overzicht"
#: Characters of what was written that "Verdieping" searches with (about one embedding window of
#: 512 tokens); more would hold the shared query embedder for seconds per request.
MAX_DEEPEN = 2000
DEEPEN_CUT = (
    "<small>Je tekst is langer dan {limit} tekens; de passages sluiten aan bij het begin ervan.</small>"
)
PROFILE_KEY = "secretarisbot-profiel"
#: Scroll an element that just appeared into view, if it is not (a confirmation's button).
SHOW_JS = "() => {{ document.getElementById('{id}')?.scrollIntoView({{block: 'nearest'}}); }}"
PROFILE_RE = re.compile(r"[0-9a-f]{32}")
PROFILE_JS = f"""(current) => {{
  try {{ return window.localStorage.getItem('{PROFILE_KEY}') || ''; }} catch (e) {{ return ''; }}
}}"""


def with_profile_js(at: int) -> str:
    """JS for an event whose ``at``-th input is the profile id: the id this browser keeps, when the
    page has not set it yet (a question sent in the first moments after loading: a returning user's
    question was stored only in the tab, and the page's start replaced it with the stored chat)."""
    return (
        "(...args) => {\n"
        f"  if (!args[{at}]) {{ try {{ args[{at}] = window.localStorage.getItem('{PROFILE_KEY}') || ''; }}"
        " catch (e) {} }\n"
        "  return args;\n"
        "}"
    )


PROFILE_STORE_JS = f"""(profile) => {{
  try {{ if (profile) window.localStorage.setItem('{PROFILE_KEY}', profile); }} catch (e) {{}}
  return [];
}}"""
SAVE_FAILED = "Opslaan lukte niet. Je tekst staat nog in het veld; probeer het zo opnieuw."
UNKNOWN_STEP = "Onbekende route of stap; herlaad de pagina."
#: A text sent for no step (or for the overview, which has no field): the page keeps it, nothing
#: stores it (an API call with an empty step id was stored nowhere without a word, a review found).
#: (Reloading shows the stored text in the field: copy first. An independent review.)
NO_STEP = "Niet opgeslagen: deze tekst hoort bij geen stap. Kopieer hem, herlaad de pagina en plak hem bij de stap."


def download_js(filename: str) -> str:
    """JS for an event whose inputs are (text, extra): the browser saves ``text`` as a Markdown file
    named by the JS expression ``filename`` (it may use ``extra``) and clears its output, if any.
    The server writes nothing: no temp file, no cached copy to delete afterwards."""
    return (
        "(text, extra) => {\n"
        "  if (!text) return '';\n"
        "  const blob = new Blob([text], {type: 'text/markdown;charset=utf-8'});\n"
        "  const url = URL.createObjectURL(blob);\n"
        "  const a = document.createElement('a');\n"
        f"  a.href = url; a.download = {filename}; a.style.display = 'none';\n"
        "  document.body.appendChild(a); a.click(); a.remove();\n"
        "  setTimeout(() => URL.revokeObjectURL(url), 60000);\n"
        "  return '';\n"
        "}"
    )
LEVEL_LABELS = {"structuur": "Structuur", "cultuur": "Cultuur", "praktijk": "Praktijk"}


class Spiegel:
    """The reflection logic behind the tab, independent of Gradio (tested directly)."""

    def __init__(self, services: Services, store: ReflectionStore | None = None) -> None:
        self.services = services
        self.store = store or ReflectionStore.for_settings(services.settings)
        self._cites: dict[tuple[str, str], Citation | None] = {}
        self._generation = services.generation

    # --- sources -------------------------------------------------------------------------

    def cite(self, quote: Quote) -> Citation | None:
        if self._generation != self.services.generation:  # a rebuilt index: offsets may differ
            self._cites, self._generation = {}, self.services.generation
        key = (quote.document, quote.text)
        if key not in self._cites:
            titles = {d.id: d.title for d in self.services.documents()}
            try:
                self._cites[key] = locate(quote, self.services.text, self.services.passages(), titles)
            except Exception:
                log.exception("locating a quote failed")
                self._cites[key] = None
        return self._cites[key]

    def step_citations(self, step: Step) -> list[Citation]:
        out = []
        for q in step.quotes:
            c = self.cite(q)
            if c is not None:
                out.append(c.model_copy(update={"n": len(out) + 1}))
        return out

    def warm_up(self) -> None:
        """Locate every quote once (a second or two), so the first visit of the tab is quick."""
        try:
            for route in ROUTES.values():
                for step in route.steps:
                    self.step_citations(step)
        except Exception:
            log.exception("warming up the reflection citations failed")

    def role_citations(self) -> dict[str, list[Citation]]:
        return {r: [c for c in (self.cite(q) for q in ROLE_QUOTES[r]) if c] for r in ROLES}

    # --- state ---------------------------------------------------------------------------

    def steps(self, profile: str, route: str) -> list[Step]:
        return route_steps(route, self.store.answers(profile, route))

    def resolve_step(self, profile: str, route: str, step_id: str | None) -> str:
        ids = [s.id for s in self.steps(profile, route)]
        if step_id == MIRROR or step_id in ids:
            return step_id  # type: ignore[return-value]
        stored = self.store.current_step(profile, route)
        if stored == MIRROR or stored in ids:
            return stored  # type: ignore[return-value]
        return ids[0]

    def move(self, profile: str, route: str, step_id: str, delta: int) -> str:
        steps = self.steps(profile, route)
        ids = [s.id for s in steps] + [MIRROR]
        current = self.resolve_step(profile, route, step_id)
        i = ids.index(current) if current in ids else 0
        target = ids[max(0, min(len(ids) - 1, i + delta))]
        self.store.set_step(profile, route, target)
        return target

    def mirror(self, profile: str, route: str) -> str:
        answers = self.store.answers(profile, route)
        steps = route_steps(route, answers)
        cites = {s.id: self.step_citations(s) for s in steps}
        return build_mirror(route, steps, answers, cites, self.role_citations() if route == "spiegel" else None)

    def deepen(self, step: Step, values: dict[str, str], k: int = 3) -> str:
        for value in values.values():
            if isinstance(value, str) and len(value) > MAX_VALUE:
                raise LimitError(
                    f"Je tekst is te lang voor de verdieping ({len(value):,} tekens; maximaal "
                    f"{MAX_VALUE:,}).".replace(",", ".")
                )
        written = " ".join(
            v for v in values.values() if isinstance(v, str) and v and v not in ROLES and v != NO_ROLE
        )
        written = " ".join(written.split())
        if not written:
            return "_Schrijf eerst iets op; dan zoek ik passages die aansluiten bij wat je schreef._"
        cut = len(written) > MAX_DEEPEN
        if cut:
            written = written[:MAX_DEEPEN].rsplit(" ", 1)[0]
        # The step's own question is not news: show other passages.
        own = {c.passage_id for c in self.step_citations(step)}
        passages = [p for p in self.services.related(written, k=k + len(own)) if p.id not in own][:k]
        if not passages:
            return "_Ik vond geen passages die aansluiten bij wat je schreef._"
        lines = ["**Passages bij wat je schreef**", ""]
        if cut:
            lines += [DEEPEN_CUT.format(limit=f"{MAX_DEEPEN:,}".replace(",", ".")), ""]
        for p in passages:
            where = p.title + (f" — {short_section(p.section)}" if p.section else "")
            text = " ".join(p.text.split())
            if len(text) > 500:
                text = text[:500].rsplit(" ", 1)[0] + " …"
            lines += [f"> {text}", "", f"<small>[{where}]({passage_link(p.document, p.id)})</small>", ""]
        return "\n".join(lines)


# --- rendering -------------------------------------------------------------------------------


def _where(c: Citation) -> str:
    sec = short_section(c.section)
    return c.title + (f", {sec}" if sec else "")


def _lines(text: str) -> list[str]:
    """``text`` on one line per paragraph, a list item ("- …") on a line of its own."""
    lines: list[str] = []
    joins = False  # whether the next line continues the last one (not after a blank line or an item)
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if joins and line and not line.startswith("-"):
            lines[-1] += " " + line
        elif line:
            lines.append(line)
        joins = bool(line)
    return lines


def _cite_line(c: Citation | None, quote: Quote) -> str:
    if c is None:
        return f"> {quote.text}\n\n<small>Bron: {quote.section}</small>"
    link = passage_link(c.document, c.passage_id, c.start, c.end)
    return "\n".join(f"> {line}" for line in _lines(c.text)) + f"\n\n<small>Bron: [{_where(c)}]({link})</small>"


def _cite_html(c: Citation | None, quote: Quote) -> str:
    text = "<br>".join(html.escape(line) for line in _lines(c.text if c else quote.text))
    if c is None:
        return f"<blockquote>{text}</blockquote><small>Bron: {html.escape(quote.section)}</small>"
    link = html.escape(passage_link(c.document, c.passage_id, c.start, c.end))
    return f'<blockquote>{text}</blockquote><small>Bron: <a href="{link}">{html.escape(_where(c))}</a></small>'


def quotes_markdown(sp: Spiegel, step: Step) -> str:
    if step.id == "rol":
        general = step.quotes[0]
        cards = []
        for role in ROLES:
            desc, comp = ROLE_QUOTES[role]
            cards.append(
                f'<section class="sb-role"><h4>{role}</h4>{_cite_html(sp.cite(desc), desc)}'
                f"<p><em>Competentieprofiel</em></p>{_cite_html(sp.cite(comp), comp)}</section>"
            )
        return _cite_line(sp.cite(general), general) + '\n\n<div class="sb-roles">' + "".join(cards) + "</div>"
    # Consecutive quotes from one passage form one block with one source line.
    groups: list[tuple[Citation | None, list[str], Quote]] = []
    for q in step.quotes:
        c = sp.cite(q)
        text = " ".join((c.text if c else q.text).split())
        if groups and c is not None and groups[-1][0] is not None and groups[-1][0].passage_id == c.passage_id:
            groups[-1][1].append(text)
            continue
        groups.append((c, [text], q))
    blocks = []
    for c, texts, q in groups:
        body = "\n>\n".join(f"> {t}" for t in texts)
        if c is None:
            blocks.append(f"{body}\n\n<small>Bron: {q.section}</small>")
        else:
            link = passage_link(c.document, c.passage_id, c.start, c.end)
            blocks.append(f"{body}\n\n<small>Bron: [{_where(c)}]({link})</small>")
    return "\n\n".join(blocks)


def _progress(steps: list[Step], step_id: str) -> str:
    ids = [s.id for s in steps]
    total = len(ids)
    if step_id == MIRROR:
        return f"**Mijn spiegel** · alle {total} stappen doorlopen"
    i = ids.index(step_id) + 1
    filled = "●" * i + "○" * (total - i)
    return f"Stap **{i} van {total}** <span class='sb-dots' aria-hidden='true'>{filled}</span>"


def build(services: Services) -> dict[str, Any]:
    """Create the reflection components inside the current Blocks context."""
    import gradio as gr

    c: dict[str, Any] = {}
    c["profile"] = gr.Textbox(value="", visible="hidden", label="Profiel", elem_id="sb-profile")
    c["step"] = gr.Textbox(value="", visible="hidden", label="Stap", elem_id="sb-step")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            c["route"] = gr.Radio(
                choices=[(r.title, r.id) for r in ROUTES.values()],
                value="spiegel",
                label="Route",
                elem_id="sb-route",
            )
            c["progress"] = gr.Markdown(elem_id="sb-progress", elem_classes=["sb-progress"])
            c["title"] = gr.Markdown(elem_id="sb-step-title")
            with gr.Column(visible=True, elem_classes=["sb-step"]) as c["step_box"]:
                c["quotes"] = gr.Markdown(elem_id="sb-quotes", elem_classes=["sb-quotes"])
                c["prompt"] = gr.Markdown(elem_classes=["sb-prompt"])
                # The fields (and the step buttons) open once the page has shown this profile's step
                # (render): a text typed before that was saved to no step and then replaced by the
                # stored one (a CI run's browser test, with the page's start slowed down by load).
                c["role"] = gr.Radio(
                    choices=[*ROLES, NO_ROLE], label="Welk roltype past nu het best bij jou?", visible=False,
                    elem_id="sb-self-role", interactive=False,
                )
                c["main"] = gr.Textbox(
                    label="Jouw antwoord", lines=6, max_lines=20, elem_id="sb-answer", max_length=MAX_VALUE,
                    interactive=False,
                    placeholder="Schrijf vrijuit. Alles wordt direct bewaard, alleen voor jou.",
                )
                with gr.Column(visible=False) as c["actions_box"]:
                    gr.Markdown("**Een concrete eerste actie per niveau**")
                    c["actions"] = []
                    for level, question in LEVELS:
                        with gr.Row():
                            for who, label in (("zelf", "voor mezelf"), ("anderen", "voor anderen")):
                                c["actions"].append(
                                    gr.Textbox(
                                        label=f"{LEVEL_LABELS[level]}: actie {label}",
                                        info=question if who == "zelf" else None,
                                        lines=2,
                                        max_length=MAX_VALUE,
                                        elem_id=f"sb-{level}-{who}",
                                        interactive=False,
                                    )
                                )
            with gr.Column(visible=False) as c["mirror_box"]:
                c["mirror"] = gr.Markdown(elem_id="sb-mirror", elem_classes=["sb-mirror"])
                # Saved by the browser from the text on screen (DOWNLOAD_JS): no copy on the server.
                c["download"] = gr.Button("Mijn spiegel downloaden (.md)", elem_id="sb-mirror-download")
            c["saved"] = gr.Markdown("", elem_id="sb-saved", elem_classes=["sb-saved"])
            with gr.Row():
                c["prev"] = gr.Button("← Vorige", elem_id="sb-prev", interactive=False)
                c["next"] = gr.Button("Volgende →", variant="primary", elem_id="sb-next", interactive=False)
        with gr.Column(scale=2, min_width=260, elem_classes=["sb-side"]):
            c["deepen"] = gr.Button("Verdieping: passages bij wat ik schreef", elem_id="sb-deepen")
            c["deepen_out"] = gr.Markdown(elem_id="sb-deepen-out", elem_classes=["sb-deepen"])
            gr.Markdown(
                "Je antwoorden worden tijdens het typen opgeslagen, alleen op deze server en alleen "
                "voor jou. Ook na het sluiten van het tabblad of een herstart staan ze er nog; "
                "'Alles wissen' verwijdert ze voorgoed.",
                elem_classes=["sb-help"],
            )
            c["delete"] = gr.Button("Alles wissen", variant="stop", elem_id="sb-delete")
            with gr.Row(visible=False) as c["confirm_row"]:
                c["confirm"] = gr.Button("Ja, wis al mijn antwoorden", variant="stop", elem_id="sb-delete-yes")
                c["cancel"] = gr.Button("Annuleren", elem_id="sb-delete-no")
    return c


def view_outputs(c: dict[str, Any]) -> list[Any]:
    return [
        c["step"], c["progress"], c["title"], c["step_box"], c["quotes"], c["prompt"], c["role"], c["main"],
        c["actions_box"], *c["actions"], c["mirror_box"], c["mirror"], c["download"], c["deepen_out"],
        c["prev"], c["next"],
    ]


def render(sp: Spiegel, profile: str, route: str, step_id: str | None) -> list[Any]:
    """Values for :func:`view_outputs` showing ``step_id`` (or the stored step) of ``route``."""
    import gradio as gr

    route = route if route in ROUTES else "spiegel"
    step_id = sp.resolve_step(profile, route, step_id)
    answers = sp.store.answers(profile, route)
    steps = route_steps(route, answers)
    progress = _progress(steps, step_id)
    if step_id == MIRROR:
        md = sp.mirror(profile, route)
        return [
            step_id, progress, "", gr.update(visible=False), "", "",
            gr.update(visible=False), gr.update(value=""), gr.update(visible=False),
            *[gr.update(value="") for _ in ACTION_FIELDS],
            gr.update(visible=True), md, gr.update(interactive=True), "",
            gr.update(interactive=True), gr.update(interactive=False, value="Klaar"),
        ]
    step = next(s for s in steps if s.id == step_id)
    given = answers.get(step.id, {})
    is_last = step.id == steps[-1].id
    return [
        step.id,
        progress,
        f"## {step.title}",
        gr.update(visible=True),
        quotes_markdown(sp, step),
        f"*{step.prompt}*" if step.prompt else "",
        gr.update(visible=ROLE_FIELD in step.fields, value=given.get(ROLE_FIELD) or None, interactive=True),
        gr.update(value=given.get(MAIN, ""), label="Jouw antwoord", interactive=True),
        gr.update(visible=any(f in ACTION_FIELDS for f in step.fields)),
        *[gr.update(value=given.get(f, ""), interactive=True) for f in ACTION_FIELDS],
        gr.update(visible=False),
        "",
        gr.update(),
        "",
        gr.update(interactive=step.id != steps[0].id),
        gr.update(interactive=True, value="Naar Mijn spiegel →" if is_last else "Volgende →"),
    ]


def _valid(route: str, step_id: str | None) -> bool:
    """Is ``step_id`` one of ``route``'s steps (the mirror included)?"""
    if not isinstance(route, str) or route not in ROUTES:
        return False
    return step_id == MIRROR or any(step.id == step_id for step in ROUTES[route].steps)


def wire(sp: Spiegel, c: dict[str, Any], demo: Any) -> Any:
    """Attach the reflection handlers, including the profile bootstrap on page load.

    Returns the page-load event after which the profile is known (the chat chains onto it).
    """
    import gradio as gr

    outs = view_outputs(c)
    login = sp.services.login

    def who(profile: str | None, request: gr.Request | None) -> str:
        try:
            return profile_key(login, request, profile)  # type: ignore[return-value]
        except InputError as err:
            raise gr.Error(str(err)) from None

    def safe_render(profile: str, route: str, step_id: str | None):
        try:
            return render(sp, profile, route, step_id)
        except Exception as err:
            log.exception("rendering the reflection failed")
            raise gr.Error("De reflectie kan nu niet worden geladen. Probeer het opnieuw.") from err

    def load(profile: str, route: str, request: gr.Request):
        """Reload a profile's route at its stored step (API: spiegel_laden)."""
        return safe_render(who(profile, request), route, None)

    def save_field(field: str):
        def save(profile: str, route: str, step_id: str, value: str, request: gr.Request) -> str:
            try:
                key = profile_key(login, request, profile)
            except InputError as err:
                return f"<span class='sb-error'>{html.escape(str(err))}</span>"
            if not step_id or step_id == MIRROR:
                # the page clearing a field says nothing; a text for no step is not stored, and says so
                return f"<span class='sb-error'>{NO_STEP}</span>" if (value or "").strip() else ""
            if not _valid(route, step_id):
                return f"<span class='sb-error'>{UNKNOWN_STEP}</span>"
            try:
                # a field's change event also follows what the page itself set (a step's stored
                # text, a wiped field): that is no save, and says nothing
                if (value or "") == sp.store.value(key, route, step_id, field):
                    return gr.update()
                sp.store.save(key, route, step_id, field, value or "")  # type: ignore[arg-type]
            except LimitError as err:
                return f"<span class='sb-error'>{html.escape(str(err))}</span>"
            except Exception:
                log.exception("saving a reflection field failed")
                return f"<span class='sb-error'>{SAVE_FAILED}</span>"
            return f"Opgeslagen om {time.strftime('%H:%M:%S')}"

        return save

    def nav(delta: int):
        def go(profile: str, route: str, step_id: str, request: gr.Request):
            key = who(profile, request)
            route = route if route in ROUTES else "spiegel"
            step = step_id if _valid(route, step_id) else None
            try:
                target = sp.move(key, route, step, delta)  # type: ignore[arg-type]
            except Exception as err:
                log.exception("navigating the reflection failed")
                raise gr.Error("Naar de volgende stap gaan lukte niet. Probeer het opnieuw.") from err
            return safe_render(key, route, target)

        return go

    def switch_route(profile: str, route: str, request: gr.Request):
        return safe_render(who(profile, request), route, None)

    def delete_all(profile: str, route: str, request: gr.Request):
        key = who(profile, request)
        try:
            sp.store.delete_all(key)
        except Exception as err:
            log.exception("deleting reflections failed")
            raise gr.Error("Wissen lukte niet. Probeer het opnieuw.") from err
        gr.Info("Al je antwoorden zijn gewist.")
        return [*render(sp, key, route, None), gr.update(visible=False), gr.update(visible=True), ""]

    def deepen(
        profile: str, route: str, step_id: str, main: str,
        a1: str, a2: str, a3: str, a4: str, a5: str, a6: str, request: gr.Request,
    ) -> str:
        """Passages for what was written in a step (API: spiegel_verdieping)."""
        actions = (a1, a2, a3, a4, a5, a6)
        key = who(profile, request)
        if not _valid(route, step_id) or step_id == MIRROR:
            return ""
        steps = sp.steps(key, route)
        step = next((s for s in steps if s.id == step_id), None)
        if step is None:
            return ""
        try:
            values = {MAIN: main or "", **dict(zip(ACTION_FIELDS, actions, strict=True))}
            return sp.deepen(step, values)
        except LimitError as err:
            return f"_{err}_"
        except Exception:
            log.exception("verdieping failed")
            return "_De verdieping is nu niet beschikbaar. Probeer het later opnieuw._"

    key = [c["profile"], c["route"], c["step"]]

    # Profile without a login: a random id kept in this browser's localStorage, so a closed tab or
    # a restarted app finds its answers again. With a login the server uses the logged-in user
    # and ignores the id (it is then not even stored in the browser).
    def bootstrap(profile: str) -> str:
        if login:
            return ""
        profile = (profile or "").strip()
        return profile if PROFILE_RE.fullmatch(profile) else uuid.uuid4().hex

    ready = demo.load(
        bootstrap, c["profile"], c["profile"], js=PROFILE_JS, api_visibility="private"
    ).then(
        None, c["profile"], None, js=PROFILE_STORE_JS
    )
    ready.then(load, [c["profile"], c["route"]], outs, api_visibility="private")

    # "Opgeslagen om …" belongs to the step it was typed in: gone on another step or route (a
    # walk-through found it under an empty step), in the browser, so a late save cannot overtake it
    unsaid = {"js": "() => ''", "api_visibility": "private"}
    c["route"].input(switch_route, [c["profile"], c["route"]], outs, api_visibility="private").then(
        None, None, c["saved"], **unsaid
    )
    for button, delta, name in ((c["prev"], -1, "spiegel_vorige"), (c["next"], +1, "spiegel_volgende")):
        button.click(nav(delta), key, outs, api_name=name).then(None, None, c["saved"], **unsaid)

    save_opts = {"trigger_mode": "always_last", "show_progress": "hidden", "queue": False}
    # On change, not input: Gradio's text box reports input from key presses only, so a text pasted
    # with the mouse, dictated or filled in by the browser was never saved (a walk-through lost a
    # pasted answer on reload). A change the page made itself is no save (save_field).
    c["main"].change(save_field(MAIN), [*key, c["main"]], c["saved"], api_name="spiegel_opslaan", **save_opts)
    c["main"].blur(save_field(MAIN), [*key, c["main"]], c["saved"], api_visibility="private", **save_opts)
    c["role"].input(save_field(ROLE_FIELD), [*key, c["role"]], c["saved"], api_name="spiegel_rol", **save_opts)
    for field, box in zip(ACTION_FIELDS, c["actions"], strict=True):
        box.change(save_field(field), [*key, box], c["saved"], api_visibility="private", **save_opts)
        box.blur(save_field(field), [*key, box], c["saved"], api_visibility="private", **save_opts)

    # At most two at a time: each holds the shared query embedder for one bounded input.
    c["deepen"].click(
        deepen, [*key, c["main"], *c["actions"]], c["deepen_out"], api_name="spiegel_verdieping",
        concurrency_limit=2, concurrency_id="verdieping",
    )
    c["download"].click(
        None, [c["mirror"], c["route"]], None, js=download_js("'mijn-spiegel-' + (extra || 'spiegel') + '.md'")
    )
    c["delete"].click(
        lambda: (gr.update(visible=True), gr.update(visible=False)),
        None,
        [c["confirm_row"], c["delete"]],
        api_visibility="private",
    ).then(None, None, None, js=SHOW_JS.format(id="sb-delete-yes"))
    c["cancel"].click(
        lambda: (gr.update(visible=False), gr.update(visible=True)),
        None,
        [c["confirm_row"], c["delete"]],
        api_visibility="private",
    )
    c["confirm"].click(
        delete_all,
        [c["profile"], c["route"]],
        [*outs, c["confirm_row"], c["delete"], c["saved"]],
        api_name="spiegel_wissen",
    )
    # An API-only reload endpoint (the page itself reloads through demo.load above).
    c["reload_btn"] = gr.Button("Herladen", visible=False)
    c["reload_btn"].click(load, [c["profile"], c["route"]], outs, api_name="spiegel_laden")
    return ready
