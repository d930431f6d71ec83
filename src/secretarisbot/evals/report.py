"""``report.md``: the eval's metrics as Markdown tables for evaluators (English).

Baselines only rank passages; every answer metric shows "n.v.t." (not applicable) for them.
"""

from __future__ import annotations

from typing import Any

NA = "n.v.t."

#: (key in metrics["systems"][...], label, kind of value, applies to baselines)
ROWS: tuple[tuple[str, str, str, bool], ...] = (
    ("recall@1", "Recall@1", "share", True),
    ("recall@3", "Recall@3", "share", True),
    ("recall@5", "Recall@5", "share", True),
    ("recall@10", "Recall@10", "share", True),
    ("hit@5", "Hit@5 (some evidence in the top 5)", "share", True),
    ("mrr", "MRR (@10)", "score", True),
    ("ndcg@10", "nDCG@10", "score", True),
    ("findable", "Evidence findable in some passage", "share", True),
    ("citation_validity", "Citation validity (answers with all [n] valid)", "share", False),
    ("citation_marker_validity", "Citation validity (per [n] marker)", "share", False),
    ("answers_with_citations", "In-scope answers with citations", "share", False),
    ("citation_support", "Citation support (all judged sentences)", "share", False),
    ("cited_sentence_support", "Citation support (cited sentences only)", "share", False),
    ("oos_precision", "Out-of-scope precision", "share", False),
    ("oos_recall", "Out-of-scope recall", "share", False),
    ("scope_accuracy", "Scope accuracy (in/out decisions)", "share", False),
    ("false_refusal_rate", "False refusal rate (in-scope refused)", "share", False),
    ("role_accuracy", "Role accuracy (role items)", "share", False),
    ("cited_first3", "Evidence among the first 3 citations", "share", False),
    ("cited_any", "Evidence anywhere among the citations", "share", False),
    ("answer_words_p50", "Answer length p50 (words before the sources)", "count", False),
    ("citations_p50", "Citations per answer p50", "count", False),
    ("latency_p50_ms", "Latency p50 (ms)", "ms", True),
    ("latency_p95_ms", "Latency p95 (ms)", "ms", True),
)


#: What each split is (evals/README.md, "Splits"); any other gold file is a dev split.
SPLIT_ROLES = {
    "test.yaml": "held-out test split: never tuned on",
    "test-2.yaml": "second held-out test split (another writer, 2026-12-02): never tuned on",
    "tune.yaml": "tuning split: written apart, read item by item to choose between mechanisms",
    "retired-test.yaml": "the first held-out split, retired on 2026-12-02: a dev split now",
    "conversations.yaml": "dev split of two-turn conversations: a follow-up adds a condition to a long first turn",
}


def fmt(value: Any, kind: str = "score") -> str:
    if value is None:
        return "–"
    if kind in ("ms", "count"):
        return f"{value:.0f}"
    if kind == "share":
        return f"{value:.1%}"
    return f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _system_table(systems: dict[str, Any], k: int) -> str:
    names = list(systems)
    keys = [key for key, *_ in ROWS]
    rows_def = list(ROWS)
    if f"recall@{k}" not in keys:
        rows_def.insert(4, (f"recall@{k}", f"Recall@{k}", "share", True))
    rows = []
    for key, label, kind, for_baselines in rows_def:
        cells = [f"**{label}**" if key == f"recall@{k}" else label]
        for name in names:
            if not for_baselines and "citation_validity" not in systems[name]:
                cells.append(NA)
            else:
                cells.append(fmt(systems[name].get(key), kind))
        rows.append(cells)
    return _table(["Metric", *names], rows)


def render_report(metrics: dict[str, Any], chart: str | None = "recall_at_k.png") -> str:
    meta = metrics.get("meta", {})
    k = int(meta.get("k", 5))
    systems = metrics["systems"]
    names = list(systems)
    parts = [
        "# secretarisbot eval report",
        "",
        f"- Date: {meta.get('date', '?')}; gold files: {', '.join(meta.get('gold_files', []))}; "
        f"items: {meta.get('items', '?')}; headline k = {k}"
        + ("; fast pass (no baselines, no LLM judge)" if meta.get("fast") else ""),
        f"- Product: `Assistant.ask` in mode `{meta.get('mode', '?')}`, embedder `{meta.get('embedder', '?')}`.",
        "- Baselines: `naive` = RecursiveCharacterTextSplitter(1000/200) over the raw texts + same embedder + "
        "Chroma top-k; `bm25` = plain BM25 over the same chunks. They rank passages only: answer metrics are "
        f"{NA} for them, and their latency is retrieval only.",
        "- Metric definitions and known limits: see `evals/README.md`.",
        "",
        "## Product vs baselines",
        "",
        _system_table(systems, k),
        "",
    ]
    splits = metrics.get("by_split", {})
    if len(splits) > 1:
        for name, split in splits.items():
            role = SPLIT_ROLES.get(name, "dev split: tuned on")
            parts += [f"### {name} ({role})", "", _system_table(split, k), ""]
        parts += ["Citations per guide (product): " + "; ".join(
            f"{name}: " + ", ".join(f"{d} {v:.0%}" for d, v in split.get("product", {}).get(
                "citations_per_document", {}).items())
            for name, split in splits.items()), ""]
    if chart:
        parts += [f"![Recall@k]({chart})", ""]

    parts += ["## Per kind", ""]
    header = ["Kind", "Items", *[f"R@{k} {n}" for n in names], *[f"MRR {n}" for n in names],
              "Citation validity", "Citation support", "Scope accuracy", "Role accuracy", "p50 ms"]
    rows = []
    for kind, row in metrics.get("by_kind", {}).items():
        prod = row["product"]
        rows.append([
            kind, str(prod["n"]),
            *[fmt(row[n].get(f"recall@{k}"), "share") for n in names],
            *[fmt(row[n].get("mrr")) for n in names],
            fmt(prod.get("citation_validity"), "share"), fmt(prod.get("citation_support"), "share"),
            fmt(prod.get("scope_accuracy"), "share"), fmt(prod.get("role_accuracy"), "share"),
            fmt(prod.get("latency_p50_ms"), "ms"),
        ])
    parts += [_table(header, rows), ""]

    parts += ["## Per document (share of the document's evidence fragments in the top-"
              f"{k})", ""]
    rows = [
        [doc, str(row["items"]), str(row["fragments"]), *[fmt(row.get(n), "share") for n in names]]
        for doc, row in metrics.get("by_document", {}).items()
    ]
    parts += [_table(["Document", "Items", "Fragments", *names], rows), ""]

    parts += [f"## The ten worst items (product, by Recall@{k} then MRR)", "",
              "Items of the held-out splits (test.yaml, test-2.yaml) are not listed: they are read only as whole numbers.", ""]
    rows = []
    for w in metrics.get("worst", []):
        retrieved = "; ".join(
            f"#{p['rank']} {p['document']} {p['section'] or ''}: {p['snippet']}".strip() for p in w["retrieved"]
        ) or "(nothing retrieved)"
        rows.append([
            w["id"], w["kind"], w["question"], ", ".join(w["sources"]), fmt(w.get(f"recall@{k}"), "share"),
            fmt(w.get("rr")), "; ".join(f"“{m}”" for m in w["missing"]) or "–", retrieved,
        ])
    parts += [_table(["Id", "Kind", "Question", "Expected", f"R@{k}", "RR", "Missing evidence",
                      "Retrieved instead (top 3)"], rows), ""]

    errors = metrics.get("scope_errors", [])
    parts += ["## Scope errors", ""]
    if errors:
        rows = [[e["id"], e["kind"], e["question"], "answered" if e["predicted_in_scope"] else "refused"]
                for e in errors]
        parts += [_table(["Id", "Gold kind", "Question", "Product did"], rows), ""]
    else:
        parts += ["None: every in/out-of-scope decision matched the gold set.", ""]

    failed = metrics.get("errors", [])
    if failed:
        parts += ["## Items that raised an error", ""]
        parts += [_table(["Id", "Error"], [[e["id"], e["error"]] for e in failed]), ""]

    invalid = metrics.get("invalid_citations", [])
    if invalid:
        parts += ["## Invalid citations", ""]
        parts += [_table(["Id", "Problems"], [[i["id"], "; ".join(i["problems"])] for i in invalid]), ""]

    judge = metrics.get("llm_judge", {})
    parts += ["## LLM-judged faithfulness and answer relevancy", ""]
    if "skipped" in judge:
        parts += [f"Skipped: {judge['skipped']}.", ""]
    else:
        parts += [
            _table(["Metric", "product"], [
                ["Faithfulness (LLM judge)", fmt(judge.get("faithfulness"))],
                ["Answer relevancy (LLM judge)", fmt(judge.get("answer_relevancy"))],
            ]),
            "",
            f"Judged answers: {judge.get('judged', 0)}; failed judge calls: {judge.get('failed_calls', 0)}. "
            "The judge is the configured LLM; treat the numbers as indicative.",
            "",
        ]
    return "\n".join(parts)
