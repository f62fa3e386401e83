"""Plot docs/benchmarks/scale.json to docs/benchmarks/scale.png.

matplotlib is not a dependency of allygraph; run this with a separate environment:
    python3 -m venv /tmp/plotvenv && /tmp/plotvenv/bin/pip install matplotlib
    /tmp/plotvenv/bin/python benchmarks/scale/plot.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs/benchmarks/scale.json"
    out = src.with_suffix(".png")
    data = json.loads(src.read_text())
    sizes = data["sizes"]
    labels = [
        f"{row['triples'] / 1e6:.1f}M" if row["triples"] >= 1e6 else f"{row['triples'] // 1000}k"
        for row in sizes
    ]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))

    ax = axes[0]
    width = 0.27
    xs = range(len(sizes))
    for i, (key, name) in enumerate(
        [
            ("oxigraph_load_tps", "oxigraph load"),
            ("embedded_tps", "allygraph load (embedded)"),
            ("remote_tps", "allygraph load (remote)"),
        ]
    ):
        ax.bar(
            [x + (i - 1) * width for x in xs],
            [r["load"][key] / 1000 for r in sizes],
            width,
            label=name,
        )
    ax.set_xticks(list(xs), labels)
    ax.set_ylabel("thousand triples / s")
    ax.set_title("Load throughput")
    ax.legend(fontsize=8)

    ax = axes[1]
    emb = [r["embedded_serve"]["qps"] or 0 for r in sizes]
    direct = [r["oxigraph_server_direct"]["qps"] or 0 for r in sizes]
    ax.plot(labels, emb, "o-", label="allygraph serve (embedded)")
    ax.plot(labels, direct, "s--", label="oxigraph server /query (remote backend)")
    ax.set_ylabel("queries / s (mix, 4 clients)")
    ax.set_title("Query mix")
    ax.legend(fontsize=8)
    ax2 = ax.twinx()
    ax2.bar(
        labels, [r["embedded_serve"]["rss_after_mix_mb"] for r in sizes], alpha=0.15, color="grey"
    )
    ax2.set_ylabel("allygraph serve RSS (MB, bars)")

    ax = axes[2]
    builds = data.get("builds")
    if builds:
        names = ["embedded\n-j1", "embedded\n-j2", "remote\n-j1", "remote\n-j2"]
        vals = [
            builds["embedded_jobs1_docs_per_s"],
            builds["embedded_jobs2_docs_per_s"],
            builds["remote_jobs1_docs_per_s"],
            builds["remote_jobs2_docs_per_s"],
        ]
        ax.bar(names, vals, color=["C0", "C0", "C1", "C1"])
        ax.set_ylabel("documents / s")
        ax.set_title(
            f"Build of {builds['documents']} documents\n"
            f"(rebuild after 1 changed: {builds['incremental_share_of_full']:.0%} of full)"
        )
    fig.suptitle(f"allygraph scale benchmark ({data['machine']['cpus']} CPUs, {data['started']})")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
