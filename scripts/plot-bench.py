#!/usr/bin/python3
"""Plots of the benchmark suite's CSV (scripts/bench.sh): throughput against size, one PNG per benchmark, a line per
operation and rank count, baselines dashed.

    /usr/bin/python3 scripts/plot-bench.py build/bench-out/bench.csv [out-dir]
    /usr/bin/python3 scripts/plot-bench.py --markdown build/bench-out/bench.csv   (the rows as a Markdown table)

Throughput is GB/s over all ranks, except where a row has no byte size (particle restarts): particles per second.
The TS benchmark is plotted as the attached snapshot's overhead in percent of TSStep against the solution's size:
the difference of attached and plain steps (noisy) and the capture the attachment makes at each step, timed alone."""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TITLES = {
    "memory": "memory type: a declared Vec (changed: copied; unchanged: skipped)",
    "swarm": "memory type: a DMSwarm (5 fields)",
    "hdf5": "hdf5 type: a Vec, against VecView / VecLoad",
    "plex-checkpoint": "hdf5 checkpoint of a DMPlex + Q1 field, against PETSc's DMPlex*View",
    "plex-restart": "restart from hdf5 (N->M), against PETSc's DMPlex*Load",
    "particles-restart": "particle placement of a restart (N->M)",
    "ts": "attached snapshot: overhead per TSStep",
}


BASELINES = {"memcpy", "VecCopy", "memcpy-fields", "petsc-checkpoint", "petsc-restart", "TSStep", "VecView", "VecLoad"}


def series(rows):
    """(label, ranks) -> [(x, y)] of throughput against size: GB/s over all ranks against bytes per rank, or, for rows
    without a byte size, items per second against items per rank."""
    lines = defaultdict(list)
    ops = {r["op"] for r in rows}

    def point(r, ms):
        size = float(r["bytes_per_rank"])
        if size > 0:
            return size, size * int(r["ranks"]) / (ms / 1e3) / 1e9
        return float(r["items_per_rank"]), float(r["items_per_rank"]) * int(r["ranks"]) / (ms / 1e3)

    for r in rows:
        case = r["case"].split("-from")
        suffix = " from " + case[1] + " rank" + ("s" if case[1] != "1" else "") if len(case) > 1 else ""
        lines[(r["op"] + suffix, r["ranks"])].append(point(r, float(r["ms"])))
        if r["baseline"] and r["baseline"] not in ops:  # a baseline measured in the row only (VecView, VecLoad)
            lines[(r["baseline"] + suffix, r["ranks"])].append(point(r, float(r["baseline_ms"])))
    return lines


def draw(ax, lines, xlabel, ylabel, logy=True):
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ops = sorted({label for label, _ in lines})
    for (label, ranks), pts in sorted(lines.items()):
        pts.sort()
        base = label.split(" ")[0] in BASELINES
        shade = {"memcpy": "0.6", "memcpy-fields": "0.6", "VecLoad": "0.6"}.get(label.split(" ")[0], "0.25")
        color = shade if base else colors[ops.index(label) % len(colors)]
        style = (":" if base else "-") if ranks == "1" else ("-." if base else "--")
        ax.plot([p[0] for p in pts], [p[1] for p in pts], style, color=color, marker="o" if ranks == "1" else "s", markersize=4,
                label=f"{label}, {ranks} rank{'s' if ranks != '1' else ''}" + (" (baseline)" if base else ""))
    ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6)


def markdown(path):
    print("| bench | case | op | ranks | MB/rank | baseline | baseline ms | ms | ratio | CPU ratio | best ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in csv.DictReader(open(path)):
        size = float(r["bytes_per_rank"]) / 1048576
        size = f"{size:.3g}" if size > 0 else f"{float(r['items_per_rank']):.0f} particles"

        def x(key):
            return f"{float(r[key]):.2f}x" if r[key] else ""

        best = f"{float(r['best_ms']) / float(r['baseline_best_ms']):.2f}x" if r["baseline_best_ms"] else ""
        base_ms = f"{float(r['baseline_ms']):.3g}" if r["baseline_ms"] else ""
        print(f"| {r['bench']} | {r['case']} | {r['op']} | {r['ranks']} | {size} | {r['baseline']} | {base_ms} | {float(r['ms']):.3g} | {x('ratio')} | {x('cpu_ratio')} | {best} |")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--markdown":
        return markdown(sys.argv[2])
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(path))
    rows = list(csv.DictReader(open(path)))
    by_bench = defaultdict(list)
    for r in rows:
        by_bench[r["bench"]].append(r)
    for bench, rs in by_bench.items():
        if bench not in TITLES:
            continue
        unchanged = [r for r in rs if "unchanged" in r["case"]]
        copied = [r for r in rs if "unchanged" not in r["case"]]
        fig, axes = plt.subplots(1, 2 if unchanged else 1, figsize=(11 if unchanged else 7, 4.2), squeeze=False)
        ax = axes[0][0]
        if bench == "ts":
            base = {(r["case"], r["ranks"]): float(r["ms"]) for r in rs if r["op"] == "TSStep"}
            lines = defaultdict(list)
            for r in rs:
                b = base[(r["case"], r["ranks"])]
                if r["op"] == "TSStep-attached":
                    lines[("attached minus plain TSStep", r["ranks"])].append((float(r["bytes_per_rank"]), 100 * (float(r["ms"]) - b) / b))
                elif r["op"] == "capture-per-step":
                    lines[("the capture alone", r["ranks"])].append((float(r["bytes_per_rank"]), 100 * float(r["ms"]) / b))
            draw(ax, lines, "solution bytes per rank", "overhead, % of TSStep (wall clock)", logy=False)
        else:
            sized = any(float(r["bytes_per_rank"]) > 0 for r in copied)
            draw(ax, series(copied), "bytes per rank" if sized else "particles per rank", "GB/s (all ranks)" if sized else "particles/s (all ranks)")
        ax.set_title(TITLES[bench], fontsize=9)
        if unchanged:
            lines = defaultdict(list)
            for r in unchanged:
                lines[(r["op"] + " unchanged", r["ranks"])].append((float(r["bytes_per_rank"]), float(r["ms"])))
            draw(axes[0][1], lines, "bytes per rank", "time, ms")
            axes[0][1].set_title("unchanged Vec: skipped by object state (time, not throughput)", fontsize=9)
        fig.tight_layout()
        name = os.path.join(out, f"bench-{bench}.png")
        fig.savefig(name, dpi=80)
        plt.close(fig)
        print(name)


if __name__ == "__main__":
    main()
