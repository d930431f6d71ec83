"""The Recall@k chart of the eval report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

COLORS = {"product": "#1f5f8b", "naive": "#c8553d", "bm25": "#8a8a8a"}


def recall_series(metrics: dict[str, Any]) -> dict[str, list[tuple[int, float]]]:
    """Per system, the (k, Recall@k) points present in ``metrics["systems"]``."""
    out: dict[str, list[tuple[int, float]]] = {}
    for system, row in metrics["systems"].items():
        points = sorted(
            (int(key.split("@")[1]), value)
            for key, value in row.items()
            if key.startswith("recall@") and value is not None
        )
        if points:
            out[system] = points
    return out


def plot_recall(metrics: dict[str, Any], path: Path) -> Path:
    """Draw Recall@k for the product and the baselines into ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    try:
        for system, points in recall_series(metrics).items():
            ks = [k for k, _ in points]
            ax.plot(ks, [v for _, v in points], marker="o", label=system, color=COLORS.get(system))
        ax.set_xlabel("k (passages)")
        ax.set_ylabel("Recall@k (share of evidence fragments)")
        ax.set_ylim(0, 1.02)
        ax.set_xticks(sorted({k for pts in recall_series(metrics).values() for k, _ in pts}))
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right")
        meta = metrics.get("meta", {})
        ax.set_title(f"Recall@k on {meta.get('items', '?')} gold items ({meta.get('date', '')})", fontsize=10)
        fig.tight_layout()
        path = Path(path)
        fig.savefig(path)
    finally:
        plt.close(fig)
    return path
