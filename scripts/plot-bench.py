#!/usr/bin/python3
"""Plots of the benchmark suite's CSV (scripts/bench.sh): throughput against size, one PNG per benchmark, a line per
operation and rank count, baselines dashed.

    /usr/bin/python3 scripts/plot-bench.py build/bench-out/bench.csv [out-dir]

Throughput is GB/s over all ranks, except where a row has no byte size (particle restarts): particles per second.
The TS benchmark is plotted as the attached snapshot's overhead in percent of TSStep against the solution's size."""
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


def main():
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
        fig, ax = plt.subplots(figsize=(7, 4.2))
        lines = defaultdict(list)
        if bench == "ts":
            base = {(r["case"], r["ranks"]): float(r["ms"]) for r in rs if r["op"] == "TSStep"}
            for r in rs:
                if r["op"] == "TSStep-attached":
                    b = base[(r["case"], r["ranks"])]
                    lines[("attached", r["ranks"])].append((float(r["bytes_per_rank"]), 100 * (float(r["ms"]) - b) / b))
            ylabel, xlabel = "overhead, % of TSStep", "solution bytes per rank"
        else:
            for r in rs:
                size = float(r["bytes_per_rank"])
                if size > 0:
                    x, y = size, float(r["gb_per_s"])
                else:
                    x, y = float(r["items_per_rank"]), float(r["items_per_rank"]) * int(r["ranks"]) / (float(r["ms"]) / 1e3)
                lines[(r["case"].split("-from")[0] + " " + r["op"] + ("" if "-from" not in r["case"] else " from " + r["case"].split("-from")[1]), r["ranks"])].append((x, y))
            sized = any(float(r["bytes_per_rank"]) > 0 for r in rs)
            ylabel = "GB/s (all ranks)" if sized else "particles/s (all ranks)"
            xlabel = "bytes per rank" if sized else "particles per rank"
        baselines = {r["baseline"] for r in rs if r["baseline"]} | {"memcpy", "VecCopy", "memcpy-fields", "petsc-checkpoint", "petsc-restart"}
        for (label, ranks), pts in sorted(lines.items()):
            pts.sort()
            op = label.split(" ")[1] if " " in label else label
            style = "--" if op in baselines else "-"
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, marker="o", label=f"{label}, {ranks} rank{'s' if ranks != '1' else ''}")
        ax.set_xscale("log")
        if bench != "ts":
            ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(TITLES[bench], fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6, ncol=2)
        fig.tight_layout()
        name = os.path.join(out, f"bench-{bench}.png")
        fig.savefig(name, dpi=90)
        plt.close(fig)
        print(name)


if __name__ == "__main__":
    main()
