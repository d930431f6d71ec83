"""LLM mode: the same retrieved context and sections, written by a chat model, validated, streamed.

LLM mode is a LangChain chain (:func:`llm_chain`)::

    {"context", "draft", "short_titles"}
      -> prompt_sources -> prompts.llm_prompt() | chat model | StrOutputParser -> AnswerParser
      .with_fallbacks([bronnenmodus])

    for answer in llm_chain(settings).stream({"context": context, "draft": draft}):
        show(answer)                             # growing partial answers; the last one is final

``draft`` is the bronnenmodus answer for the same question. Its citations (plus a few further
retrieved passages) are the numbered passages of the prompt; the model must cite them as [n].
The final answer keeps only citations to passages that were given, renumbers them in order of
use and appends the Bronnen list itself. Whatever goes wrong (the model's own timeout, refused
connection, HTTP error, malformed output) the last answer is the draft with a Dutch notice: the
user always gets an answer, never an exception. LangChain's ``.with_fallbacks`` takes over when the
failure comes before the first token; after that the parser ends the stream with the same fallback.

Backends (``SECRETARISBOT_LLM``): ``openai`` (any OpenAI-compatible API: OpenAI, Azure's /v1,
vLLM, Ollama's /v1, LM Studio, llama.cpp server) or ``gguf:/path/model.gguf`` (a local llama.cpp
server through xllamacpp, see :mod:`secretarisbot.answer.llm_server`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretarisbot.answer import prompts as P
from secretarisbot.errors import ConfigError, SecretarisbotError
from secretarisbot.model import (
    Answer,
    AnswerItem,
    AnswerSection,
    Citation,
    Context,
    RolePerspective,
)
from secretarisbot.render import sources_markdown
from secretarisbot.settings import Settings, secret

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import Runnable

#: At most this many numbered passages in the prompt (the draft's citations come first).
MAX_SOURCES = 12
#: A passage longer than this is cut (with an ellipsis) in the prompt; about 400 tokens.
MAX_PASSAGE_CHARS = 1600
#: All passages together stay under this (about 4k tokens), so prompt and answer fit in the 8k
#: context of a local server; with many passages each gets an equal share (at least 300 chars).
PASSAGE_BUDGET_CHARS = 14000
#: The conversation history in the prompt: the last few turns, each cut short.
HISTORY_TURNS = 4
HISTORY_CHARS = 400
#: An answer must contain at least this many of its parts (all of them when it was asked for fewer).
MIN_SECTIONS = 2

_OFF_VALUES = {"", "none", "off", "bronnen", "bronnenmodus"}


# --- backends --------------------------------------------------------------------------------


def llm_enabled(settings: Settings) -> bool:
    """Whether ``settings.llm`` asks for a chat model at all (unset or "bronnenmodus" does not)."""
    return (settings.llm or "").strip().lower() not in _OFF_VALUES


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model ``settings.llm`` selects, or None for bronnenmodus.

    Raises ConfigError (Dutch, with the valid options) for a value we cannot use, and
    :class:`~secretarisbot.answer.llm_server.LocalServerError` if a local GGUF server fails to start.
    """
    spec = (settings.llm or "").strip()
    kind = spec.lower()
    if kind in _OFF_VALUES:
        return None
    if kind == "openai":
        if not settings.llm_model:
            raise ConfigError(
                "SECRETARISBOT_LLM=openai heeft een modelnaam nodig: zet SECRETARISBOT_LLM_MODEL "
                "(bijvoorbeeld 'gpt-4o-mini', of de naam van het model op je eigen server) en, voor "
                "een andere server dan OpenAI, SECRETARISBOT_LLM_BASE_URL "
                "(bijvoorbeeld http://127.0.0.1:11434/v1)."
            )
        return _chat_openai(settings, settings.llm_base_url, settings.llm_model, secret(settings.llm_api_key))
    if kind.startswith("gguf:"):
        path = Path(spec[len("gguf:"):].strip()).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"Het modelbestand '{path}' uit SECRETARISBOT_LLM bestaat niet. "
                "Geef het pad naar een .gguf-bestand: SECRETARISBOT_LLM=gguf:/pad/naar/model.gguf"
            )
        if find_spec("xllamacpp") is None:
            raise ConfigError(
                "Voor SECRETARISBOT_LLM=gguf:… is het pakket xllamacpp nodig. "
                "Installeer het met: pip install 'secretarisbot[llm]'"
            )
        from secretarisbot.answer.llm_server import ensure_server

        base_url = ensure_server(path, log_dir=settings.home / "logs", n_predict=settings.llm_max_tokens)
        return _chat_openai(settings, base_url, settings.llm_model or path.stem, None)
    raise ConfigError(
        f"Onbekende waarde voor SECRETARISBOT_LLM: '{spec}'. Geldig zijn: leeg laten (bronnenmodus, "
        "standaard), 'openai' (een OpenAI-compatibele API; zet ook SECRETARISBOT_LLM_BASE_URL en "
        "SECRETARISBOT_LLM_MODEL) of 'gguf:/pad/naar/model.gguf' (lokaal model via xllamacpp)."
    )


def _chat_openai(settings: Settings, base_url: str | None, model: str, api_key: str | None) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key or "not-needed",
        timeout=settings.llm_timeout,  # the client's own timeout: connect, first token, each chunk
        max_retries=settings.llm_retries,
        streaming=True,
        max_tokens=settings.llm_max_tokens,
    )


_model_cache: dict[tuple, Any] = {}
_model_lock = threading.Lock()


def get_chat_model(settings: Settings) -> BaseChatModel | None:
    """:func:`make_chat_model`, cached per LLM configuration (one client per process).

    GGUF models are not cached here: :func:`~secretarisbot.answer.llm_server.ensure_server` keeps
    one server per model and starts a new one if the old one died, so the URL may change.
    """
    if (settings.llm or "").strip().lower().startswith("gguf:"):
        return make_chat_model(settings)
    key = (
        settings.llm, settings.llm_base_url, settings.llm_model, secret(settings.llm_api_key),
        settings.llm_timeout, settings.llm_retries, settings.llm_max_tokens, str(settings.home),
    )  # fmt: skip
    with _model_lock:
        if key not in _model_cache:
            _model_cache[key] = make_chat_model(settings)
        return _model_cache[key]


# --- prompt ----------------------------------------------------------------------------------

_DELIMITER_RE = re.compile(r"</?\s*(?:vraag|passage)\b[^>]*>", re.IGNORECASE)


def _data(text: str) -> str:
    """User or corpus text inside the prompt: without our own delimiters, so it cannot close them."""
    return _DELIMITER_RE.sub("", text).strip()


def prompt_sources(context: Context, draft: Answer, limit: int = MAX_SOURCES) -> list[Citation]:
    """The numbered passages of the prompt: the draft's citations (in their order), then further
    retrieved passages, numbered 1..N. Each is a Citation whose ``n`` is its prompt number."""
    sources: list[Citation] = []
    seen: set[str] = set()
    for cit in sorted(draft.citations, key=lambda c: c.n):
        if cit.passage_id in seen:
            continue
        seen.add(cit.passage_id)
        sources.append(cit.model_copy(update={"n": len(sources) + 1}))
    for passage in context.passages:
        if len(sources) >= limit:
            break
        if passage.id in seen:
            continue
        seen.add(passage.id)
        sources.append(Citation.of(len(sources) + 1, passage))
    return sources


def _situation_line(draft: Answer) -> str:
    """The draft's own situation line (``sections.framing``: the spanningsveld by the question its
    heading asks, each dimension only on clear evidence; no overall confidence, which averages in
    the dimensions the line leaves out); "" when the draft has none (nor a Herkenning part)."""
    return next((s.items[0].text for s in draft.sections if s.kind == "situation" and s.items), "")


def llm_parts(draft: Answer) -> list[str]:
    """The parts the model writes (prompts.LLM_PARTS), in the order the bronnenmodus ``draft``
    has their sections: the answer's shape follows the question in LLM mode too (a question about
    the profession has no situation line, so no Herkenning; roles only where the draft found a
    fitting one; "welke rol past bij mij" leads with them); an Antwoord always, first when the
    draft has no lead. Empty when the draft has nothing the model writes for (a refusal, a help
    note alone) or is a list the guide itself gives (an overview: the list is the answer)."""
    if any(s.kind == "overview" for s in draft.sections):
        return []
    parts = list(dict.fromkeys(P.LLM_PART_OF_KIND[s.kind] for s in draft.sections if s.kind in P.LLM_PART_OF_KIND))
    return parts if not parts or "Antwoord" in parts else ["Antwoord", *parts]


def writes(draft: Answer) -> bool:
    """Whether LLM mode has the model write this answer: in scope, with parts to write."""
    return draft.in_scope and bool(llm_parts(draft))


def _role_order(draft: Answer) -> list[str]:
    """The roles the draft shows (its perspectives), the best-fitting first: a question that names
    two role types hears of those two, as in bronnenmodus."""
    shown = [r.role for r in draft.roles]
    return [role for role in dict.fromkeys([draft.primary_role, *shown]) if role in shown]


def prompt_inputs(context: Context, draft: Answer, sources: Sequence[Citation]) -> dict[str, str]:
    """The variables of :func:`~secretarisbot.answer.prompts.llm_prompt` for ``context`` with the
    numbered ``sources``."""
    turns = context.history[-HISTORY_TURNS:]
    history = "\n".join(
        P.LLM_HISTORY_LINE.format(
            who=P.LLM_HISTORY_WHO.get(m.role, m.role),
            content=_cut(" ".join(_data(m.content).split()), HISTORY_CHARS),
        )
        for m in turns
    )
    parts = llm_parts(draft)
    roles = "\n".join(
        f"- {role}{P.LLM_ROLE_BEST if role == draft.primary_role else ''}" for role in _role_order(draft)
    )
    share = max(300, min(MAX_PASSAGE_CHARS, PASSAGE_BUDGET_CHARS // max(len(sources), 1)))
    passages = "\n\n".join(
        P.LLM_PASSAGE_TEMPLATE.format(
            n=s.n, title=s.title, section=s.section or "-", text=_cut(_data(s.text), share)
        )
        for s in sources
    )
    return {
        "question": _data(context.question),
        "history": history or P.LLM_HISTORY_NONE,
        # what the reading found is given only for the parts that use it: a situation line pushes a
        # profession question into merger terms, a list of roles into role lines
        "situation": P.LLM_SITUATION_BLOCK.format(situation=_situation_line(draft)) if "Herkenning" in parts else "",
        "roles": P.LLM_ROLES_BLOCK.format(roles=roles) if "Vanuit je rol" in parts else "",
        "parts": "\n".join(P.LLM_PART_LINE.format(name=name, task=P.LLM_PARTS[name]) for name in parts),
        "passages": passages,
        "numbers": ", ".join(f"[{s.n}]" for s in sources),
    }


def build_messages(context: Context, draft: Answer, sources: Sequence[Citation]) -> list[BaseMessage]:
    """The system and user message for ``context`` with the numbered ``sources``."""
    return P.llm_prompt().format_messages(**prompt_inputs(context, draft, sources))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- validation ------------------------------------------------------------------------------

# "[3]", "[3, 4]", "[3-5]", "[passage 3]", "[bron 3; 4]"
_MARKER_RE = re.compile(
    r"\[\s*(?:(?:passage|bron)\s*)?(\d+(?:\s*(?:[,;]|[-–]|en)\s*(?:(?:passage|bron)\s*)?\d+)*)\s*\]",
    re.IGNORECASE,
)
_HEADING_RE = re.compile(
    r"^(?P<hashes>#{1,6}\s*)?(?P<open>\*\*|__)?\s*(?P<name>"
    + "|".join(re.escape(n) for n in (*P.LLM_SECTIONS, P.LLM_SOURCES_HEADING))
    + r")(?![\w-])\s*(?P<colon1>:)?\s*(?P<close>\*\*|__)?\s*(?P<colon2>:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def _numbers(group: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*(?:[,;]|en)\s*", group, flags=re.IGNORECASE):
        bounds = re.findall(r"\d+", part)
        if len(bounds) == 2 and re.search(r"[-–]", part):
            lo, hi = int(bounds[0]), int(bounds[1])
            out.extend(range(lo, hi + 1) if 0 <= hi - lo <= 20 else (lo, hi))
        else:
            out.extend(int(b) for b in bounds)
    return out


def normalize_sections(text: str, asked: Sequence[str] = P.LLM_SECTIONS) -> tuple[str, list[str]]:
    """Headings written as '## X', 'X:' or '**X:**' become '**X**' on their own line; a Bronnen
    section the model wrote anyway is cut off, and so is a part that was not ``asked`` for (a
    Herkenning the model wrote for a question about the profession). Returns the text and the
    asked sections found, in order."""
    canonical = {n.lower(): n for n in (*P.LLM_SECTIONS, P.LLM_SOURCES_HEADING)}
    out: list[str] = []
    found: list[str] = []
    skipping = False
    for line in text.splitlines():
        m = _HEADING_RE.match(line.strip())
        if m:
            is_heading = bool(
                m["hashes"] or (m["open"] and m["close"]) or m["colon1"] or m["colon2"] or not m["rest"]
            )
            if is_heading:
                name = canonical[m["name"].lower()]
                if name == P.LLM_SOURCES_HEADING:
                    break
                skipping = name not in asked
                if skipping:
                    continue
                if name not in found:
                    found.append(name)
                if out and out[-1].strip():
                    out.append("")
                out.extend((f"**{name}**", ""))
                rest = m["rest"].strip().lstrip(":").strip()
                if rest:
                    out.append(rest)
                continue
        if not skipping:
            out.append(line.rstrip())
    normalized = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return normalized, found


@dataclass
class Validated:
    """The outcome of :func:`validate_output`: either ``reason`` (fall back) or a usable text."""

    text: str = ""
    used: list[int] = field(default_factory=list)  # prompt numbers in order of first use
    removed: int = 0  # markers to passages that were not given
    sections: list[str] = field(default_factory=list)
    reason: str | None = None


def validate_output(raw: str, given: Sequence[int], asked: Sequence[str]) -> Validated:
    """Check an LLM answer against the prompt numbers ``given``; renumber its [n] in order of use.

    Markers to numbers that were not given are removed and counted; parts that were not ``asked``
    for are cut. Fails (``reason`` set) on an empty text, the refusal, no valid [n] at all, or
    fewer than MIN_SECTIONS of the asked parts' headings (all of them when fewer were asked).
    """
    needed = min(MIN_SECTIONS, len(asked))
    text, sections = normalize_sections(raw or "", asked)
    if not text:
        # nothing, or only parts that were not asked for
        return Validated(reason=P.LLM_REASON_NO_SECTIONS if (raw or "").strip() else P.LLM_REASON_EMPTY)
    if (P.CANNOT_ANSWER in text or "CANNOT_ANSWER" in text) and len(sections) < MIN_SECTIONS:
        return Validated(reason=P.LLM_REASON_CANNOT)
    valid = set(given)
    mapping: dict[int, int] = {}
    removed = 0

    def _sub(m: re.Match[str]) -> str:
        nonlocal removed
        kept: list[int] = []
        for n in _numbers(m.group(1)):
            if n not in valid:
                removed += 1
                continue
            new = mapping.setdefault(n, len(mapping) + 1)
            if new not in kept:
                kept.append(new)
        return "".join(f"[{k}]" for k in kept)

    text = _MARKER_RE.sub(_sub, text)
    text = re.sub(r"[ \t]+([.,;:!?)])", r"\1", text)  # the space a removed marker left behind
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)  # ... and inside a line (indents stay)
    if not mapping:
        return Validated(reason=P.LLM_REASON_NO_CITATIONS, removed=removed, sections=sections)
    if len(sections) < needed:
        return Validated(reason=P.LLM_REASON_NO_SECTIONS, removed=removed, sections=sections)
    used = sorted(mapping, key=mapping.__getitem__)
    return Validated(text=text, used=used, removed=removed, sections=sections)


def sources_section(citations: Sequence[Citation], short_titles: dict[str, str] | None = None) -> str:
    """The Bronnen list appended to an LLM answer: the same lines as in bronnenmodus."""
    return sources_markdown(citations, short_titles)


# --- failures ------------------------------------------------------------------------------


class LLMOutputError(ValueError):
    """The model's text cannot be used; ``reason`` is the Dutch text for the fallback notice."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def failure_reason(err: BaseException, timeout: float) -> str:
    """A short Dutch reason for ``err``, by exception class (openai and httpx are what ChatOpenAI
    raises; both are imported only once a model was used)."""
    if isinstance(err, LLMOutputError):
        return err.reason
    if isinstance(err, SecretarisbotError):  # configuration, or a local server that did not start
        return P.LLM_REASON_UNAVAILABLE.format(error=err)
    import httpx
    import openai

    if isinstance(err, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        return P.LLM_REASON_TIMEOUT.format(seconds=timeout)
    if isinstance(err, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        return P.LLM_REASON_CONNECTION
    if isinstance(err, openai.APIStatusError):
        return P.LLM_REASON_HTTP.format(status=err.status_code)
    if isinstance(err, ValueError) and "No generation chunks" in str(err):
        return P.LLM_REASON_EMPTY  # langchain-core: the stream ended without any text
    return P.LLM_REASON_ERROR.format(error=type(err).__name__)  # the message itself is English


# --- the answer ------------------------------------------------------------------------------


def _join(*notices: str | None) -> str | None:
    text = " ".join(n for n in notices if n)
    return text or None


def _timings(draft: Answer, started: float) -> dict[str, float]:
    llm_ms = round((time.perf_counter() - started) * 1000, 1)
    timings = dict(draft.timings_ms)
    timings["llm"] = llm_ms
    timings["total"] = round(timings.get("total", 0.0) + llm_ms, 1)
    return timings


def fallback(draft: Answer, reason: str, started: float | None = None) -> Answer:
    """The bronnenmodus ``draft`` with the fallback notice for ``reason``."""
    update: dict[str, Any] = {"notice": _join(P.LLM_FALLBACK_NOTICE.format(reason=reason), draft.notice)}
    if started is not None:
        update["timings_ms"] = _timings(draft, started)
    return draft.model_copy(update=update)


def _final(
    draft: Answer, sources: Sequence[Citation], checked: Validated, started: float,
    short_titles: dict[str, str] | None = None,
) -> Answer:
    by_prompt = {s.n: s for s in sources}
    final_of_prompt = {p: i for i, p in enumerate(checked.used, start=1)}
    citations = [by_prompt[p].model_copy(update={"n": final_of_prompt[p]}) for p in checked.used]
    # where the draft points the secretary to help for themselves (answer/sections/help.py), the
    # model's answer does too: the product's own sentence, after the model's text
    helped = any(s.kind == "help" for s in draft.sections)
    body = checked.text + ("\n\n" + P.T_HELP_NOTE if helped and P.T_HELP_NOTE not in checked.text else "")
    answer_text = body + "\n\n" + sources_section(citations, short_titles)

    # Roles are copied from the draft; their [n] are renumbered into the final citations (a passage
    # only a role cites is appended after the ones the answer text uses).
    prompt_by_passage = {s.passage_id: s.n for s in sources}
    prompt_of_draft = {
        c.n: prompt_by_passage[c.passage_id] for c in draft.citations if c.passage_id in prompt_by_passage
    }

    def _final_n(draft_n: int) -> int | None:
        p = prompt_of_draft.get(draft_n)
        if p is None:
            return None
        if p not in final_of_prompt:
            final_of_prompt[p] = len(citations) + 1
            citations.append(by_prompt[p].model_copy(update={"n": final_of_prompt[p]}))
        return final_of_prompt[p]

    roles: list[RolePerspective] = []
    for role in draft.roles:
        numbers = [n for n in (_final_n(d) for d in role.citations) if n is not None]

        def _sub(m: re.Match[str]) -> str:
            kept = [n for n in (_final_n(d) for d in _numbers(m.group(1))) if n is not None]
            return "".join(f"[{n}]" for n in dict.fromkeys(kept))

        roles.append(role.model_copy(update={"text": _MARKER_RE.sub(_sub, role.text), "citations": numbers}))

    removed_notice = None
    if checked.removed == 1:
        removed_notice = P.LLM_REMOVED_ONE
    elif checked.removed > 1:
        removed_notice = P.LLM_REMOVED_MANY.format(count=checked.removed)
    section = AnswerSection(
        kind="text", items=[AnswerItem(text=checked.text, quote=False, citations=list(range(1, len(checked.used) + 1)))]
    )
    note = [AnswerSection(kind="help", items=[AnswerItem(text=P.T_HELP_NOTE, quote=False)])] if body != checked.text else []
    return draft.model_copy(
        update={
            "answer": answer_text,
            "sections": [section, *note],
            "mode": "llm",
            "citations": citations,
            "roles": roles,
            "notice": _join(removed_notice, draft.notice),
            "timings_ms": _timings(draft, started),
        }
    )


def _partial(inputs: Mapping[str, Any], text: str) -> Answer:
    """The draft with the text streamed so far (mode "llm", the prompt's numbering)."""
    return inputs["draft"].model_copy(
        update={"answer": text, "sections": [], "mode": "llm", "citations": list(inputs["sources"]), "notice": None}
    )


def _validated(inputs: Mapping[str, Any]) -> Answer:
    sources = inputs["sources"]
    checked = validate_output(inputs.get("raw", ""), [s.n for s in sources], llm_parts(inputs["draft"]))
    if checked.reason is not None:
        raise LLMOutputError(checked.reason)
    return _final(inputs["draft"], sources, checked, inputs["started"], inputs.get("short_titles"))


def _bronnenmodus(inputs: Mapping[str, Any], timeout: float) -> Answer:
    """The fallback: the draft with a notice that says why (``inputs["error"]``)."""
    return fallback(inputs["draft"], failure_reason(inputs["error"], timeout), inputs.get("started"))


def answer_parser(timeout: float) -> Runnable[Mapping[str, Any], Answer]:
    """The validated parser: the model's text (``raw``, streamed) beside the draft and the prompt's
    ``sources`` becomes growing partial answers, then the final validated answer.

    Invalid text raises :class:`LLMOutputError` for ``.with_fallbacks``. LangChain falls back only
    before a stream's first chunk, so a failure after the first token (the model's timeout, a broken
    connection, invalid text) ends the stream here, with the same bronnenmodus fallback.
    """
    from langchain_core.runnables import RunnableGenerator

    def parse(chunks: Iterator[Mapping[str, Any]]) -> Iterator[Answer]:
        inputs: dict[str, Any] = {}
        text = ""
        streamed = False
        try:
            for chunk in chunks:
                for key, value in chunk.items():
                    if key == "raw":
                        text += value
                    else:
                        inputs[key] = value
                if chunk.get("raw"):
                    yield _partial(inputs, text)
                    streamed = True
            yield _validated({**inputs, "raw": text})
        except Exception as err:
            if not streamed:
                raise
            yield _bronnenmodus({**inputs, "error": err}, timeout)

    class _LastAnswer(RunnableGenerator):
        def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> Answer:  # noqa: A002
            last = None
            for last in self.stream(input, config, **kwargs):
                pass
            return last

    return _LastAnswer(parse, name="AnswerParser")


def llm_chain(
    settings: Settings, chat_model: BaseChatModel | None = None
) -> Runnable[Mapping[str, Any], Answer]:
    """LLM mode as a LangChain Runnable: ``{"context", "draft", "short_titles"?, "started"?}`` ->
    Answer (``stream`` gives the growing partial answers, the last one final).

    ``prompts.llm_prompt() | chat model | StrOutputParser`` writes the text, :func:`answer_parser`
    validates it, and ``.with_fallbacks`` answers in bronnenmodus when anything fails. A
    draft the model does not write (out of scope, or a list the guide gives: :func:`writes`) is
    returned as is, without calling the model. Without ``chat_model`` the one
    ``settings`` selects is made per call (a local GGUF server may have been restarted).
    """
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableBranch, RunnableLambda, RunnablePassthrough

    def with_sources(inputs: Mapping[str, Any]) -> dict[str, Any]:
        sources = prompt_sources(inputs["context"], inputs["draft"])
        if not sources:
            raise LLMOutputError(P.LLM_REASON_NO_CITATIONS)
        return {"started": time.perf_counter(), **inputs, "sources": sources}

    def configured_model(_: Any) -> BaseChatModel:
        model = get_chat_model(settings)
        if model is None:
            raise ConfigError(f"SECRETARISBOT_LLM='{settings.llm}' kiest geen taalmodel.")
        return model

    model = chat_model if chat_model is not None else RunnableLambda(configured_model, name="chat_model")
    write = (
        RunnableLambda(lambda x: prompt_inputs(x["context"], x["draft"], x["sources"]), name="prompt_inputs")
        | P.llm_prompt()
        | model
        | StrOutputParser()
    )
    answer = (
        RunnableLambda(with_sources, name="prompt_sources")
        | RunnablePassthrough.assign(raw=write)
        | answer_parser(settings.llm_timeout)
    )
    bronnenmodus = RunnableLambda(lambda x: _bronnenmodus(x, settings.llm_timeout), name="bronnenmodus")
    guarded = answer.with_fallbacks([bronnenmodus], exception_key="error")
    return RunnableBranch(
        (lambda x: not writes(x["draft"]), RunnableLambda(lambda x: x["draft"], name="as_composed")),
        guarded,
    ).with_config(run_name="llm_answer")


def llm_answer(
    context: Context,
    draft: Answer,
    settings: Settings,
    chat_model: BaseChatModel | None = None,
    short_titles: dict[str, str] | None = None,
) -> Iterator[Answer]:
    """:func:`llm_chain` streamed for one question: partial answers (mode "llm", text growing),
    then the final validated answer, or the ``draft`` with a notice if anything fails. Never raises.

    Without ``chat_model`` and with bronnenmodus configured, the draft as is.
    """
    if chat_model is None and not llm_enabled(settings):
        yield draft
        return
    inputs = {"context": context, "draft": draft, "short_titles": short_titles or {}, "started": time.perf_counter()}
    yield from llm_chain(settings, chat_model).stream(inputs)
