#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Plots the held-out accuracy of several learning benchmark runs against labels given.

Usage: /usr/bin/python3 tests/bench/plot_learning_runs.py OUT.png "LABEL=DIR" ["LABEL=DIR" ...]
Each DIR is a run of run_learning_bench.py (its learning.json); the curve is the mean over the
held-out seeds, with each seed's value as a faint mark. Runs whose label starts with the same
word share a colour (e.g. "float32 seed 1", "float32 seed 2"); the second of each is dashed.
"""
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    out = pathlib.Path(sys.argv[1])
    colours = {}
    seen = {}
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for spec in sys.argv[2:]:
        label, _, folder = spec.partition("=")
        run = json.loads((pathlib.Path(folder) / "learning.json").read_text())
        labels = [row["labels"] for row in run["rows"]]
        per_seed = [row["ours"]["acc"] for row in run["rows"]]
        mean = [sum(a) / len(a) for a in per_seed]
        group = label.split()[0]
        colour = colours.setdefault(group, f"C{len(colours)}")
        style = "--" if seen.get(group) else "-"
        seen[group] = True
        steps = run["ours"]["steps"]
        ax.plot(labels, mean, style, color=colour, marker="o", label=f"{label} ({steps} steps)")
        for x, values in zip(labels, per_seed):
            ax.scatter([x] * len(values), values, color=colour, alpha=0.25, s=12)
    ax.axhline(0.9, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("labels given (one every 3 s)")
    ax.set_ylabel("held-out accuracy (mean of held-out seeds)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
