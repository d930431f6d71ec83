"""Domain vocabulary for query expansion: what the five guides call the same thing differently.

The data is ``corpus/vocabulary.yaml``: groups of words the guides use for one thing ("BenW" in the
Wegwijzer, "B&W" elsewhere), each word with the lines of the guides that use it. Code only decides
how to use it (:mod:`.query`: a group fires when one of its phrases occurs in the question, and
adds the others at a lower weight). Matching is done on analysed (folded, stemmed) tokens, so
inflections match too.

Secretaries' own paraphrases ("ruzie", "kapot") are not vocabulary: the question bank
(``corpus/questions/``) carries their words, with the passage they ask about.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from secretarisbot.settings import PROJECT_ROOT

VOCABULARY_FILE = PROJECT_ROOT / "corpus" / "vocabulary.yaml"


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY_FILE) -> tuple[tuple[str, ...], ...]:
    """The word groups of ``path`` (a missing file means no expansion)."""
    if not Path(path).is_file():
        return ()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return tuple(tuple(str(w) for w in group["words"]) for group in data.get("groups", ()))


def variants() -> tuple[tuple[str, ...], ...]:
    """The word groups of the shipped vocabulary."""
    return load_vocabulary(VOCABULARY_FILE)
