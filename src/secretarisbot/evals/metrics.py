"""Eval metrics as pure functions over texts and answer dicts (no index, no model).

Retrieval metrics judge a ranked list of passage texts against an item's evidence fragments; a
fragment "is in" a passage when its :func:`match_key` is a word-bounded substring of the
passage's match key (lowercased, accents folded, non-alphanumerics collapsed).

    >>> recall_at_k(["Elk college denkt er het zijne over"], ["... Elk college denkt er het zijne over – er ..."], 5)
    1.0

Answer metrics take ``Answer.model_dump(mode="json")`` dicts, so they work on ``records.jsonl``
written by any version of the assistant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from secretarisbot.text import contains_key, match_key, stems

# --- the matcher ------------------------------------------------------------------------------

#: True when ``needle`` (raw text) occurs in an already keyed haystack, on word bounds.
contains = contains_key


__all__ = [
    "contains",
    "match_key",
    "fragment_hits",
    "recall_at_k",
    "reciprocal_rank",
    "ndcg_at_k",
    "min_cover_size",
    "citation_markers",
    "citation_validity",
    "answer_sentences",
    "answer_units",
    "sentence_supported",
    "citation_support",
    "scope_confusion",
    "role_correct",
    "percentile",
    "mean",
]

# --- retrieval ------------------------------------------------------------------------------


def fragment_hits(evidence: Sequence[str], passage_keys: Sequence[str]) -> list[set[int]]:
    """For every passage (already :func:`match_key`-ed), the indices of the fragments it contains."""
    return [{j for j, frag in enumerate(evidence) if contains(key, frag)} for key in passage_keys]


def _keys(texts: Sequence[str]) -> list[str]:
    return [match_key(t) for t in texts]


def recall_at_k(evidence: Sequence[str], ranked_texts: Sequence[str], k: int) -> float | None:
    """Share of the evidence fragments found in the top-``k`` passages; None without evidence."""
    if not evidence:
        return None
    found: set[int] = set()
    for hits in fragment_hits(evidence, _keys(ranked_texts[:k])):
        found |= hits
    return len(found) / len(evidence)


def reciprocal_rank(evidence: Sequence[str], ranked_texts: Sequence[str], k: int = 10) -> float | None:
    """1/rank of the first passage (within ``k``) that contains any fragment; 0 if none does."""
    if not evidence:
        return None
    for rank, hits in enumerate(fragment_hits(evidence, _keys(ranked_texts[:k])), start=1):
        if hits:
            return 1.0 / rank
    return 0.0


def min_cover_size(evidence: Sequence[str], corpus_keys: Sequence[str]) -> tuple[int, int]:
    """(fewest passages that together contain every findable fragment, number findable).

    A fragment is findable when some passage of the system's whole passage set contains it;
    a fragment cut in two by a chunk boundary is not. Brute force: gold items have 1-3 fragments.
    """
    subsets = {frozenset(h) for h in fragment_hits(evidence, corpus_keys) if h}
    findable = frozenset().union(*subsets) if subsets else frozenset()
    if not findable:
        return 0, 0
    for size in range(1, len(findable) + 1):
        for combo in combinations(subsets, size):
            if frozenset().union(*combo) == findable:
                return size, len(findable)
    return len(findable), len(findable)  # pragma: no cover - the loop always finds a cover


def ndcg_at_k(
    evidence: Sequence[str],
    ranked_texts: Sequence[str],
    k: int = 10,
    corpus_keys: Sequence[str] | None = None,
) -> float | None:
    """Novelty-based nDCG@k: a passage gains 1 when it adds a fragment not yet covered above it.

    DCG = sum of 1/log2(rank+1) over such passages. The ideal ranking puts the smallest set of
    passages covering all findable fragments at the top, so IDCG = sum_{i=1..m} 1/log2(i+1) with
    m = :func:`min_cover_size` over ``corpus_keys`` (the system's whole passage set). Repeating a
    fragment in several passages earns nothing, so redundancy is not rewarded. Without
    ``corpus_keys``, m is the number of fragments. None when no fragment is findable.

    Worked example: fragments {a, b}, one passage in the corpus holds both (m = 1); a ranking that
    shows it at rank 2 scores (1/log2 3) / 1 = 0.631.
    """
    if not evidence:
        return None
    if corpus_keys is None:
        m, n_findable = len(evidence), len(evidence)
    else:
        m, n_findable = min_cover_size(evidence, corpus_keys)
    if n_findable == 0:
        return None
    covered: set[int] = set()
    dcg = 0.0
    for rank, hits in enumerate(fragment_hits(evidence, _keys(ranked_texts[:k])), start=1):
        new = hits - covered
        if new:
            dcg += 1.0 / math.log2(rank + 1)
            covered |= new
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(m, k) + 1))
    return min(1.0, dcg / idcg)


# --- citations ------------------------------------------------------------------------------

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def citation_markers(text: str) -> list[int]:
    """Every ``[n]`` (also ``[1, 2]``) in ``text``, in order of appearance."""
    out: list[int] = []
    for match in _MARKER.finditer(text or ""):
        out.extend(int(n) for n in re.split(r"\s*[,;]\s*", match.group(1)))
    return out


def citation_validity(answer: Mapping[str, Any], normalized: Callable[[str], str]) -> dict[str, Any]:
    """Check that every [n] in the answer (and every role citation) resolves and is faithful.

    A marker is valid when a citation with that ``n`` was returned and its ``text`` equals
    ``normalized(document)[start:end]`` (``normalized`` maps a document id to its normalised text).
    Returns ``{"markers": int, "valid": int, "ok": bool | None, "problems": [str]}``; ``ok`` is
    None when the answer has no markers at all (nothing to validate).
    """
    cites = {c["n"]: c for c in answer.get("citations", [])}
    markers = citation_markers(answer.get("answer", ""))
    for role in answer.get("roles", []) or []:
        markers.extend(role.get("citations", []) or [])
        markers.extend(citation_markers(role.get("text", "")))
    problems: list[str] = []
    valid = 0
    checked: dict[int, bool] = {}
    for n in markers:
        if n not in checked:
            cite = cites.get(n)
            if cite is None:
                problems.append(f"[{n}] heeft geen bron")
                checked[n] = False
            else:
                try:
                    doc = normalized(cite["document"])
                except (KeyError, FileNotFoundError):
                    doc = None
                ok = doc is not None and doc[cite["start"] : cite["end"]] == cite["text"]
                if not ok:
                    problems.append(f"[{n}] tekst staat niet op {cite['document']}:{cite['start']}-{cite['end']}")
                checked[n] = ok
        valid += checked[n]
    return {
        "markers": len(markers),
        "valid": valid,
        "ok": (valid == len(markers)) if markers else None,
        "problems": problems,
    }


# --- citation support (proxy) -----------------------------------------------------------------

SUPPORT_THRESHOLD = 0.5
"""A cited sentence counts as supported when at least this share of its content-word stems
occurs in one of the passages it cites."""


def content_stems(text: str) -> set[str]:
    """The stems of the content words (three letters or more) of ``text``, [n] markers left out."""
    return set(stems(_MARKER.sub(" ", text), min_len=3))


#: Sentence ends: ". Next", ". [2] Next" (markers follow the full stop) and ".** Next" (bold lead-ins).
_SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?\]])|(?<=[.!?]\*\*))\s+(?=[A-Z0-9\"'“‘(])")


def _judged(sentence: str) -> str | None:
    line = re.sub(r"^[-*>\d.)\s]+", "", sentence.strip()).strip()
    return line if line and not line.startswith("#") and len(content_stems(line)) >= 3 else None


def answer_units(markdown: str) -> list[tuple[str, list[int]]]:
    """(sentence, the [n] that cover it) for every judged sentence of an answer.

    Judged: not a heading, not in the Bronnen list, at least 3 content words. Within one
    paragraph or list item, a sentence without its own marker is covered by the markers of the
    next marked sentence (the convention "Zin een. Zin twee. [3]" cites [3] for both).
    """
    body = re.split(r"\n#+\s*Bronnen\b|\n\*\*Bronnen\*\*", markdown or "", maxsplit=1)[0]
    units: list[tuple[str, list[int]]] = []
    for block in re.split(r"\n+", body):
        sentences = [s for s in _SENTENCE_SPLIT.split(block.strip()) if s.strip()]
        pending: list[str] = []
        for sentence in sentences:
            line = _judged(sentence)
            markers = citation_markers(sentence)
            if line is None:
                continue
            if markers:
                units.extend((p, markers) for p in pending)
                pending = []
                units.append((line, markers))
            else:
                pending.append(line)
        units.extend((p, []) for p in pending)
    return units


def answer_sentences(markdown: str) -> list[str]:
    """The judged sentences of an answer (see :func:`answer_units`)."""
    return [s for s, _ in answer_units(markdown)]


def sentence_supported(sentence: str, cited_texts: Iterable[str], threshold: float = SUPPORT_THRESHOLD) -> bool:
    """True when one cited passage contains >= ``threshold`` of the sentence's content stems."""
    stems = content_stems(sentence)
    if not stems:
        return False
    return any(len(stems & content_stems(text)) / len(stems) >= threshold for text in cited_texts)


def citation_support(answer: Mapping[str, Any], threshold: float = SUPPORT_THRESHOLD) -> dict[str, Any]:
    """Support of an answer's sentences by the passages they cite.

    ``support`` = supported sentences / all judged sentences (a sentence no marker covers is
    unsupported); ``cited_support`` = supported / sentences covered by at least one [n].
    Both None for an answer without judged sentences.
    """
    cites = {c["n"]: c.get("text", "") for c in answer.get("citations", [])}
    units = answer_units(answer.get("answer", ""))
    cited = supported = 0
    for sentence, ns in units:
        if not ns:
            continue
        cited += 1
        supported += sentence_supported(sentence, [cites[n] for n in ns if n in cites], threshold)
    total = len(units)
    return {
        "sentences": total,
        "cited": cited,
        "supported": supported,
        "support": supported / total if total else None,
        "cited_support": supported / cited if cited else None,
    }


# --- scope, roles, latency --------------------------------------------------------------------


def scope_confusion(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | int | None]:
    """Out-of-scope detection from (gold_in_scope, predicted_in_scope) pairs.

    Out-of-scope is the positive class: precision = refused and truly out of scope / all refused;
    recall = refused / all truly out of scope; accuracy = share of correct in/out decisions.
    """
    tp = fp = fn = tn = 0
    for gold_in, pred_in in pairs:
        if not gold_in and not pred_in:
            tp += 1
        elif gold_in and not pred_in:
            fp += 1
        elif not gold_in and pred_in:
            fn += 1
        else:
            tn += 1
    total = tp + fp + fn + tn
    return {
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "accuracy": (tp + tn) / total if total else None,
        "false_refusal_rate": fp / (fp + tn) if fp + tn else None,
    }


def role_correct(answer: Mapping[str, Any], gold_roles: Sequence[str]) -> bool:
    """True when the answer's primary role (or else its first role perspective) is a gold role."""
    primary = answer.get("primary_role")
    if not primary and answer.get("roles"):
        primary = answer["roles"][0].get("role")
    return primary in gold_roles


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default): percentile([1, 2, 3, 4], 50) == 2.5."""
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the non-None values; None when there are none."""
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


# --- answer shape: does the answer lead with what matters, and can a busy person read it? -------

#: The sources list starts at this heading; length is measured before it (as the outside
#: evaluation does).
_SOURCES_HEADING = re.compile(r"\n\s*(?:\*\*|#+\s*)Bronnen\b")


def answer_body(markdown: str) -> str:
    """The answer text before its sources list."""
    return _SOURCES_HEADING.split(markdown or "", maxsplit=1)[0]


def _fragment_share(evidence: Sequence[str], texts: Sequence[str]) -> float:
    keys = [match_key(t) for t in texts]
    return sum(1 for frag in evidence if any(contains(k, frag) for k in keys)) / len(evidence)


def answer_shape(answer: Mapping[str, Any], evidence: Sequence[str] = ()) -> dict[str, Any]:
    """Per answer: its length in words (before the sources list), its number of citations, the
    documents it cites, and, for an item with evidence, the share of the evidence fragments found
    in the first three citations (by ``n``) and among all citations (0 for a refusal)."""
    citations = sorted(answer.get("citations") or [], key=lambda c: c.get("n", 0))
    out: dict[str, Any] = {
        "answer_words": len(answer_body(answer.get("answer", "")).split()),
        "citation_count": len(citations),
        "cited_documents": [c.get("document", "") for c in citations],
    }
    if evidence:
        texts = [c.get("text", "") for c in citations]
        out["cited_first3"] = _fragment_share(evidence, texts[:3])
        out["cited_any"] = _fragment_share(evidence, texts)
    return out


def shape_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Over in-scope items: mean cited shares, median length and citation count of the answers
    given (refusals excluded), and each document's share of all citations."""
    answered = [m for m in rows if m.get("predicted_in_scope")]
    docs = [d for m in answered for d in m.get("cited_documents", [])]
    return {
        "cited_first3": mean(m.get("cited_first3") for m in rows if "cited_first3" in m),
        "cited_any": mean(m.get("cited_any") for m in rows if "cited_any" in m),
        "answer_words_p50": percentile([m["answer_words"] for m in answered if "answer_words" in m], 50),
        "citations_p50": percentile([m["citation_count"] for m in answered if "citation_count" in m], 50),
        "citations_per_document": {d: round(docs.count(d) / len(docs), 3) for d in sorted(set(docs))} if docs else {},
    }
