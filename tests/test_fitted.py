"""Fitted models: read from memory, the shipped file or the cache, fitted only when none holds the
model for this key, and a stale or damaged file never used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from secretarisbot.fitted import FitFiles


@dataclass
class Model:
    fingerprint: str
    value: int

    def to_json(self) -> dict:
        return {"fingerprint": self.fingerprint, "value": self.value}

    @classmethod
    def from_json(cls, data) -> Model:  # noqa: ANN001
        return cls(str(data["fingerprint"]), int(data["value"]))


def test_a_model_is_fitted_once_then_read_from_memory_the_cache_or_the_shipped_file(tmp_path: Path) -> None:
    fits: list[int] = []

    def fit() -> Model:
        fits.append(1)
        return Model("k1", 7)

    files = FitFiles("thing", tmp_path / "shipped")
    cache = tmp_path / "cache"
    assert files.load("k1", "emb:1", cache, Model.from_json, fit).value == 7
    assert files.load("k1", "emb:1", cache, Model.from_json, fit).value == 7  # memory
    assert (cache / "thing-k1.json").is_file() and len(fits) == 1
    # another process: the cache holds it
    assert FitFiles("thing", tmp_path / "shipped").load("k1", "emb:1", cache, Model.from_json, fit).value == 7
    assert len(fits) == 1
    # the shipped file wins over a fit, and is named after the embedder
    shipped = FitFiles("thing", tmp_path / "shipped")
    path = shipped.export(Model("k2", 9), "emb:1")
    assert path.name == "thing-emb-1.json"
    assert shipped.load("k2", "emb:1", tmp_path / "empty", Model.from_json, fit).value == 9 and len(fits) == 1


def test_a_stale_or_damaged_file_is_fitted_again(tmp_path: Path) -> None:
    files = FitFiles("thing", tmp_path)
    files.export(Model("old", 1), "emb:1")
    assert files.load("new", "emb:1", tmp_path / "c", Model.from_json, lambda: Model("new", 2)).value == 2
    (tmp_path / "c" / "thing-bad.json").write_text("{not json", encoding="utf-8")
    assert FitFiles("thing", tmp_path).load("bad", "emb:1", tmp_path / "c", Model.from_json,
                                             lambda: Model("bad", 3)).value == 3
