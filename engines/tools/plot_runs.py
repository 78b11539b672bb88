"""Loss curves of several ``acvis.train`` runs in one small PNG.

``/usr/bin/python3 tools/plot_runs.py OUT.png LABEL=RUN_DIR[@OFFSET] ...`` (reads ``RUN_DIR/metrics.jsonl``; OFFSET
shifts the iterations, for a run that continues another one).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(argv: list[str]) -> int:
    out, runs = Path(argv[0]), [a.split("=", 1) for a in argv[1:]]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.0))
    for i, (label, run) in enumerate(runs):
        run, _, offset = run.partition("@")
        rows = [json.loads(line) for line in (Path(run) / "metrics.jsonl").read_text().splitlines() if line.strip()]
        it = [r["iteration"] + int(offset or 0) for r in rows]
        axes[0].plot(it, [r["total"] for r in rows], label=label, linewidth=1.2, color=f"C{i}")
        axes[1].plot(it, [r["frame"] + r["video"] for r in rows], label=label, linewidth=1.2, color=f"C{i}")
        if any(r["count"] for r in rows):
            axes[2].plot(it, [r["count"] for r in rows], label=label, linewidth=1.2, color=f"C{i}")
    for ax, title in zip(axes, ("total", "frame + video (mask/class)", "count (SAOC)")):
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("iteration", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=72)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
