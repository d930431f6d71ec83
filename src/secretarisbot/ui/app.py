"""The Gradio app: tabs Chat, Bronnen, Spiegel and Over.

    demo = build_app(settings)                       # or build_app(settings, assistant=..., index=...)
    launch_app(demo, settings)                       # 127.0.0.1, telemetry off, optional login

Deep links: ``/?doc=000&passage=<id>`` (or ``&start=..&end=..``) opens the reader highlighted;
``/?tab=spiegel`` opens a tab.
"""


import asyncio
import logging
import os
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from secretarisbot.settings import Settings, disable_telemetry, get_settings

log = logging.getLogger("secretarisbot.ui")

CSS_PATH = Path(__file__).with_name("style.css")
TABS = ("chat", "bronnen", "spiegel", "over")
TITLE = "secretarisbot — assistent voor gemeentesecretarissen"


def theme():
    import gradio as gr

    return gr.themes.Default(
        primary_hue=gr.themes.colors.blue,
        secondary_hue=gr.themes.colors.sky,
        neutral_hue=gr.themes.colors.slate,
        radius_size=gr.themes.sizes.radius_sm,
        font=("system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"),
        font_mono=("ui-monospace", "Consolas", "monospace"),
    ).set(
        button_primary_background_fill="#0b4f8a",
        button_primary_background_fill_hover="#093f6e",
        button_primary_text_color="#ffffff",
        body_text_color="#1c2b39",
    )


def build_app(settings: Settings | None = None, *, assistant: Any = None, index: Any = None):
    """Build the Blocks app. ``assistant``/``index`` replace the real ones (tests, stand-ins)."""
    disable_telemetry()
    import gradio as gr

    from secretarisbot.ui import chat, over, reader, spiegel
    from secretarisbot.ui.services import Services

    settings = get_settings(settings)
    _private_gradio_cache(settings)
    services = Services(settings, assistant=assistant, index=index)
    sp = spiegel.Spiegel(services)
    threading.Thread(target=sp.warm_up, name="spiegel-warm-up", daemon=True).start()

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.HTML(
            "<h1>secretarisbot</h1><p>Antwoorden uit vijf handreikingen voor gemeentesecretarissen, over het "
            "vak en over herindeling, ambtelijke fusie en samenwerking — altijd met de bron erbij.</p>",
            elem_id="sb-header",
            js_on_load=None,
        )
        banner = gr.Markdown("", visible=False, elem_id="sb-banner")
        # a source link clicked in the page (reader.LINKS_HEAD): its query string, for the reader
        link = gr.Textbox(value="", visible="hidden", label="Bron openen", elem_id="sb-link")
        with gr.Tabs(selected="chat", elem_id="sb-tabs") as tabs:
            with gr.Tab("Chat", id="chat", elem_id="sb-tab-chat"):
                chat_c = chat.build(services)
            with gr.Tab("Bronnen", id="bronnen", elem_id=reader.TAB_ID):
                reader_c = reader.build(services)
            with gr.Tab("Spiegel", id="spiegel", elem_id="sb-tab-spiegel"):
                spiegel_c = spiegel.build(services)
            with gr.Tab("Over", id="over", elem_id="sb-tab-over"):
                over.build(services)

        profile_ready = spiegel.wire(sp, spiegel_c, demo)
        chat.wire(services, chat_c, profile=spiegel_c["profile"], loaded=profile_ready)
        reader_outs = reader.outputs(reader_c)

        # --- reader events ---------------------------------------------------------------
        def open_doc(doc_id: str):
            return reader.updates(services, doc_id)

        def open_section(doc_id: str, passage_id: str | None):
            if not passage_id:
                return [gr.update()] * len(reader_outs)
            return reader.updates(services, doc_id, passage_id)

        reader_c["doc"].input(open_doc, reader_c["doc"], reader_outs, api_visibility="private")
        reader_c["back"].click(None, None, None, js=reader.BACK_JS, api_visibility="private")
        reader_c["toc"].input(
            open_section, [reader_c["doc"], reader_c["toc"]], reader_outs, api_visibility="private"
        ).then(None, js=reader.SCROLL_JS)

        def open_citation(choice: str | None):
            parsed = chat.parse_choice(choice)
            if parsed is None:
                raise gr.Error("Kies eerst een bron uit de lijst.")
            doc_id, pid, start, end, quotes = parsed
            return [gr.Tabs(selected="bronnen"), *reader.updates(services, doc_id, pid or None, start, end, quotes)]

        chat_c["open_cite"].click(
            open_citation, chat_c["cites"], [tabs, *reader_outs], api_name="open_bron"
        ).then(None, js=reader.SCROLL_JS)
        # opened from the chat: the reader's "back" returns there (reader.BACK_JS)
        chat_c["open_cite"].click(None, None, None, js="() => { window.sbFrom = 'Chat'; window.sbFromLink = null; }", api_visibility="private")

        def bron(doc_id: str, passage_id: str = "") -> str:
            """The reader's HTML for a document (and highlighted passage); API: /bron."""
            doc = services.document(doc_id)
            if doc is None:
                raise gr.Error(f"Onbekend document '{doc_id}'. Kies uit: " + ", ".join(d.id for d in services.documents()))
            return reader.view(services, doc_id, passage_id or None).html

        gr.api(bron, api_name="bron")

        def open_params(params: dict[str, str]) -> list[Any]:
            """The reader at the passage of a source link's query parameters, on its tab."""
            def _int(v: str | None) -> int | None:
                try:
                    return int(v) if v is not None else None
                except ValueError:
                    return None

            rd = reader.updates(
                services, params["doc"], params.get("passage") or None, _int(params.get("start")), _int(params.get("end")),
                reader.parse_quotes(params.get("q")),
            )
            return [gr.Tabs(selected="bronnen"), *rd]

        def open_link(query: str) -> list[Any]:
            params = dict(parse_qsl((query or "").lstrip("?")))
            if not params.get("doc"):
                return [gr.update(), *([gr.update()] * len(reader_outs))]
            return open_params(params)

        link.change(open_link, link, [tabs, *reader_outs], api_visibility="private", queue=False).then(
            None, js=reader.SCROLL_JS
        )

        # --- page load: banner + deep links ---------------------------------------------------
        def on_load(request: gr.Request):
            banner_text = re.sub(
                r"(secretarisbot index(?: --rebuild)?)", r"`\1`", services.index_banner()
            )
            banner_update = gr.update(
                value=f"**De index ontbreekt of is niet bruikbaar.** {banner_text}" if banner_text else "",
                visible=bool(banner_text),
            )
            params = dict(request.query_params) if request is not None else {}
            doc_id = params.get("doc")
            tab = params.get("tab")
            if doc_id:
                return [banner_update, *open_params(params)]
            docs = services.documents()
            rd = reader.updates(services, docs[0].id) if docs else [gr.update()] * len(reader_outs)
            selected = gr.Tabs(selected=tab) if tab in TABS else gr.update()
            return [banner_update, selected, *rd]

        demo.load(on_load, None, [banner, tabs, *reader_outs], api_visibility="private").then(
            None, js=reader.SCROLL_JS
        )
    demo.services = services  # type: ignore[attr-defined]
    return demo


def _private_gradio_cache(settings: Settings) -> None:
    """Keep Gradio's file cache inside SECRETARISBOT_HOME (0700), not in the shared temp folder.

    The app itself writes no files there (downloads are made in the browser), but anything Gradio
    caches must not land, readable by others, in /tmp.
    """
    if os.environ.get("GRADIO_TEMP_DIR"):
        return
    folder = settings.home / "tmp" / "gradio"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(settings.home / "tmp", 0o700)
        os.chmod(folder, 0o700)
    except OSError:
        log.warning("could not create Gradio's cache folder in SECRETARISBOT_HOME", exc_info=True)
        return
    os.environ["GRADIO_TEMP_DIR"] = str(folder)


def launch_app(demo, settings: Settings | None = None, **kwargs: Any):
    """Launch with the house settings: host/port/accounts from Settings, theme, CSS, no telemetry."""
    from starlette.middleware import Middleware

    from secretarisbot.accounts import load_accounts
    from secretarisbot.ui.i18n import DUTCH_HEAD, gradio_i18n
    from secretarisbot.ui.reader import FULL_TITLE_HEAD, LINKS_HEAD
    from secretarisbot.ui.profiles import LoginGuard, LoginLimiter

    settings = get_settings(settings)
    disable_telemetry()
    accounts = load_accounts(settings)
    app_kwargs = dict(kwargs.pop("app_kwargs", None) or {})
    if accounts is not None:
        app_kwargs["middleware"] = [
            *app_kwargs.get("middleware", []), Middleware(LoginGuard, limiter=LoginLimiter())
        ]
    auth = None
    if accounts is not None:

        async def auth(username: str, password: str) -> bool:
            # scrypt takes ~50 ms: off the event loop, so logins do not stall other requests.
            return await asyncio.to_thread(accounts.verify, username, password)

    options: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port or None,
        "auth": auth,
        "auth_message": "Log in om secretarisbot te gebruiken." if accounts is not None else None,
        "app_kwargs": app_kwargs,
        "show_error": False,
        "share": False,
        "theme": theme(),
        "css_paths": [CSS_PATH],
        "footer_links": [],
        # Gradio's run history keeps every call's inputs and outputs in the browser (questions,
        # answers, reflections), where "Gesprek wissen" and "Alles wissen" cannot reach them, and
        # offers to send them to a Hugging Face bucket: off, and what it kept is deleted (a review)
        "run_history": False,
        "mcp_server": False,
        "pwa": False,
        "ssr_mode": False,
        # Dutch whatever the browser's language, Gradio's own texts included (ui/i18n.py)
        "i18n": gradio_i18n(),
        "head": DUTCH_HEAD + LINKS_HEAD + FULL_TITLE_HEAD,
    }
    options.update(kwargs)
    demo.queue(default_concurrency_limit=4)
    return demo.launch(**options)


def main() -> None:  # pragma: no cover - thin entry point
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    launch_app(build_app(settings), settings)
