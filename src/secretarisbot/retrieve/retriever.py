"""HybridRetriever: BM25 + dense search, fused with RRF, diversified with MMR.

    retriever = HybridRetriever(open_index(settings), settings)
    context = retriever.retrieve("wat doe ik als de mede-directeur blokkeert?")
    context.passages[0].section, context.passages[0].score

It is a LangChain retriever too, so it plugs into any LCEL chain::

    docs = retriever.invoke("wat doe ik als de mede-directeur blokkeert?")   # list[Document]
    docs = retriever.invoke(question, config={"configurable": {"filters": {"kind": "case"}}})
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | model

A Document's ``page_content`` is the passage text, its ``id`` the passage id and its ``metadata``
the passage's fields (document, title, section, kind, start, end, fase, role, ..., rank, score).

Steps of :meth:`HybridRetriever.retrieve`:

1. :func:`~secretarisbot.retrieve.query.build_query` resolves a follow-up against the earlier
   user turns and expands domain synonyms (weighted stems for BM25, plain text for dense).
2. BM25 (:mod:`.lexical`) and ``index.dense_search`` each return ``settings.candidates``
   passages, both restricted by the same filters (a mask for BM25, a Chroma ``where``).
3. With a question bank in the index, a third ranking joins: the passages whose bank questions
   (:mod:`secretarisbot.corpus.questions`) are nearest to the question, a passage scoring its
   best-matching question. The same query vector serves passages and bank. The learned fusion
   (:mod:`.learned`, ``settings.retrieval.fusion``) orders the three rankings' candidates by a
   fitted score over their scores and ranks; without the bank (or with ``fusion="rrf"``)
   :func:`~secretarisbot.retrieve.fusion.reciprocal_rank_fusion` merges the rankings.
4. :func:`~secretarisbot.retrieve.fusion.mmr` picks ``k`` of them so the list is not five slices
   of one section; at most ``max_per_section`` passages per section survive. The best passage
   always stays first.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableConfig
from pydantic import ConfigDict, Field, PrivateAttr

from secretarisbot.errors import InputError
from secretarisbot.model import (
    BIJLAGE_FASES,
    FASES,
    KINDS,
    ROLES,
    BankQuestion,
    Context,
    Message,
    Passage,
    RetrievedPassage,
)
from secretarisbot.retrieve.analyze import Analyzer, Decompounder, _tokens, content_words
from secretarisbot.retrieve.bank_classifier import BankClassifier, bank_classifier
from secretarisbot.retrieve.fusion import mmr, promote_continuations, reciprocal_rank_fusion
from secretarisbot.retrieve.learned import LearnedFusion, Signals, candidate_features, pseudo_rrf
from secretarisbot.retrieve.lexical import BM25Index
from secretarisbot.retrieve.query import Query, build_query, lexical_form
from secretarisbot.retrieve.spelling import Speller
from secretarisbot.settings import Settings, get_settings

logger = logging.getLogger(__name__)

Mode = Literal["hybrid", "bm25", "dense"]
MODES: tuple[str, ...] = ("hybrid", "bm25", "dense")
FILTER_KEYS: tuple[str, ...] = ("document", "kind", "fase", "role")

#: A follow-up with fewer content words than this asks about the conversation's subject and adds
#: no condition of its own to search for: its own vector would pull in passages about anything
#: ("wat kan ik dan als eerste doen?" put two generic passages in the deadlock's top 5, which a
#: retrieval test guards). A guard for that expectation, not a fit: on the dev-side follow-ups
#: (2026-12-03) recall@3 / @5 / @10 with and without it, the 40 conversations 0.838 / 0.883 /
#: 0.892 both (none has fewer than five content words); the 24 follow-ups of core, tune and
#: retired 0.812 / 0.833 / 0.875 against 0.833 / 0.833 / 0.896: one item the other way ("En de
#: nadelen?", one content word, gains without it). No item tells 2 from 3.
OWN_WORDS_MIN = 3
#: Query vectors kept per retriever (oldest dropped first): a question's section searches reuse it.
VECTOR_CACHE = 256
#: Learned-fusion signals kept per retriever (about 60 kB each), for the same reason.
SIGNALS_CACHE = 16

#: MMR similarity of two passages from the same section (before lexical overlap is considered).
SAME_SECTION_SIMILARITY = 0.6


@dataclass
class LexicalIndex:
    """BM25 over an Index's passages plus the lookups retrieval needs; built once per Index."""

    passages: list[Passage]
    bm25: BM25Index
    position: dict[str, int]
    analyzer: Analyzer
    build_ms: float = 0.0
    #: Per passage (by position) the adjacent passages its text continues: same document, same
    #: section, same kind. A Bijlage I row is an item of its own, not the continuation of the row
    #: before it.
    continuations: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, passages: Sequence[Passage], documents: Sequence[Any] = (), questions: Sequence[BankQuestion] = ()
    ) -> LexicalIndex:
        """Index ``passages``; ``documents`` (model.Document) add each guide's short name;
        in-scope bank ``questions`` are added to the text of the passage they were written for
        (document expansion, as doc2query does): a secretary's words then meet the words other
        secretaries would use for the same passage."""
        t0 = time.perf_counter()
        passages = list(passages)
        names = {d.id: d.short_title for d in documents if getattr(d, "short_title", "")}
        asked: dict[str, list[str]] = {}
        for q in questions:
            if q.scope == "in" and q.passage_id:
                asked.setdefault(q.passage_id, []).append(q.text)
        texts = [" ".join([_indexed_text(p, names.get(p.document, "")), *asked.get(p.id, ())]) for p in passages]
        tokens = [_tokens(t) for t in texts]
        analyzer = Analyzer(Decompounder.from_tokens(tokens), speller=Speller.from_tokens(tokens))
        return cls(
            passages=passages,
            bm25=BM25Index.build(tokens=[[s for s, _ in analyzer.weighted_tokens(t)] for t in tokens]),
            position={p.id: i for i, p in enumerate(passages)},
            analyzer=analyzer,
            build_ms=_ms(t0),
            continuations=continuations(passages),
        )


    def coverage(self, question: str, top: int = 10) -> float:
        """:meth:`BM25Index.coverage` of the question's own whole words (no synonyms, no compound
        parts, no history) over its ``top`` BM25 passages."""
        own = {
            term: 1.0 for term, weight in self.analyzer.weighted(lexical_form(self.analyzer.correct(question)))
            if weight >= 1.0
        }
        hits = self.bm25.search(own, top)
        return round(self.bm25.coverage(own, [i for i, _ in hits]), 4)


def _indexed_text(p: Passage, document_name: str = "") -> str:
    """What BM25 sees of a passage: its text, plus headings and labels the text may not repeat.

    The guide's short name ("Wegwijzer", "SETA") is added so "wat zegt de Wegwijzer over ..."
    leans towards that guide.
    """
    extra = [
        p.section.split("›")[-1] if p.section else "", p.facet_title or "", p.role or "", p.fase or "",
        document_name,
    ]
    return " ".join([p.text, *(e for e in extra if e and e not in p.text)])


def continuations(passages: Sequence[Passage]) -> dict[int, tuple[int, ...]]:
    """For each passage (by position, passages in text order) the neighbours that continue it."""
    def continues(a: Passage, b: Passage) -> bool:
        return (a.document == b.document and bool(a.section) and a.section == b.section
                and a.kind == b.kind and a.kind != "intervention")

    out: dict[int, tuple[int, ...]] = {}
    for i, p in enumerate(passages):
        near = tuple(j for j in (i - 1, i + 1) if 0 <= j < len(passages) and continues(p, passages[j]))
        if near:
            out[i] = near
    return out


_LEXICAL_CACHE: weakref.WeakKeyDictionary[Any, dict[bool, LexicalIndex]] = weakref.WeakKeyDictionary()


def lexical_index(index: Any, bank: bool = True) -> LexicalIndex:
    """The (cached) lexical index of ``index``, with or without the question bank's expansion:
    one BM25 build per Index object and variant."""
    try:
        variants = _LEXICAL_CACHE.setdefault(index, {})
    except TypeError:  # not weak-referenceable: cache on the object itself
        variants = getattr(index, "_secretarisbot_lexical", None)
        if variants is None:
            variants = {}
            object.__setattr__(index, "_secretarisbot_lexical", variants)
    cached = variants.get(bank)
    if cached is not None and len(cached.passages) == len(index.passages):
        return cached
    questions = getattr(index, "questions", ()) if bank else ()
    built = LexicalIndex.build(index.passages, getattr(index, "documents", ()), questions)
    variants[bank] = built
    return built


@dataclass(frozen=True)
class _Layout:
    """An index's vectors in the lexical index's passage order, for :meth:`HybridRetriever.signals`."""

    passages: np.ndarray    # (passages, dim) unit vectors
    questions: np.ndarray   # (in-scope questions, dim) unit vectors
    owner: np.ndarray       # (in-scope questions,) position of each one's passage
    log_length: np.ndarray  # (passages,)


_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _layout(index: Any, lex: LexicalIndex) -> _Layout:
    cached = _LAYOUTS.get(index)
    if cached is not None:
        return cached
    ids, matrix = index.passage_matrix()
    row = {pid: k for k, pid in enumerate(ids)}
    order = [row[p.id] for p in lex.passages]
    q_ids, q_matrix = index.question_matrix()
    records = {q.id: q for q in index.questions}
    keep = [k for k, qid in enumerate(q_ids) if records[qid].scope == "in" and records[qid].passage_id in lex.position]
    layout = _Layout(
        passages=np.asarray(matrix, dtype=np.float32)[order],
        questions=np.asarray(q_matrix, dtype=np.float32)[keep],
        owner=np.array([lex.position[records[q_ids[k]].passage_id] for k in keep], dtype=np.int64),
        log_length=np.log([len(p.text) + 1.0 for p in lex.passages]),
    )
    _LAYOUTS[index] = layout
    return layout


@dataclass
class Retrieval:
    """A retrieval with its diagnostics (for calibration and evals); ``context`` is the product."""

    context: Context
    query: Query
    bm25: dict[str, float] = field(default_factory=dict)
    dense: dict[str, float] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: How much of the question's own words (idf-weighted) the best-matching passage contains.
    coverage: float = 0.0
    #: Nearest in-scope bank questions (question, similarity), best first; empty without a bank.
    bank: list[tuple[BankQuestion, float]] = field(default_factory=list)
    #: Nearest out-of-scope bank questions, best first.
    bank_out: list[tuple[BankQuestion, float]] = field(default_factory=list)
    #: Passage ids of the fused ranking before diversity (the best ``settings.retrieval.relevant_top``).
    fused: list[str] = field(default_factory=list)
    #: The query's vector (None for an index that only searches by text).
    vector: Sequence[float] | None = None

    @property
    def max_dense(self) -> float:
        """Highest dense similarity among the candidates (0 if none)."""
        return max(self.dense.values(), default=0.0)

    @property
    def max_bm25(self) -> float:
        return max(self.bm25.values(), default=0.0)


#: Passages :meth:`HybridRetriever.coverage` looks at.
COVERAGE_TOP = 10


class HybridRetriever(BaseRetriever):
    """Hybrid BM25 + dense retrieval over an opened index (see module docstring).

    ``mode`` = "bm25" or "dense" uses one retriever only (baselines for the evals); the rest of
    the pipeline (filters, diversity) stays the same. ``weights`` weigh (BM25, dense, bank) in
    fusion; ``bank=False`` (or ``settings.question_bank=False``) leaves the question bank out;
    ``synonyms=False`` switches off query expansion; ``mmr_lambda=1`` with a large
    ``max_per_section`` switches off diversity. Unset tuning comes from ``settings.retrieval``.

    As a LangChain retriever, :meth:`invoke` searches with ``k``, ``filters`` and ``history`` given
    to the constructor, overridden per call by the run config's ``configurable`` entries (or
    keyword arguments) of the same names.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Any = Field(description="An opened index (secretarisbot.index.store.open_index).")
    settings: Settings
    mode: Mode = "hybrid"
    weights: tuple[float, ...]
    mmr_lambda: float
    max_per_section: int
    rrf_k: int
    synonyms: bool = True
    bank: bool
    k: int = Field(description="Passages :meth:`invoke` returns.")
    filters: dict[str, str | None] = Field(default_factory=dict, description="Filters of :meth:`invoke`.")
    history: list[Message] = Field(default_factory=list, description="Earlier turns :meth:`invoke` resolves against.")
    _vectors: dict[str, list[float]] = PrivateAttr(default_factory=dict)
    _vectors_lock: Any = PrivateAttr(default_factory=threading.Lock)
    _fusion: tuple[LearnedFusion | None] | None = PrivateAttr(default=None)
    _classifier: BankClassifier | None = PrivateAttr(default=None)
    _signals: dict[tuple[str, tuple[tuple[str, float], ...]], Signals] = PrivateAttr(default_factory=dict)

    def __init__(
        self,
        index: Any,
        settings: Settings | None = None,
        *,
        mode: Mode = "hybrid",
        weights: Sequence[float] | None = None,
        mmr_lambda: float | None = None,
        max_per_section: int | None = None,
        rrf_k: int | None = None,
        synonyms: bool = True,
        bank: bool | None = None,
        k: int | None = None,
        filters: Mapping[str, str | None] | None = None,
        history: Iterable[Message | dict] = (),
        **kwargs: Any,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        settings = get_settings(settings)
        tuning = settings.retrieval
        super().__init__(
            index=index,
            settings=settings,
            mode=mode,
            weights=tuple(tuning.weights if weights is None else weights),
            mmr_lambda=tuning.mmr_lambda if mmr_lambda is None else mmr_lambda,
            max_per_section=tuning.max_per_section if max_per_section is None else max_per_section,
            rrf_k=tuning.rrf_k if rrf_k is None else rrf_k,
            synonyms=synonyms,
            bank=settings.question_bank if bank is None else bank,
            k=settings.top_k if k is None else k,
            filters=dict(filters or {}),
            history=[h if isinstance(h, Message) else Message(**h) for h in history],
            **kwargs,
        )

    # --- LangChain's retriever interface -------------------------------------------------------

    def invoke(self, input: str, config: RunnableConfig | None = None, **kwargs: Any) -> list[Document]:
        """The passages for ``input`` as LangChain Documents; ``config["configurable"]`` may set
        ``k``, ``filters`` and ``history`` for this call."""
        return super().invoke(input, config, **_configured(config, kwargs))

    async def ainvoke(self, input: str, config: RunnableConfig | None = None, **kwargs: Any) -> list[Document]:
        return await super().ainvoke(input, config, **_configured(config, kwargs))

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Mapping[str, str | None] | None = None,
        history: Iterable[Message | dict] | None = None,
    ) -> list[Document]:
        context = self.retrieve(
            query,
            self.history if history is None else history,
            k=self.k if k is None else k,
            filters=self.filters if filters is None else filters,
        )
        return [to_document(p) for p in context.passages]

    @property
    def lexical(self) -> LexicalIndex:
        return lexical_index(self.index, self.bank)

    def warm_up(self) -> None:
        """Build the BM25 index, read the in-memory vector matrices and the learned fusion now
        (otherwise the first question pays for them, once per Index)."""
        self.lexical  # noqa: B018
        for name in ("passage_matrix", "question_matrix"):
            load = getattr(self.index, name, None)
            if load is not None and (name != "question_matrix" or getattr(self.index, "questions", None)):
                load()
        if self.fusion is not None:  # the fits (shipped, cached or made now) and the vector layout
            self.classifier  # noqa: B018

    # --- public API ----------------------------------------------------------------------------

    def retrieve(
        self,
        question: str,
        history: Iterable[Message | dict] = (),
        *,
        k: int = 10,
        filters: Mapping[str, str | None] | None = None,
    ) -> Context:
        """The ``k`` best passages for ``question`` (resolved against ``history`` if a follow-up).

        ``filters``: ``document`` (id such as "000"), ``kind`` (one of KINDS), ``fase`` (a Bijlage I
        phase heading such as "Tijdens het fusieproces" or a canonical FASES value), ``role`` (one
        of ROLES: the passages describing that role type).
        """
        return self.search(question, history, k=k, filters=filters).context

    def search(
        self,
        question: str,
        history: Iterable[Message | dict] = (),
        *,
        k: int = 10,
        filters: Mapping[str, str | None] | None = None,
        reuse: Retrieval | None = None,
    ) -> Retrieval:
        """Like :meth:`retrieve`, but also returns the per-retriever scores and timings.

        ``reuse``: an earlier retrieval of the same question (other filters): its bank neighbours
        and coverage are taken over instead of asked again (an answer's section searches)."""
        t0 = time.perf_counter()
        if not question or not question.strip():
            raise InputError("De vraag is leeg. Typ een vraag, bijvoorbeeld: wat doe ik als de mede-directeur blokkeert?")
        history = [h if isinstance(h, Message) else Message(**h) for h in history]
        clean = validate_filters(filters, self.lexical.passages)
        query = build_query(question, history, self.lexical.analyzer, synonyms=self.synonyms)
        lex = self.lexical
        n_cand = max(self.settings.candidates, k)
        mask = filter_mask(clean, lex.passages)
        timings: dict[str, float] = {}

        bm25_hits: list[tuple[int, float]] = []
        if self.mode in ("hybrid", "bm25"):
            t = time.perf_counter()
            bm25_hits = lex.bm25.search(query.terms, n_cand, mask)
            timings["bm25"] = _ms(t)
        dense_hits: list[tuple[int, float]] = []
        bank_in: list[tuple[BankQuestion, float]] = []
        bank_out: list[tuple[BankQuestion, float]] = []
        bank_hits: list[tuple[int, float]] = []
        if self.mode in ("hybrid", "dense"):
            t = time.perf_counter()
            vector = self._query_vector(query, timings)
            dense_hits = self._dense(vector, query.text, n_cand, clean)
            timings["dense"] = _ms(t)
            if self.bank and self.mode == "hybrid" and vector is not None:
                t = time.perf_counter()
                bank_in, bank_out = (reuse.bank, reuse.bank_out) if reuse is not None else self._bank(vector)
                bank_hits = self._bank_ranking(bank_in, clean)
                timings["bank"] = _ms(t)

        t = time.perf_counter()
        weights = (tuple(self.weights) + (0.0, 0.0, 0.0))[:3]
        fusion = self.fusion if bank_in else None
        if fusion is not None:
            positions, matrix = candidate_features(
                self.signals(query, vector), n_cand, self.rrf_k, mask
            )
            fused = list(pseudo_rrf(fusion.rank(positions, matrix), sum(weights), self.rrf_k).items())
        else:
            lists = [[i for i, _ in bm25_hits], [i for i, _ in dense_hits], [i for i, _ in bank_hits]]
            fused = reciprocal_rank_fusion(lists, weights, k=self.rrf_k)
        # An answer section's search (``reuse``) wants the ranking within its kind of passage, not a
        # varied list: no MMR there (about 3 ms a search, three searches an answer), and no
        # continuations either (measured for the question's own retrieval only).
        if reuse is None:
            fused = promote_continuations(
                dict(fused), lex.continuations, self.settings.retrieval.continuation_share,
                allowed=None if mask is None else (lambda i: bool(mask[i])),
            )
        fused_score = dict(fused)
        ranked = [i for i, _ in fused]
        chosen = ranked[:k] if reuse is not None else self._diversify(ranked, fused_score, k)
        timings["fuse"] = _ms(t)

        passages = [
            RetrievedPassage(**lex.passages[i].model_dump(), rank=r, score=round(fused_score[i], 6))
            for r, i in enumerate(chosen, start=1)
        ]
        context = Context(
            question=question,
            query=query.display,
            history=history,
            passages=passages,
            filters={key: value for key, value in clean.items()},
        )
        timings["total"] = _ms(t0)
        ids = lex.passages
        return Retrieval(
            context=context,
            query=query,
            bm25={ids[i].id: s for i, s in bm25_hits},
            dense={ids[i].id: s for i, s in dense_hits},
            timings_ms=timings,
            # history counts only for a follow-up: then the resolved text is what is covered
            coverage=reuse.coverage if reuse is not None else self.coverage(query.text if query.follow_up else question),
            bank=bank_in,
            bank_out=bank_out,
            fused=[ids[i].id for i, _ in fused[: self.settings.retrieval.relevant_top]],
            vector=vector if self.mode in ("hybrid", "dense") else None,
        )

    @property
    def fusion(self) -> LearnedFusion | None:
        """The learned fusion (None: RRF), when the settings ask for it and the bank is on."""
        if self.settings.retrieval.fusion != "learned" or not self.bank or self.mode != "hybrid":
            return None
        if self._fusion is None:  # once per retriever: the fingerprint reads the ranker files
            from secretarisbot.errors import ConfigError
            from secretarisbot.retrieve.learned_fit import learned_fusion

            try:
                self._fusion = (learned_fusion(self),)
            except ConfigError as err:  # a ranker file that no longer loads: RRF, not an error per question
                logger.warning("learned fusion unavailable, using RRF: %s", err)
                self._fusion = (None,)
        return self._fusion[0]

    @property
    def classifier(self) -> BankClassifier:
        """The bank classifier for this index (:mod:`.bank_classifier`), once per retriever."""
        if self._classifier is None:
            layout = _layout(self.index, self.lexical)
            self._classifier = bank_classifier(self, layout.passages, layout.questions, layout.owner)
        return self._classifier

    def signals(self, query: Query, vector: Sequence[float]) -> Signals:
        """What BM25, dense search and the in-scope bank say of every passage for ``query`` (with
        its ``vector``), exactly and in memory: the learned fusion's input. Kept per query (text,
        terms and vector): an answer's section searches ask again for the same question."""
        # the text and the terms: a follow-up's terms also weigh an older turn than its text holds;
        # the vector: a follow-up's is not its text's alone (its own turn's is added)
        v = _unit(vector).astype(np.float32)
        key = (query.text, tuple(sorted(query.terms.items())), hashlib.sha256(v.tobytes()).hexdigest())
        cached = self._signals.get(key)
        if cached is not None:
            return cached
        lex = self.lexical
        layout = _layout(self.index, lex)
        found = Signals(
            bm25=lex.bm25.scores(query.terms),
            dense=(layout.passages @ v).astype(np.float64),
            bank=(layout.questions @ v).astype(np.float64),
            bank_passage=layout.owner,
            log_length=layout.log_length,
            bank_class=self.classifier.log_probs(v),
        )
        with self._vectors_lock:
            self._signals[key] = found
            while len(self._signals) > SIGNALS_CACHE:
                self._signals.pop(next(iter(self._signals)))
        return found

    def coverage(self, question: str, top: int = COVERAGE_TOP) -> float:
        """:meth:`LexicalIndex.coverage` of ``question`` (whatever the filters)."""
        return self.lexical.coverage(question, top)

    # --- steps ------------------------------------------------------------------------------

    def _query_vector(self, query: Query, timings: dict[str, float]) -> list[float] | None:
        """The vector a question is searched with: its resolved text's; for a follow-up, that
        (the earlier turns and the new one) and the new turn's own vector, added as unit vectors
        with the weight :attr:`RetrievalSettings.follow_up_own`, so a new condition ("en als de raad
        dit aankaart?") is not drowned by a long first turn; a turn of fewer than
        :data:`OWN_WORDS_MIN` content words adds no condition of its own ("wat kan ik dan als eerste
        doen?", "En de nadelen?")."""
        vector = self._embed(query.text, timings)
        own_weight = self.settings.retrieval.follow_up_own
        if vector is None or not query.follow_up or own_weight <= 0:
            return vector
        if len(content_words(query.question)) < OWN_WORDS_MIN:
            return vector
        own = self._embed(query.question, timings)
        mixed = _unit(vector) + own_weight * _unit(own)
        return [float(x) for x in _unit(mixed)]

    def _embed(self, text: str, timings: dict[str, float]) -> list[float] | None:
        """The vector of ``text`` (once per text: passages and bank share it, and so do the
        answer's section searches with other filters; a follow-up asks for two, about 35-50 ms
        more); None for an index that only searches by text (then ``follow_up_own`` has nothing
        to add to)."""
        if getattr(self.index, "dense_search_by_vector", None) is None:
            return None
        vector = self._vectors.get(text)
        if vector is None:
            t = time.perf_counter()
            vector = self.index.embeddings.embed_query(text)
            timings["embed"] = timings.get("embed", 0.0) + _ms(t)
            with self._vectors_lock:
                self._vectors[text] = vector
                while len(self._vectors) > VECTOR_CACHE:
                    self._vectors.pop(next(iter(self._vectors)))
        return vector

    def _bank(self, vector: list[float]) -> tuple[list[tuple[BankQuestion, float]], list[tuple[BankQuestion, float]]]:
        neighbours = getattr(self.index, "bank_neighbours", None)
        if neighbours is None or not getattr(self.index, "questions", None):
            return [], []
        tuning = self.settings.retrieval
        return neighbours(vector, tuning.bank_candidates, tuning.out_neighbours)

    def _bank_ranking(
        self, bank: Sequence[tuple[BankQuestion, float]], filters: Mapping[str, str]
    ) -> list[tuple[int, float]]:
        """Passages by their best-matching bank question (within the filters), best first."""
        lex = self.lexical
        allowed = filter_mask(filters, lex.passages)
        best: dict[int, float] = {}
        for question, sim in bank:
            i = lex.position.get(question.passage_id or "")
            if i is not None and (allowed is None or allowed[i]) and sim > best.get(i, -1.0):
                best[i] = sim
        return sorted(best.items(), key=lambda item: -item[1])

    def _dense(
        self, vector: list[float] | None, text: str, n: int, filters: Mapping[str, str]
    ) -> list[tuple[int, float]]:
        lex = self.lexical
        where = chroma_where(filters)
        allowed = filter_mask(filters, lex.passages)
        matrix = getattr(self.index, "passage_matrix", None)
        if vector is not None and allowed is not None and matrix is not None:
            # A filtered search (an answer section's kind of passage): Chroma's metadata-filtered
            # query costs 2-6 ms here; the same exact cosine over the kept vectors takes microseconds.
            return self._dense_in_memory(matrix(), vector, n, allowed)
        if vector is not None:
            hits = self.index.dense_search_by_vector(vector, n, where=where)
        else:
            hits = self.index.dense_search(text, n, where=where)
        out: list[tuple[int, float]] = []
        for passage, sim in hits:
            i = lex.position.get(passage.id)
            # the mask re-checks Chroma's filtering, so both retrievers agree on what is allowed
            if i is not None and (allowed is None or allowed[i]):
                out.append((i, float(sim)))
        return out

    def _dense_in_memory(
        self, matrix: tuple[list[str], np.ndarray], vector: list[float], n: int, allowed: np.ndarray
    ) -> list[tuple[int, float]]:
        ids, vectors = matrix
        sims = vectors @ np.asarray(vector, dtype=np.float32)
        position = self.lexical.position
        scored = [(position[pid], float(sim)) for pid, sim in zip(ids, sims, strict=True) if pid in position]
        kept = [(i, sim) for i, sim in scored if allowed[i]]
        kept.sort(key=lambda item: -item[1])
        return kept[:n]

    def _similarity(self, i: int, j: int) -> float:
        a, b = self.lexical.passages[i], self.lexical.passages[j]
        if a.document == b.document and a.start < b.end and b.start < a.end:
            return 1.0  # overlapping slices of the same text
        same_section = bool(a.section) and a.document == b.document and a.section == b.section
        lexical = self.lexical.bm25.cosine(i, j)
        return max(lexical, SAME_SECTION_SIMILARITY if same_section else 0.0)

    def _diversify(self, ranked: list[int], score: Mapping[int, float], k: int) -> list[int]:
        """MMR over the fused candidates, then at most ``max_per_section`` per section."""
        pool = ranked[: max(3 * k, 30)]
        order = mmr(pool, score, self._similarity, k=len(pool), lambda_=self.mmr_lambda)
        chosen: list[int] = []
        per_section: dict[tuple[str, str], int] = {}
        overflow: list[int] = []
        for i in order:
            p = self.lexical.passages[i]
            key = (p.document, p.section)
            if p.section and per_section.get(key, 0) >= self.max_per_section:
                overflow.append(i)
                continue
            per_section[key] = per_section.get(key, 0) + 1
            chosen.append(i)
            if len(chosen) == k:
                return chosen
        return (chosen + overflow)[:k]


def _configured(config: RunnableConfig | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with ``k``, ``filters`` and ``history`` from the run config's ``configurable``
    (explicit keyword arguments win)."""
    configurable = (config or {}).get("configurable") or {}
    return {**{key: configurable[key] for key in ("k", "filters", "history") if key in configurable}, **kwargs}


def to_document(passage: RetrievedPassage) -> Document:
    """A retrieved passage as a LangChain Document (text as content, every other field as metadata)."""
    return Document(id=passage.id, page_content=passage.text, metadata=passage.model_dump(mode="json", exclude={"text"}))


# --- filters ----------------------------------------------------------------------------------


def _fase_values(value: str) -> list[str]:
    """Every stored spelling a phase filter matches: the headings of a phase plus its name."""
    folded = value.strip().casefold()
    for heading, canonical in BIJLAGE_FASES.items():
        if folded == heading.casefold():
            value = canonical
            break
    else:
        matches = [f for f in FASES if f.casefold() == folded]
        if not matches:
            options = ", ".join([*FASES, *BIJLAGE_FASES])
            raise InputError(f"Onbekende fase '{value}'. Kies uit: {options}.")
        value = matches[0]
    return [h for h, c in BIJLAGE_FASES.items() if c == value] + [value]


def validate_filters(filters: Mapping[str, str | None] | None, passages: Sequence[Passage]) -> dict[str, str]:
    """Checked filters without empty values; a Dutch InputError names a bad key or value."""
    clean: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if key not in FILTER_KEYS:
            raise InputError(f"Onbekend filter '{key}'. Mogelijke filters: {', '.join(FILTER_KEYS)}.")
        value = str(value).strip()
        if key == "kind" and value not in KINDS:
            raise InputError(f"Onbekende soort passage '{value}'. Kies uit: {', '.join(KINDS)}.")
        if key == "document":
            docs = sorted({p.document for p in passages})
            if value not in docs:
                raise InputError(f"Onbekend document '{value}'. Kies uit: {', '.join(docs)}.")
        if key == "fase":
            _fase_values(value)
        if key == "role" and value not in ROLES:
            raise InputError(f"Onbekende rol '{value}'. Kies uit: {', '.join(ROLES)}.")
        clean[key] = value
    return clean


def filter_mask(filters: Mapping[str, str], passages: Sequence[Passage]) -> np.ndarray | None:
    """Boolean mask over ``passages`` for validated ``filters`` (None when nothing is filtered)."""
    if not filters:
        return None
    fases = set(_fase_values(filters["fase"])) if "fase" in filters else None
    return np.fromiter(
        (
            (filters.get("document") in (None, p.document))
            and (filters.get("kind") in (None, p.kind))
            and (fases is None or p.fase in fases)
            and (filters.get("role") in (None, p.role))
            for p in passages
        ),
        dtype=bool,
        count=len(passages),
    )


def chroma_where(filters: Mapping[str, str]) -> dict[str, Any] | None:
    """The Chroma ``where`` clause equal to :func:`filter_mask` (metadata keys = Passage fields)."""
    clauses: list[dict[str, Any]] = []
    if "document" in filters:
        clauses.append({"document": filters["document"]})
    if "kind" in filters:
        clauses.append({"kind": filters["kind"]})
    if "fase" in filters:
        clauses.append({"fase": {"$in": _fase_values(filters["fase"])}})
    if "role" in filters:
        clauses.append({"role": filters["role"]})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _unit(vector: Sequence[float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float64)
    return v / (float(np.linalg.norm(v)) or 1.0)


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
