"""CI quality gate: the fast eval pass over the held-out test split (evals/gold/test.yaml) must
stay within evals/thresholds.yaml. The split is never tuned on; it is read here only as whole
numbers. Thresholds sit a little below the held-out measurement and are only ever tightened (set
again only when the split is replaced).
"""

from __future__ import annotations

import pytest
import yaml

from secretarisbot.evals.report import ROWS
from secretarisbot.settings import PROJECT_ROOT, Settings

THRESHOLDS = PROJECT_ROOT / "evals" / "thresholds.yaml"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "eval-fast"
GATED_MIN = {"hit@5", "recall@5", "citation_validity", "oos_recall", "role_accuracy", "cited_first3", "cited_any"}
GATED_MAX = {"false_refusal_rate", "answer_words_p50", "citations_p50"}


def load_thresholds() -> dict:
    return yaml.safe_load(THRESHOLDS.read_text(encoding="utf-8"))


def test_thresholds_file_gates_the_required_metrics() -> None:
    t = load_thresholds()
    assert t["split"] == "test.yaml"
    assert GATED_MIN <= set(t["min"]) and GATED_MAX <= set(t["max"])
    known = {key for key, *_ in ROWS}
    for key in [*t["min"], *t["max"]]:
        assert key in known, key
    for key, value in t["min"].items():
        assert 0.0 < float(value) <= 1.0, (key, value)


@pytest.mark.integration
def test_fast_pass_on_the_test_split_meets_the_thresholds(real_settings: Settings) -> None:
    from secretarisbot.evals.runner import run_eval

    t = load_thresholds()
    # The report stays in tests/artifacts/ (git-ignored) so a failing gate can be inspected.
    result = run_eval(real_settings, gold=[PROJECT_ROOT / "evals" / "gold" / t["split"]], out_dir=ARTIFACTS,
                      k=5, fast=True)
    product = result.metrics["systems"]["product"]
    failures = {
        key: (product.get(key), f">= {minimum}")
        for key, minimum in t["min"].items()
        if product.get(key) is None or product[key] < float(minimum)
    }
    failures.update({
        key: (product.get(key), f"<= {maximum}")
        for key, maximum in t["max"].items()
        if product.get(key) is None or product[key] > float(maximum)
    })
    assert not failures, f"outside evals/thresholds.yaml (measured, bound): {failures}; see {result.report_path}"
