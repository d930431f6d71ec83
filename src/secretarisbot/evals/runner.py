"""Run the gold set through the product and the baselines; write records, metrics, report, chart.

    >>> result = run_eval(settings, out_dir=Path("evals/out"), k=5)
    >>> result.metrics["systems"]["product"]["recall@5"]

Every item goes through the same ``Assistant.ask`` the app uses (a follow-up with its
``previous`` question and the assistant's own answer to it as history, as in the app).
Baselines (``naive``, ``bm25``) only rank passages, so only retrieval metrics apply to them.
``zonder-bank`` is the product with ``question_bank=False`` (passages only): every metric applies.
``fast=True`` skips the baselines, the product without bank and the LLM judge (the CI pass).

Metrics are reported over all items and per gold file (``by_split``): ``core.yaml`` is the dev
split we tune on, ``test.yaml`` and ``test-2.yaml`` the held-out splits we never tune on.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from secretarisbot.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from secretarisbot.evals import metrics as M
from secretarisbot.evals.baselines import BASELINES, baseline_query, make_baselines
from secretarisbot.evals.gold import DOCUMENT_IDS, GOLD_KINDS, GoldItem, gold_files, load_gold
from secretarisbot.model import Answer, Message
from secretarisbot.settings import Settings, get_settings

PRODUCT = "product"
#: The held-out test splits (shared/EVALUATION.md): reported as whole numbers only. test.yaml is the
#: one the quality gate reads; test-2.yaml, written later by another writer, is reported beside it.
HELD_OUT: frozenset[str] = frozenset({"test.yaml", "test-2.yaml"})
#: The product with the question bank switched off (``Settings.question_bank=False``).
WITHOUT_BANK = "zonder-bank"
RECALL_KS: tuple[int, ...] = (1, 3, 5, 10)
NDCG_K = 10
CHART_FILE = "recall_at_k.png"


class AnswersQuestions(Protocol):
    def ask(self, question: str, history: Sequence[Message] = ()) -> Answer: ...


@dataclass
class EvalResult:
    out_dir: Path
    metrics: dict[str, Any]
    records: list[dict[str, Any]] = field(repr=False)

    @property
    def report_path(self) -> Path:
        return self.out_dir / "report.md"


# --- helpers ----------------------------------------------------------------------------------


def _ks(k: int) -> tuple[int, ...]:
    return tuple(sorted({*RECALL_KS, k}))


def _retrieval(item: GoldItem, texts: Sequence[str], corpus_keys: Sequence[str], ks: Sequence[int]) -> dict[str, Any]:
    if not item.evidence:
        return {}
    keys = [M.match_key(t) for t in texts]
    found = [sorted(set().union(*M.fragment_hits(item.evidence, keys[:kk]))) if keys else [] for kk in ks]
    out: dict[str, Any] = {f"recall@{kk}": M.recall_at_k(item.evidence, texts, kk) for kk in ks}
    out["rr"] = M.reciprocal_rank(item.evidence, texts, NDCG_K)
    for kk in ks:
        out[f"hit@{kk}"] = 1.0 if M.reciprocal_rank(item.evidence, texts, kk) else 0.0
    out[f"ndcg@{NDCG_K}"] = M.ndcg_at_k(item.evidence, texts, NDCG_K, corpus_keys)
    out["findable"] = M.min_cover_size(item.evidence, corpus_keys)[1] / len(item.evidence)
    out["found_fragments"] = dict(zip((f"@{kk}" for kk in ks), found, strict=True))
    return out


@lru_cache(maxsize=8)
def _raw_keys(corpus_dir: str) -> dict[str, str]:
    from secretarisbot.corpus import load_documents

    settings = Settings(corpus_dir=Path(corpus_dir))
    return {d.id: M.match_key((Path(corpus_dir) / d.file).read_text(encoding="utf-8")) for d in load_documents(settings)}


def fragment_documents(item: GoldItem, settings: Settings) -> list[str]:
    """Per evidence fragment, the source document whose raw text contains it."""
    keys = _raw_keys(str(settings.corpus_dir))
    out = []
    for frag in item.evidence:
        docs = [s for s in item.sources if M.contains(keys.get(s, ""), frag)]
        out.append(docs[0] if docs else (item.sources[0] if item.sources else ""))
    return out


def _product_corpus(settings: Settings) -> list[str]:
    """The texts of every passage the product can retrieve (for nDCG's ideal and findability)."""
    try:
        from secretarisbot.index.store import open_index

        return [p.text for p in open_index(settings).passages]
    except Exception:  # noqa: BLE001 - no (matching) index: the corpus chunker gives the same passages
        from secretarisbot.corpus import load_passages

        return [p.text for p in load_passages(settings)]


def _normalizer(settings: Settings) -> Callable[[str], str]:
    from secretarisbot.corpus import load_documents, normalize_document

    docs = {d.id: d for d in load_documents(settings)}
    cache: dict[str, str] = {}

    def normalized(doc_id: str) -> str:
        if doc_id not in cache:
            cache[doc_id] = normalize_document(docs[doc_id], settings)
        return cache[doc_id]

    return normalized


def _snippet(text: str, width: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --- the run ----------------------------------------------------------------------------------


def conversation(item: GoldItem, assistant: AnswersQuestions) -> list[Message]:
    """The conversation before a follow-up as the app holds it: the earlier question and the
    assistant's answer to it ("En de derde?" points into that answer's list)."""
    history = item.history()
    if not history:
        return []
    earlier = assistant.ask(item.previous)
    return [*history, Message(role="assistant", content=earlier.answer)]


def _product_metrics(
    item: GoldItem, data: dict[str, Any], latency: float, product_keys: Sequence[str], ks: Sequence[int],
    normalized: Callable[[str], str],
) -> dict[str, Any]:
    """Every metric of one answer of a product (retrieval, answer, scope, role)."""
    texts = [p["text"] for p in data.get("passages", [])]
    metrics: dict[str, Any] = {
        **_retrieval(item, texts, product_keys, ks),
        **M.answer_shape(data, item.evidence),
        "latency_ms": latency,
        "predicted_in_scope": bool(data.get("in_scope", True)),
        "citation_validity": M.citation_validity(data, normalized),
        "citation_support": M.citation_support(data),
    }
    if item.kind == "role":
        metrics["role_correct"] = M.role_correct(data, item.roles)
    return metrics


def _ask(item: GoldItem, assistant: AnswersQuestions) -> tuple[dict[str, Any], float, str | None]:
    """The answer to ``item`` as a dict, its latency, and the error it raised (if any)."""
    started = time.perf_counter()
    error = None
    try:
        history = conversation(item, assistant)
        started = time.perf_counter()  # the item's own answer is what is timed
        answer = assistant.ask(item.question, history=history)
    except (IndexMissingError, IndexMismatchError, IndexCorruptError):
        raise  # no usable index: every item would fail; the message says how to fix it
    except Exception as err:  # noqa: BLE001 - one failing item must not hide the other results
        error = f"{type(err).__name__}: {err}"
        answer = Answer(question=item.question, answer="", in_scope=True)
    return answer.model_dump(mode="json"), (time.perf_counter() - started) * 1000.0, error


def run_eval(
    settings: Settings | None = None,
    gold: Iterable[str | Path] | None = None,
    out_dir: str | Path = "evals/out",
    k: int = 5,
    fast: bool = False,
    assistant: AnswersQuestions | None = None,
    baselines: Sequence[str] | None = None,
    on_item: Callable[[GoldItem], None] | None = None,
    log: Callable[[str], None] | None = None,
    judge_model: Any | None = None,
) -> EvalResult:
    """Evaluate the product (and, unless ``fast``, the baselines) on the gold set."""
    settings = get_settings(settings)
    say = log or (lambda _msg: None)
    items = load_gold(gold)
    files = [p.name for p in gold_files(gold)]
    ks = _ks(k)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    from secretarisbot.assistant import Assistant

    products: dict[str, AnswersQuestions] = {PRODUCT: assistant or Assistant(settings)}
    if not fast and assistant is None and settings.question_bank:
        products[WITHOUT_BANK] = Assistant(settings.model_copy(update={"question_bank": False}))
    names = list(BASELINES if baselines is None else baselines) if not fast else []
    systems: dict[str, Any] = {}
    if names:
        say(f"Baselines opbouwen ({', '.join(names)}); de eerste keer worden de chunks ingebed …")
        systems = make_baselines(settings, names)
    try:
        product_keys = [M.match_key(t) for t in _product_corpus(settings)]
        baseline_keys = {n: [M.match_key(c.text) for c in s.chunks] for n, s in systems.items()}
        normalized = _normalizer(settings)

        records: list[dict[str, Any]] = []
        for item in items:
            record: dict[str, Any] = {
                "item": item.model_dump(mode="json"),
                "fragment_documents": fragment_documents(item, settings),
                "metrics": {},
                "baselines": {},
                "variants": {},
            }
            for name, product in products.items():
                data, latency, error = _ask(item, product)
                record["metrics"][name] = _product_metrics(item, data, latency, product_keys, ks, normalized)
                if name == PRODUCT:
                    record["answer"] = data
                else:
                    record["variants"][name] = data
                if error:
                    record.setdefault("errors", {})[name] = error
                    if name == PRODUCT:
                        record["error"] = error
                    say(f"{item.id} ({name}): {error}")
            query = baseline_query(item.question, item.previous)
            for name, system in systems.items():
                t0 = time.perf_counter()
                chunks = system.search(query, k=max(ks))
                ms = (time.perf_counter() - t0) * 1000.0
                ctexts = [c.text for c in chunks]
                record["metrics"][name] = {**_retrieval(item, ctexts, baseline_keys[name], ks), "latency_ms": ms}
                record["baselines"][name] = [
                    {"rank": c.rank, "id": c.id, "document": c.document, "start": c.start, "score": c.score,
                     "text": c.text}
                    for c in chunks
                ]
            records.append(record)
            if on_item:
                on_item(item)
    finally:
        for system in systems.values():
            close = getattr(system, "close", None)
            if close:
                close()

    judged: dict[str, Any]
    if fast:
        judged = {"skipped": "fast pass (--fast): the LLM judge does not run"}
    else:
        from secretarisbot.evals.judge import judge_answers

        scored = [r for r in records if r["item"]["kind"] != "out-of-scope"]
        judged = judge_answers([r["answer"] for r in scored], settings, chat_model=judge_model)
        # a held-out item is named by its id in metrics.json too, never by its question (sealed())
        for item_scores, record in zip(judged.get("items", []), scored, strict=False):
            if record["item"].get("file") in HELD_OUT:
                item_scores["question"] = record["item"]["id"]

    result_metrics = aggregate(records, ks, k, [*products, *systems], settings, products=list(products))
    result_metrics["by_split"] = {
        name: aggregate([r for r in records if r["item"]["file"] == name], ks, k, [*products, *systems],
                        settings, products=list(products))["systems"]
        for name in files
    }
    result_metrics["llm_judge"] = judged
    result_metrics["meta"] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "gold_files": files,
        "items": len(items),
        "k": k,
        "fast": fast,
        "systems": [*products, *systems],
        "embedder": settings.embedder,
        "mode": "llm" if settings.llm else "bronnen",
        "index_dir": str(settings.index_dir),
    }
    write_outputs(out, records, result_metrics)
    return EvalResult(out_dir=out, metrics=result_metrics, records=records)


# --- aggregation ------------------------------------------------------------------------------


def _summary(recs: Sequence[dict[str, Any]], system: str, ks: Sequence[int]) -> dict[str, Any]:
    """Retrieval means over items with evidence, plus latency, for one system."""
    rows = [r["metrics"][system] for r in recs if system in r["metrics"]]
    ev = [m for m in rows if "rr" in m]
    out: dict[str, Any] = {"n": len(rows), "n_with_evidence": len(ev)}
    for kk in ks:
        out[f"recall@{kk}"] = M.mean(m[f"recall@{kk}"] for m in ev)
        out[f"hit@{kk}"] = M.mean(m.get(f"hit@{kk}") for m in ev)
    out["mrr"] = M.mean(m["rr"] for m in ev)
    out[f"ndcg@{NDCG_K}"] = M.mean(m[f"ndcg@{NDCG_K}"] for m in ev)
    out["findable"] = M.mean(m["findable"] for m in ev)
    lat = [m["latency_ms"] for m in rows if m.get("latency_ms") is not None]
    out["latency_p50_ms"] = M.percentile(lat, 50)
    out["latency_p95_ms"] = M.percentile(lat, 95)
    return out


def _answer_summary(recs: Sequence[dict[str, Any]], system: str = PRODUCT) -> dict[str, Any]:
    prod = [r["metrics"][system] for r in recs if system in r["metrics"]]
    validity = [m["citation_validity"] for m in prod]
    with_markers = [v for v in validity if v["ok"] is not None]
    # refusals claim nothing from the guides: support is judged on answers the product gave
    support = [m["citation_support"] for m in prod if m["predicted_in_scope"]]
    scope = M.scope_confusion((r["item"]["kind"] != "out-of-scope", r["metrics"][system]["predicted_in_scope"])
                              for r in recs if system in r["metrics"])
    roles = [m["role_correct"] for m in prod if "role_correct" in m]
    in_scope_items = [r for r in recs if r["item"]["kind"] != "out-of-scope"]
    return {
        "citation_validity": (sum(v["ok"] for v in with_markers) / len(with_markers)) if with_markers else None,
        "citation_marker_validity": (sum(v["valid"] for v in validity) / sum(v["markers"] for v in validity))
        if sum(v["markers"] for v in validity) else None,
        "answers_with_citations": (
            sum(r["metrics"][system]["citation_validity"]["ok"] is not None for r in in_scope_items)
            / len(in_scope_items)
        ) if in_scope_items else None,
        **M.shape_summary([r["metrics"][system] for r in in_scope_items]),
        "citation_support": M.mean(s["support"] for s in support),
        "cited_sentence_support": M.mean(s["cited_support"] for s in support),
        "oos_precision": scope["precision"],
        "oos_recall": scope["recall"],
        "scope_accuracy": scope["accuracy"],
        "false_refusal_rate": scope["false_refusal_rate"],
        "scope_confusion": {key: scope[key] for key in ("tp", "fp", "fn", "tn")},
        "role_accuracy": (sum(roles) / len(roles)) if roles else None,
        "n_role_items": len(roles),
    }


def _by_document(recs: Sequence[dict[str, Any]], systems: Sequence[str], k: int) -> dict[str, Any]:
    """Per source document: share of its evidence fragments found in the top-k, per system."""
    out: dict[str, Any] = {}
    for doc in DOCUMENT_IDS:
        row: dict[str, Any] = {}
        n_frag = 0
        for system in systems:
            found = total = 0
            for r in recs:
                m = r["metrics"].get(system, {})
                if "found_fragments" not in m:
                    continue
                hits = set(m["found_fragments"][f"@{k}"])
                for j, fdoc in enumerate(r["fragment_documents"]):
                    if fdoc == doc:
                        total += 1
                        found += j in hits
            row[system] = found / total if total else None
            n_frag = max(n_frag, total)
        row["fragments"] = n_frag
        row["items"] = sum(1 for r in recs if doc in r["item"]["sources"])
        out[doc] = row
    return out


def _worst(recs: Sequence[dict[str, Any]], k: int, n: int = 10) -> list[dict[str, Any]]:
    """The ``n`` items the product retrieved worst (recall@k, then reciprocal rank)."""
    scored = [r for r in recs if "rr" in r["metrics"][PRODUCT]]
    scored.sort(key=lambda r: (r["metrics"][PRODUCT][f"recall@{k}"], r["metrics"][PRODUCT]["rr"], r["item"]["id"]))
    out = []
    for r in scored[:n]:
        m = r["metrics"][PRODUCT]
        hits = set(m["found_fragments"][f"@{k}"])
        out.append({
            "id": r["item"]["id"],
            "kind": r["item"]["kind"],
            "question": r["item"]["question"],
            "sources": r["item"]["sources"],
            f"recall@{k}": m[f"recall@{k}"],
            "rr": m["rr"],
            "missing": [f for j, f in enumerate(r["item"]["evidence"]) if j not in hits],
            "retrieved": [
                {"rank": p.get("rank"), "document": p.get("document"), "section": p.get("section", ""),
                 "snippet": _snippet(p.get("text", ""))}
                for p in r["answer"].get("passages", [])[:3]
            ],
        })
    return out


def aggregate(records: Sequence[dict[str, Any]], ks: Sequence[int], k: int, systems: Sequence[str],
              settings: Settings, products: Sequence[str] = (PRODUCT,)) -> dict[str, Any]:
    """All of metrics.json except meta, the splits and the LLM judge."""
    summary = {s: _summary(records, s, ks) for s in systems}
    for name in products:
        summary[name].update(_answer_summary(records, name))
    by_kind: dict[str, Any] = {}
    for kind in GOLD_KINDS:
        recs = [r for r in records if r["item"]["kind"] == kind]
        if not recs:
            continue
        row = {s: _summary(recs, s, ks) for s in systems}
        for name in products:
            row[name].update(_answer_summary(recs, name))
        by_kind[kind] = row
    # The held-out splits are read only as whole numbers: their items are never listed one by one.
    listed = [r for r in records if r["item"].get("file") not in HELD_OUT]
    scope_errors = [
        {"id": r["item"]["id"], "kind": r["item"]["kind"], "question": r["item"]["question"],
         "predicted_in_scope": r["metrics"][PRODUCT]["predicted_in_scope"]}
        for r in listed
        if (r["item"]["kind"] != "out-of-scope") != r["metrics"][PRODUCT]["predicted_in_scope"]
    ]
    invalid = [
        {"id": r["item"]["id"], "problems": r["metrics"][PRODUCT]["citation_validity"]["problems"]}
        for r in listed if r["metrics"][PRODUCT]["citation_validity"]["ok"] is False
    ]
    errors = [{"id": r["item"]["id"], "error": r["error"]} for r in listed if r.get("error")]
    return {
        "errors": errors,
        "held_out_errors": sum(1 for r in records if r.get("error")) - len(errors),
        "systems": summary,
        "by_kind": by_kind,
        "by_document": _by_document(records, systems, k),
        "worst": _worst(listed, k),
        "scope_errors": scope_errors,
        "invalid_citations": invalid,
    }


# --- output -----------------------------------------------------------------------------------


def sealed(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` as written to disk: a held-out item keeps its id, kind and numbers, never its
    question, evidence, note or answers, so no ``grep`` over an output folder (the quality gate's
    is in tests/artifacts/) shows a reader the split item by item. (One item of the first held-out
    split was seen that way, and the split was retired.)"""
    item = record["item"]
    if item.get("file") not in HELD_OUT:
        return record
    return {"item": {key: item[key] for key in ("id", "kind", "file")}, "metrics": record["metrics"],
            "error": bool(record.get("error")), "sealed": True}


def write_outputs(out: Path, records: Sequence[dict[str, Any]], result: dict[str, Any]) -> None:
    from secretarisbot.evals.chart import plot_recall
    from secretarisbot.evals.report import render_report

    with (out / "records.jsonl").open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(sealed(record), ensure_ascii=False) + "\n")
    (out / "metrics.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    plot_recall(result, out / CHART_FILE)
    (out / "report.md").write_text(render_report(result, chart=CHART_FILE), encoding="utf-8")

