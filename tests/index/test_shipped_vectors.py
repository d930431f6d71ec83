"""Shipped vectors (corpus/vectors/): a fresh clone builds its index without embedding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from secretarisbot.corpus import load_passages
from secretarisbot.corpus.questions import load_question_bank
from secretarisbot.index import shipped
from secretarisbot.index.build import build_index
from secretarisbot.index.embeddings import make_embeddings
from secretarisbot.settings import Settings

REFRESH = "secretarisbot index --export-vectors"


def test_the_shipped_vectors_of_the_default_embedder_are_up_to_date() -> None:
    settings = Settings()
    embedder_id = make_embeddings(settings).embedder_id
    passages = load_passages(settings)
    wanted = shipped.wanted_keys(passages, load_question_bank(settings, passages).questions)
    have = shipped.load_shipped(embedder_id)
    missing = wanted - set(have)
    assert not missing, (
        f"{len(missing)} of {len(wanted)} texts have no shipped vector for {embedder_id} "
        f"({shipped.shipped_path(embedder_id).name}); refresh them with: {REFRESH}"
    )
    dims = {v.shape for v in have.values()}
    assert dims == {(384,)}


def test_save_and_load_round_trip_in_float16(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    vectors = {f"passage:{i:064x}": rng.standard_normal(8) for i in range(5)}
    path = shipped.save_shipped("fake:8", vectors, tmp_path)
    assert path.name == "fake-8.npz"
    back = shipped.load_shipped("fake:8", tmp_path)
    assert set(back) == set(vectors)
    for k, v in vectors.items():
        assert np.allclose(back[k], v, atol=2e-3 * np.abs(v).max())  # float16
    assert shipped.load_shipped("fake:16", tmp_path) == {}  # another embedder: nothing


def test_a_damaged_file_only_costs_time(tmp_path: Path) -> None:
    shipped.shipped_path("fake:8", tmp_path).write_bytes(b"not a zip")
    assert shipped.load_shipped("fake:8", tmp_path) == {}


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", index_dir=tmp_path / "index", embedder="fake")


def test_a_build_takes_shipped_vectors_and_embeds_only_what_is_missing(
    fake_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from secretarisbot.index.store import open_index

    first = build_index(fake_settings)
    assert first.embedded > 0 and first.shipped == 0
    folder = tmp_path / "vectors"
    shipped.export_vectors(open_index(fake_settings), folder)
    monkeypatch.setattr(shipped, "SHIPPED_DIR", folder)
    fresh = fake_settings.model_copy(update={"home": tmp_path / "home2", "index_dir": tmp_path / "index2"})
    second = build_index(fresh)  # a new machine: an empty embedding cache
    assert second.embedded == 0 and second.shipped == second.passages + second.questions
    assert shipped.missing_vectors(open_index(fresh), folder) == 0
