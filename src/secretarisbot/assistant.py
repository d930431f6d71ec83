"""The public face: ``Assistant().ask(question)`` -> a typed, JSON-serialisable :class:`Answer`.

    from secretarisbot import Assistant
    bot = Assistant()                       # cheap: nothing is opened yet
    answer = bot.ask("Wat doe ik als de mede-directeur blokkeert?")
    for partial in bot.stream("En als de raad dat ook vindt?", history=[...]):
        print(partial.answer)

Pipeline per question: clean the input -> retrieve (HybridRetriever) -> decide scope
(:mod:`.answer.scope`) -> compose the bronnenmodus answer (:mod:`.answer.compose`) -> optionally
let the LLM rewrite it (:func:`secretarisbot.answer.llm.llm_answer`, when ``settings.llm`` is set).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from secretarisbot.answer import prompts as P
from secretarisbot.errors import InputError
from secretarisbot.model import ROLES, Answer, Context, Message
from secretarisbot.settings import Settings, get_settings

log = logging.getLogger("secretarisbot")

#: Questions longer than this are cut (at a sentence or word boundary); retrieval and composition
#: only need the gist, and a 20,000-character paste must not stall the machine.
MAX_QUESTION_CHARS = 2000
#: Each user turn of the history is cut to this length; an assistant turn to MAX_ANSWER_CHARS (a
#: whole answer within the budget of answer/draft.py, about 3,000 characters with its sources
#: list, so "never the same reflection question twice" can see all of it). Only the last
#: MAX_HISTORY_TURNS turns are used: ten questions and their answers.
MAX_HISTORY_CHARS = 2000
MAX_ANSWER_CHARS = 12000
MAX_HISTORY_TURNS = 20
#: Role passages (§2.3 and §2.3.1, kind "role") ranked per question: all thirteen of them, so the
#: reading (its best three) and the role section (each role's best) share one search.
ROLE_PASSAGES = 13

#: Terminal escape sequences (colours, cursor moves, titles): removed whole, not just their ESC byte,
#: so a question pasted from a terminal does not echo as "[31mWat doe ik…[0m".
_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
#: HTML tags pasted along with a question ("<b>", "<img src=x onerror=…>"): markup, never content.
#: Removed before anything reads the question, so they neither echo nor weigh in retrieval or scope.
_MARKUP_RE = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff"
    r"\u202a-\u202e\u2066-\u2069]"  # bidi embeddings/overrides/isolates: they flip how the echo reads
)


def clean_text(text: Any, limit: int = MAX_QUESTION_CHARS) -> str:
    """``text`` without control characters and runs of whitespace, cut sensibly at ``limit``."""
    if not isinstance(text, str):
        raise InputError("De vraag moet tekst zijn.")
    text = unicodedata.normalize("NFC", text)
    text = _ANSI_RE.sub("", text)
    text = _MARKUP_RE.sub(" ", text)
    text = _CONTROL_RE.sub(" ", text)
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= limit // 2:
        return cut[: end + 1]
    space = cut.rfind(" ")
    return cut[:space] if space >= limit // 2 else cut


def clean_question(question: Any) -> str:
    text = clean_text(question)
    if not text:
        raise InputError("De vraag is leeg. Typ een vraag over je fusie- of samenwerkingssituatie.")
    return text


def clean_history(history: Iterable[Message | Mapping[str, Any]] | None) -> list[Message]:
    """History as Messages (dicts with role/content and bare strings accepted), cleaned and cut."""
    out: list[Message] = []
    for item in history or ():
        if isinstance(item, Message):
            role, content = item.role, item.content
        elif isinstance(item, str):  # a bare string is an earlier question
            role, content = "user", item
        elif isinstance(item, Mapping):
            role, content = item.get("role"), item.get("content")
        else:
            raise InputError(
                "Elk eerder bericht moet een object zijn met 'role' ('user' of 'assistant') en 'content'."
            )
        if role not in ("user", "assistant"):
            raise InputError(f"Onbekende rol {role!r} in het gesprek; gebruik 'user' of 'assistant'.")
        if not isinstance(content, str):
            raise InputError("De inhoud ('content') van een eerder bericht moet tekst zijn.")
        text = clean_text(content, MAX_ANSWER_CHARS if role == "assistant" else MAX_HISTORY_CHARS)
        if text:
            out.append(Message(role=role, content=text))
    return out[-MAX_HISTORY_TURNS:]


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000.0, 1)


class Assistant:
    """Answers questions from the guides. Cheap to construct; the index opens on first use."""

    def __init__(self, settings: Settings | dict[str, Any] | None = None) -> None:
        self.settings = get_settings(settings)
        self._index: Any = None
        self._retriever: Any = None
        self._sources: Any = None
        self._scope: Any = None
        self._lock = threading.Lock()

    # --- lazy parts -------------------------------------------------------------------------

    def _fresh(self) -> bool:
        """Opened, and still the build the index folder serves (a rebuild publishes a new one)."""
        if self._retriever is None:
            return False
        is_current = getattr(self._index, "is_current", None)
        return is_current is None or is_current()

    def _ensure(self) -> None:
        if self._fresh():
            return
        with self._lock:
            if self._fresh():
                return
            from secretarisbot.answer.citations import Sources
            from secretarisbot.errors import SecretarisbotError
            from secretarisbot.index.store import open_index
            from secretarisbot.retrieve.retriever import HybridRetriever

            from secretarisbot.answer.scope_fit import scope_model

            try:
                index = open_index(self.settings)
            except SecretarisbotError:
                if self._retriever is None:
                    raise
                # A new build that does not fit (or cannot be read): keep serving the open one.
                log.warning("a new index build was published but cannot be opened; serving the previous one",
                            exc_info=True)
                self._index.is_current = lambda: True  # type: ignore[union-attr]
                return
            retriever = HybridRetriever(index, self.settings)
            retriever.warm_up()
            scope = scope_model(index, self.settings)
            self._sources = Sources.from_index(index)
            self._index = index
            self._scope = scope
            self._retriever = retriever

    @property
    def index(self) -> Any:
        self._ensure()
        return self._index

    @property
    def retriever(self) -> Any:
        """The HybridRetriever answers are built on (the app's "Verdieping" shares it)."""
        self._ensure()
        return self._retriever

    @property
    def sources(self) -> Any:
        self._ensure()
        return self._sources

    # --- API --------------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: Iterable[Message | Mapping[str, Any]] = (),
        *,
        role: str | None = None,
        filters: Mapping[str, str | None] | None = None,
    ) -> Answer:
        """The complete answer to ``question`` (the last of :meth:`stream`)."""
        answer: Answer | None = None
        for answer in self.stream(question, history, role=role, filters=filters):
            pass
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        history: Iterable[Message | Mapping[str, Any]] = (),
        *,
        role: str | None = None,
        filters: Mapping[str, str | None] | None = None,
    ) -> Iterator[Answer]:
        """Growing partial answers (bronnenmodus: section by section; LLM mode: token by token),
        the last one final. Input errors raise :class:`InputError` before anything is yielded."""
        from secretarisbot.answer.reading import normalise_role

        started = time.perf_counter()
        text = clean_question(question)
        turns = clean_history(history)
        try:
            chosen = normalise_role(role)
        except ValueError as err:
            raise InputError(str(err)) from None
        self._ensure()
        for partial in self._answers(text, turns, chosen, filters, llm=self._llm_enabled()):
            yield self._timed(partial, started)

    def _answers(
        self,
        text: str,
        turns: list[Message],
        chosen: str | None,
        filters: Mapping[str, str | None] | None,
        *,
        llm: bool,
    ) -> Iterator[Answer]:
        """The pipeline for one cleaned question: a follow-up operation on the previous answer,
        or retrieve -> scope -> compose (-> LLM)."""
        from secretarisbot.answer.followup import apply, operation, previous_turn

        op = operation(text, turns, self._sources)
        if op is not None:
            prev = previous_turn(turns)
            if prev is not None:
                within = {"document": op.document} if op.kind == "within" else filters
                previous: Answer | None = None
                for previous in self._answers(prev[0], prev[1], chosen, within, llm=False):
                    pass
                assert previous is not None
                yield apply(op, text, previous, self._sources)
                return

        hints: dict[str, float] = {}
        item = self._referenced_item(text, turns)
        if item is not None:  # "En de derde?" after an overview
            text, filters = f"{text} ({item})", self._item_filters(item, filters)
            hints["lijstverwijzing"] = 1.0
            if chosen is None and item in ROLES:
                chosen = item  # "En de tweede?" after the four roltypen

        t = time.perf_counter()
        result, evidence, reading, role_passages = self._retrieve(text, turns, filters)
        timings = {"retrieve": _ms(t)}
        context = result.context

        from secretarisbot.answer.scope import decide, refusal

        t = time.perf_counter()
        decision = decide(text, context.history, evidence, self._scope, hints)
        if not decision.in_scope:
            yield self._with_timings(refusal(context, self._sources, decision), timings, t)
            return

        from secretarisbot.answer.compose import iter_answers
        from secretarisbot.answer.draft import Draft

        def search(extra: dict[str, str], k: int) -> list[Any]:
            if extra == {"kind": "role"}:
                return role_passages[:k]  # ranked once for the reading; the sections share it
            merged = {**(filters or {}), **extra}
            return self._retriever.search(text, turns, k=k, filters=merged, reuse=result).context.passages

        draft = Draft(
            context=context, sources=self._sources, reading=reading, search=search, bank=result.bank,
            role=chosen, relevant=frozenset(result.fused),
        )
        notice = P.T_CAUTION if decision.outcome == "caution" else None
        composed: Answer | None = None
        for composed in iter_answers(draft, notice):
            if not llm:
                yield self._with_timings(composed, timings, t, "compose")
        assert composed is not None
        if not llm:
            return
        from secretarisbot.answer.llm import llm_answer

        composed = self._with_timings(composed, timings, t, "compose")
        titles = {d.id: d.short_title or d.title for d in self._sources.documents}
        for partial in llm_answer(context, composed, self.settings, short_titles=titles):
            yield partial

    # --- steps ------------------------------------------------------------------------------

    def _referenced_item(self, text: str, turns: list[Message]) -> str | None:
        """The item of the previous question's list that ``text`` points at; its title then joins
        the question (so the answer says how it was read) and scope knows it is a follow-up."""
        from secretarisbot.answer.frameworks import referenced_item

        return referenced_item(text, turns, self._sources)

    def _item_filters(
        self, item: str, filters: Mapping[str, str | None] | None
    ) -> Mapping[str, str | None] | None:
        """Search a list item in its own guide, unless the caller chose filters."""
        from secretarisbot.answer.frameworks import document_of_item

        document = document_of_item(item, self._sources)
        if document and not any((filters or {}).values()):
            return {"document": document}
        return filters

    def _retrieve(
        self, question: str, history: list[Message], filters: Mapping[str, str | None] | None
    ) -> tuple[Any, Any, Any, list[Any]]:
        """The retrieval (context and diagnostics), the scope evidence, the role passages ranked for
        the question and the reading of the question (roles,
        situation) that retrieval's bank neighbours and passages give."""
        from secretarisbot.answer.reading import read
        from secretarisbot.answer.scope import ScopeEvidence

        result = self._retriever.search(question, history, k=self.settings.top_k, filters=filters)
        evidence = ScopeEvidence.of(
            [s for _, s in result.bank], [s for _, s in result.bank_out], list(result.dense.values()),
            result.coverage,
        )
        roles = self._retriever.search(
            question, history, k=ROLE_PASSAGES, filters={**(filters or {}), "kind": "role"}, reuse=result
        ).context.passages
        return result, evidence, read(result.bank, result.context.passages, roles[:3]), roles

    def _llm_enabled(self) -> bool:
        if not self.settings.llm:
            return False
        try:
            import secretarisbot.answer.llm  # noqa: F401
        except ImportError:
            return False
        return True

    @staticmethod
    def _with_timings(answer: Answer, timings: dict[str, float], since: float, step: str = "scope") -> Answer:
        merged = {**answer.timings_ms, **timings, step: _ms(since)}
        return answer.model_copy(update={"timings_ms": merged})

    @staticmethod
    def _timed(answer: Answer, started: float) -> Answer:
        return answer.model_copy(update={"timings_ms": {**answer.timings_ms, "total": _ms(started)}})
