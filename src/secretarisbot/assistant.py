"""The public face: ``Assistant().ask(question)`` -> a typed, JSON-serialisable :class:`Answer`.

    from secretarisbot import Assistant
    bot = Assistant()                       # cheap: nothing is opened yet
    answer = bot.ask("Wat doe ik als de mede-directeur blokkeert?")
    for partial in bot.stream("En als de raad dat ook vindt?", history=[...]):
        print(partial.answer)

The pipeline is a LangChain Runnable, :attr:`Assistant.chain`; ``ask``/``stream`` are thin
wrappers around it::

    prepare | retrieve | scope | compose                                   (bronnenmodus)
    prepare | retrieve | scope | branch(answered already: compose,
                                        else: draft | answer.llm.llm_chain)  (LLM mode)

    bot.chain.invoke("Wat doe ik als de mede-directeur blokkeert?")        # -> Answer
    bot.chain.stream({"question": "...", "history": [...], "role": None, "filters": {"kind": "case"}})
    bot.chain.batch(["vraag 1", "vraag 2"])

``prepare`` cleans the input; ``retrieve`` runs the HybridRetriever (or answers a follow-up
operation on the previous answer); ``scope`` decides (:mod:`.answer.scope`) and refuses out of
scope; ``compose`` writes the bronnenmodus answer section by section (:mod:`.answer.compose`);
in LLM mode the final draft goes to ``prompt | chat model | validated parser`` with
``.with_fallbacks`` to bronnenmodus.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from secretarisbot.answer import prompts as P
from secretarisbot.errors import InputError
from secretarisbot.model import ROLES, Answer, BankQuestion, Context, Message
from secretarisbot.settings import Settings, get_settings

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

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
#: Role passages (§2.3 and §2.3.1, kind "role") ranked per question: all thirteen of them, so the
#: reading (its best three) and the role section (each role's best) share one search.
ROLE_PASSAGES = 13
MAX_HISTORY_TURNS = 20

#: Terminal escape sequences (colours, cursor moves, titles): removed whole, not just their ESC byte,
#: so a question pasted from a terminal does not echo as "[31mWat doe ik…[0m".
_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
#: HTML tags pasted along with a question ("<b>", "<img src=x onerror=…>"): markup, never content.
#: Removed before anything reads the question, so they neither echo nor weigh in retrieval or scope.
_MARKUP_RE = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
#: A script or style element pasted along with a question: its content is code, not the question
#: ("<script>alert('x')</script><b>Wat doe ik als …</b>"), and goes with its tags. When it is all
#: there is, it stays (without the tags), and the scope step refuses it as code (:func:`code_only`).
_CODE_OPEN_RE = re.compile(r"<(script|style)\b[^<>]{0,300}>", re.IGNORECASE)

_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff"
    r"\u202a-\u202e\u2066-\u2069]"  # bidi embeddings/overrides/isolates: they flip how the echo reads
)


def _without_code(text: str) -> str:
    """``text`` without its script and style elements (an unclosed one stays); one pass, so a
    long paste of opening tags costs no more than its length."""
    kept: list[str] = []
    at = 0
    while (start := _CODE_OPEN_RE.search(text, at)) is not None:
        close = re.compile(rf"</{start.group(1)}\s*>", re.IGNORECASE).search(text, start.end())
        if close is None:
            break
        kept.append(text[at : start.start()])
        at = close.end()
    kept.append(text[at:])
    return " ".join(kept)


def code_only(text: Any) -> bool:
    """Whether ``text`` holds a script or style element and nothing else that reads as words (read
    as :func:`clean_text` reads it: a terminal's colour codes around it are no words)."""
    if not isinstance(text, str):
        return False
    text = _ANSI_RE.sub("", unicodedata.normalize("NFC", text))
    return bool(_CODE_OPEN_RE.search(text)) and not _cleaned(_without_code(text), MAX_QUESTION_CHARS)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def _once(text: str) -> str:
    """``text`` with a sentence repeated right after itself kept once: a stuck paste ("Mijn
    mede-directeur blokkeert. Mijn mede-directeur blokkeert. ...") says it once, and said 700 times
    it reads to the embedder as something else (a prompt-like wall of text)."""
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        # the same sentence again, or the start of it where a cut paste ends
        if not kept or not kept[-1].casefold().startswith(sentence.casefold()):
            kept.append(sentence)
    return " ".join(kept)


def clean_text(text: Any, limit: int = MAX_QUESTION_CHARS) -> str:
    """``text`` without control characters and runs of whitespace, cut sensibly at ``limit``: at a
    sentence end, keeping the question a long text ends on (:func:`closing_question`)."""
    if not isinstance(text, str):
        raise InputError("De vraag moet tekst zijn.")
    text = _ANSI_RE.sub("", unicodedata.normalize("NFC", text))
    return _cleaned(_without_code(text), limit) or _cleaned(text, limit)


def _cleaned(text: str, limit: int) -> str:
    text = _MARKUP_RE.sub(" ", text)
    text = _CONTROL_RE.sub(" ", text)
    text = _once(re.sub(r"[ \t\r\n]+", " ", text).strip())
    if len(text) <= limit:
        return text
    # a long situation that ends on its question ("… Wat nu?"): the start and that question (a
    # walk-through found the question of a 5,000-character situation never read)
    ask = closing_question(text, limit // ASK_SHARE)
    if ask:
        return f"{_cut(text[: -len(ask)].rstrip(), limit - len(ask) - 1)} {ask}"
    return _cut(text, limit)


#: A question that ends a long text is read along with its start when it is at most this fraction
#: of the limit (500 of 2,000 characters: a situation's closing question is one or two lines).
ASK_SHARE = 4
#: "?" with what may close it: quotes, brackets, "!", an emoji ("Wat nu?!", "(Wat nu?)", "… dit?" 🙏).
_ENDS_ASKING = re.compile(r"\?[\s\W]*$")
#: Abbreviations whose full stop ends no sentence ("bijv. de raad", "art. 12", "o.a."): letters with
#: dots between them, or one of these.
_ABBREVIATION = re.compile(
    r"(?:[a-z]\.){2,}|(?:bijv|bv|art|blz|nr|incl|excl|evt|ca|resp|vgl|zgn|mr|dhr|mevr|drs|ir|dr|prof|ivm|mbt|tav)\.",
    re.IGNORECASE,
)


def closing_question(text: str, max_chars: int) -> str | None:
    """The question ``text`` ends on, from the start of its sentence (an abbreviation's full stop
    does not end one), when it is at most ``max_chars`` long; None otherwise."""
    if not _ENDS_ASKING.search(text):
        return None
    start = 0
    words_after = re.search(r"\w[^\w]*$", text)  # the last word character: a split after it is no start
    for end in _SENTENCE_END.finditer(text):
        word = text[text.rfind(" ", 0, end.start()) + 1 : end.start()]
        # a split with no word after it ("… doen? 🙏") or after an abbreviation ("bijv. de raad") starts nothing
        if words_after and end.end() <= words_after.start() and word and not _ABBREVIATION.fullmatch(word):
            start = end.end()
    ask = text[start:]
    return ask if len(ask) <= max_chars and start > 0 else None


def _cut(text: str, limit: int) -> str:
    """``text`` cut at ``limit`` characters: at a sentence end in its second half, else at a space."""
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


#: The two sides of a conversation as other chat formats name them, in any letter case: OpenAI's
#: "user"/"assistant", LangChain's "human"/"ai", Gemini's "model". A history copied from one of them
#: is read as it is meant instead of refused.
HISTORY_ROLES = {"user": "user", "human": "user", "assistant": "assistant", "ai": "assistant", "model": "assistant"}
#: Turns that are neither the secretary's nor the assistant's (instructions to a model, a tool's
#: output): left out, as the assistant follows no instructions from its input.
SKIPPED_ROLES = frozenset({"system", "developer", "tool", "function"})


def _content_text(content: Any) -> Any:
    """A message's content as text: a list of parts ([{"type": "text", "text": …}], as OpenAI's chat
    format sends it) becomes its text parts on lines of their own; anything else as it is."""
    if isinstance(content, list) and all(isinstance(part, (str, Mapping)) for part in content):
        texts = [part if isinstance(part, str) else part.get("text") for part in content]
        if all(isinstance(t, str) or t is None for t in texts):
            return "\n".join(t for t in texts if t)
    return content


def clean_history(history: Iterable[Message | Mapping[str, Any]] | None) -> list[Message]:
    """History as Messages (dicts with role/content and bare strings accepted), cleaned and cut."""
    out: list[Message] = []
    for item in history or ():
        if isinstance(item, Message):
            role, content = item.role, item.content
        elif isinstance(item, str):  # a bare string is an earlier question
            role, content = "user", item
        elif isinstance(item, Mapping):
            role, content = item.get("role"), _content_text(item.get("content"))
        else:
            raise InputError(
                "Elk eerder bericht moet een object zijn met 'role' ('user' of 'assistant') en 'content'."
            )
        named = role.strip().lower() if isinstance(role, str) else None
        if named in SKIPPED_ROLES:
            continue
        if named not in HISTORY_ROLES:
            raise InputError(f"Onbekende rol {role!r} in het gesprek; gebruik 'user' of 'assistant'.")
        role = HISTORY_ROLES[named]
        if not isinstance(content, str):
            raise InputError("De inhoud ('content') van een eerder bericht moet tekst zijn.")
        text = clean_text(content, MAX_ANSWER_CHARS if role == "assistant" else MAX_HISTORY_CHARS)
        if text:
            out.append(Message(role=role, content=text))
    return out[-MAX_HISTORY_TURNS:]


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000.0, 1)


class BankProfiles(NamedTuple):
    """Per passage, what the question bank says of it (Assistant.bank_profiles)."""

    roles: dict[str, dict[str, float]]  # reading.role_profiles
    topics: dict[str, dict[str, float]]  # reading.topic_profiles
    written_for: dict[str, list[BankQuestion]]  # its in-scope bank questions, in bank order


@dataclass
class Turn:
    """One cleaned question on its way through :attr:`Assistant.chain`."""

    question: str
    history: list[Message]
    role: str | None = None
    filters: Mapping[str, str | None] | None = None
    started: float = field(default_factory=time.perf_counter)
    hints: dict[str, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    retrieval: Any = None  # retrieve.retriever.Retrieval
    evidence: Any = None  # answer.scope.ScopeEvidence
    reading: Any = None  # answer.reading.Reading
    #: The role passages (§2.3, kind "role") ranked for the question: the reading and the role
    #: section share this one search.
    role_passages: list[Any] = field(default_factory=list)
    decision: Any = None  # answer.scope decision
    #: Answered without composing: a follow-up operation on the previous answer, or a refusal.
    done: Answer | None = None


class Assistant:
    """Answers questions from the guides. Cheap to construct; the index opens on first use."""

    def __init__(self, settings: Settings | dict[str, Any] | None = None, *, chat_model: Any = None) -> None:
        """``chat_model``: a LangChain chat model for LLM mode instead of the one ``settings.llm``
        selects (any ``BaseChatModel``; tests pass LangChain's fakes)."""
        self.settings = get_settings(settings)
        self.chat_model = chat_model
        self._index: Any = None
        self._profiles: tuple[Any, BankProfiles] | None = None
        self._retriever: Any = None
        self._sources: Any = None
        self._scope: Any = None
        self._lock = threading.Lock()
        self._chain: Any = None
        self._bronnen: Any = None

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
        turn = self._prepare({"question": question, "history": history, "role": role, "filters": filters})
        yield from self.chain.stream(turn)

    # --- the chain --------------------------------------------------------------------------

    @property
    def chain(self) -> Runnable[Any, Answer]:
        """The pipeline as a LangChain Runnable: ``invoke``/``stream``/``batch`` take a question
        (str) or ``{"question", "history"?, "role"?, "filters"?}`` and produce :class:`Answer`\ s."""
        if self._chain is None:
            self._chain = self._build_chain()
        return self._chain

    def _build_chain(self) -> Runnable[Any, Answer]:
        from langchain_core.runnables import RunnableBranch, RunnableLambda

        prepare = RunnableLambda(self._prepare, name="prepare")
        retrieve = RunnableLambda(self._retrieve_step, name="retrieve")
        scope = RunnableLambda(self._scope_step, name="scope")
        compose = RunnableLambda(self._compose_step, name="compose")
        self._bronnen = (prepare | retrieve | scope | compose).with_config(run_name="bronnenmodus")
        if not self._llm_enabled():
            return self._bronnen.with_config(run_name="secretarisbot")
        from secretarisbot.answer.llm import llm_chain

        write = RunnableLambda(self._llm_inputs, name="draft") | llm_chain(self.settings, self.chat_model)
        answered = RunnableBranch((lambda turn: turn.done is not None, compose), write)
        return (prepare | retrieve | scope | answered).with_config(run_name="secretarisbot")

    def _prepare(self, inputs: Any) -> Turn:
        """Chain input (a question, or a dict with question/history/role/filters) -> a clean Turn."""
        from secretarisbot.answer.reading import normalise_role

        if isinstance(inputs, Turn):
            return inputs
        if isinstance(inputs, str):
            inputs = {"question": inputs}
        if not isinstance(inputs, Mapping):
            raise InputError("Geef een vraag als tekst, of als object met 'question' (en eventueel 'history').")
        unknown = set(inputs) - {"question", "history", "role", "filters"}
        if unknown:
            raise InputError(
                f"Onbekend veld {sorted(unknown)[0]!r}; mogelijk zijn 'question', 'history', 'role' en 'filters'."
            )
        started = time.perf_counter()
        text = clean_question(inputs.get("question"))
        turns = clean_history(inputs.get("history") or ())
        try:
            chosen = normalise_role(inputs.get("role"))
        except ValueError as err:
            raise InputError(str(err)) from None
        self._ensure()
        hints = {"code": 1.0} if code_only(inputs.get("question")) else {}
        return Turn(question=text, history=turns, role=chosen, filters=inputs.get("filters"), started=started, hints=hints)

    def _retrieve_step(self, turn: Turn) -> Turn:
        """A follow-up operation on the previous answer (``turn.done``), or the retrieval of the
        question (a list item the question points at joins it)."""
        from secretarisbot.answer.followup import LOOKS_PAST, apply, guide_asked, operation, previous_turn

        # code alone is no follow-up either ("<script>Wat zegt de Wegwijzer daarover?</script>")
        op = None if turn.hints.get("code") else operation(turn.question, turn.history, self._sources)
        if op is not None:
            # "wat zegt de Wegwijzer daarover?" asks about the subject, past earlier operations
            # (followup.LOOKS_PAST)
            prev = previous_turn(turn.history, self._sources, LOOKS_PAST[op.kind])
            previous = None  # nothing before it to operate on: the answer says so
            if prev is not None:
                within = {"document": op.document} if op.kind == "within" else turn.filters
                # "within" is a new answer to the earlier question: it knows the whole conversation,
                # so it does not quote again what an earlier answer quoted (a review found it
                # repeating a previous answer that had quoted only that guide); "shorter" and
                # "where" remake the previous answer itself
                history = turn.history if op.kind == "within" else prev[1]
                previous = self._bronnen.invoke(Turn(question=prev[0], history=history, role=turn.role, filters=within))
            turn.done = apply(op, turn.question, previous, self._sources)
            return turn

        document = guide_asked(turn.question, self._sources)
        if document is not None and not (turn.filters or {}).get("document"):
            turn.filters = {**(turn.filters or {}), "document": document}

        item = self._referenced_item(turn.question, turn.history)
        if item is not None:  # "En de derde?" after an overview
            turn.question, turn.filters = f"{turn.question} ({item})", self._item_filters(item, turn.filters)
            turn.hints["lijstverwijzing"] = 1.0
            if turn.role is None and item in ROLES:
                turn.role = item  # "En de tweede?" after the four roltypen

        t = time.perf_counter()
        turn.retrieval, turn.evidence, turn.reading, turn.role_passages = self._retrieve(
            turn.question, turn.history, turn.filters
        )
        turn.timings["retrieve"] = _ms(t)
        return turn

    def _scope_step(self, turn: Turn) -> Turn:
        """In scope? An out-of-scope question is answered here, with the nearest topics."""
        from secretarisbot.answer.compose import suggestions_near
        from secretarisbot.answer.scope import asks_for_writing, decide, no_word, refusal, writing_topic
        from secretarisbot.retrieve.query import user_turns

        if turn.done is not None:
            return turn
        t = time.perf_counter()
        context = turn.retrieval.context
        speller = getattr(getattr(self._retriever.lexical, "analyzer", None), "speller", None)
        if speller is not None and no_word(turn.question, speller.knows):
            turn.hints["geen woord"] = 1.0
        evidence, bank_out, about = turn.evidence, turn.retrieval.bank_out, None
        if asks_for_writing(turn.question):
            # a text to write: whether the guides hold its subject, and where they come nearest, is
            # read from the subject alone (scope.writing_topic), not from the ask
            topic = writing_topic(turn.question)
            evidence = None
            if topic:
                # the subject alone: a short one reads as a follow-up, and the earlier turns would
                # judge it ("Stel een uitnodiging op voor de MT-heidag" after a herindeling)
                about = self._retriever.search(topic, (), k=self.settings.top_k, filters=turn.filters)
                evidence, bank_out = self._evidence(about), about.bank_out
                context = about.context.model_copy(update={"question": context.question})
        turn.decision = decide(turn.question, context.history, evidence, self._scope, turn.hints)
        if not turn.decision.in_scope:
            # a text on the guides' ground: the questions that get their passages, one click away
            on_topic = about is not None and turn.decision.evidence.get("onderwerp")
            asked = [turn.question, *user_turns(turn.history)]
            asks = suggestions_near(about.bank, [p.id for p in about.context.passages], asked) if on_topic else []
            refused = refusal(context, self._sources, turn.decision, bank_out, asks)
            turn.done = self._with_timings(refused, turn.timings, t)
        else:
            turn.timings["scope"] = _ms(t)
        return turn

    def _compose_step(self, turn: Turn) -> Iterator[Answer]:
        """The bronnenmodus answer, section by section (or the answer given already)."""
        if turn.done is not None:
            yield self._timed(turn.done, turn.started)
            return
        from secretarisbot.answer.compose import iter_answers
        from secretarisbot.answer.draft import Draft

        text, turns, filters, result = turn.question, turn.history, turn.filters, turn.retrieval

        def search(extra: dict[str, str], k: int) -> list[Any]:
            merged = {**(filters or {}), **extra}
            return self._retriever.search(text, turns, k=k, filters=merged, reuse=result).context.passages

        budget = self.settings.answer
        bank = self.bank_profiles()
        draft = Draft(
            context=result.context, sources=self._sources, reading=turn.reading, search=search, bank=result.bank,
            role=turn.role, ranked=tuple(result.fused), role_passages=list(turn.role_passages),
            topics=bank.topics, written_for=bank.written_for,
            max_citations=budget.max_citations, word_budget=budget.word_budget,
        )  # fmt: skip
        notice = P.T_CAUTION if turn.decision.outcome == "caution" else None
        t = time.perf_counter()
        for composed in iter_answers(draft, notice):
            yield self._timed(self._with_timings(composed, turn.timings, t, "compose"), turn.started)

    def _llm_inputs(self, turn: Turn) -> dict[str, Any]:
        """The input of the LLM chain: the retrieved context and the final bronnenmodus draft."""
        draft: Answer | None = None
        for draft in self._compose_step(turn):
            pass
        titles = {d.id: d.short_title or d.title for d in self._sources.documents}
        return {"context": turn.retrieval.context, "draft": draft, "short_titles": titles, "started": time.perf_counter()}

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

    def bank_profiles(self) -> BankProfiles:
        """What the bank's labels say of each passage (answer/reading.py: its roles and its topic)
        and the bank questions written for it, once per index; empty with the bank switched off
        (``settings.question_bank``: passages only)."""
        from secretarisbot.answer.reading import role_profiles, topic_profiles

        index = self._index
        if self._profiles is None or self._profiles[0] is not index:
            questions = list(getattr(index, "questions", ()) or ()) if self.settings.question_bank else []
            written: dict[str, list[BankQuestion]] = {}
            for q in questions:
                if q.scope == "in" and q.passage_id:
                    written.setdefault(q.passage_id, []).append(q)
            self._profiles = (index, BankProfiles(role_profiles(questions), topic_profiles(questions), written))
        return self._profiles[1]

    def _retrieve(
        self, question: str, history: list[Message], filters: Mapping[str, str | None] | None
    ) -> tuple[Any, Any, Any, list[Any]]:
        """The retrieval (context and diagnostics), the scope evidence, the reading of the question
        (roles, situation) that retrieval's bank neighbours and passages give, and the role passages
        ranked for the question."""
        from secretarisbot.answer.reading import read

        result = self._retriever.search(question, history, k=self.settings.top_k, filters=filters)
        evidence = self._evidence(result)
        roles = self._retriever.search(
            question, history, k=ROLE_PASSAGES, filters={**(filters or {}), "kind": "role"}, reuse=result
        ).context.passages
        profiles, topics, _ = self.bank_profiles()
        reading = read(result.bank, result.context.passages, roles[:3], question=result.query.text,
                       profiles=profiles, topics=topics)
        return result, evidence, reading, roles

    def _evidence(self, result: Any) -> Any:
        """What the scope model reads of a retrieval result (:class:`~.answer.scope.ScopeEvidence`)."""
        from secretarisbot.answer.scope import ScopeEvidence

        return ScopeEvidence.of(
            [s for _, s in result.bank], [s for _, s in result.bank_out], list(result.dense.values()),
            result.coverage, self._scope.direction_of(result.vector) if self._scope is not None else 0.0,
        )

    def _llm_enabled(self) -> bool:
        from secretarisbot.answer.llm import llm_enabled

        return self.chat_model is not None or llm_enabled(self.settings)

    @staticmethod
    def _with_timings(answer: Answer, timings: dict[str, float], since: float, step: str = "scope") -> Answer:
        merged = {**answer.timings_ms, **timings, step: _ms(since)}
        return answer.model_copy(update={"timings_ms": merged})

    @staticmethod
    def _timed(answer: Answer, started: float) -> Answer:
        return answer.model_copy(update={"timings_ms": {**answer.timings_ms, "total": _ms(started)}})
