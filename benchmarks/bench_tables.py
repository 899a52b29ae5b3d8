"""Benchmark long Markdown tables and lists: the cost per row must not grow with their length.

Writes one document per shape and size (a table under a "£m" caption, a bulleted list after a
lead-in, a numbered list of items that wrap onto a second line), each row holding one figure,
and times ``extract_text`` (find, sentence, id) and ``build_tables`` (the whole model) on it.
A linear stage takes ten times as long for ten times the rows: the ratio column is seconds
per row at the largest size over seconds per row at the smallest (1.0 is linear; a quadratic
walk gives about 10). The figures are printed, never asserted.

    python benchmarks/bench_tables.py [--sizes 1000 5000 10000] [--build]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from funding.annotate.document import Document
from funding.build import build_tables
from funding.extract import extract_text
from funding.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2023, 6, 1)


def table(rows: int) -> str:
    body = "".join(f"| Area {i} | {i % 97 + 1},{i % 1000:03d} | {i % 13 + 1} |\n" for i in range(rows))
    return f"Allocations by area (£m)\n\n| Area | 2023-24 | 2024-25 |\n|---|---|---|\n{body}"


def bullets(rows: int) -> str:
    body = "".join(f"- £{i % 900 + 1} million for place {i};\n" for i in range(rows))
    return f"The funding includes:\n\n{body}"


def numbered(rows: int) -> str:
    body = "".join(f"{i % 999 + 1}. Place {i} receives\n   £{i % 900 + 1}m over two years.\n" for i in range(rows))
    return f"Each place receives the following:\n\n{body}"


SHAPES = {"table": table, "bulleted list": bullets, "wrapped list": numbered}


def seconds(run, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--build", action="store_true", help="also time build_tables (slower)")
    args = parser.parse_args()
    ref = load_reference(ROOT / "data" / "raw", with_sources=False) if args.build else None
    stages = ["extract"] + (["build"] if args.build else [])
    print(f"{'shape':<15} {'stage':<8} " + " ".join(f"{n:>9,} rows" for n in args.sizes) + "   ratio (s/row, largest/smallest)")
    for name, make in SHAPES.items():
        texts = {n: make(n) for n in args.sizes}
        for stage in stages:
            if stage == "extract":
                timings = [seconds(lambda t=texts[n]: extract_text(t, "doc")) for n in args.sizes]
            else:
                timings = [seconds(lambda t=texts[n]: build_tables([Document("doc", t, DAY, DAY)], ref)) for n in args.sizes]
            ratio = (timings[-1] / args.sizes[-1]) / (timings[0] / args.sizes[0])
            print(f"{name:<15} {stage:<8} " + " ".join(f"{t:>12.2f} s" for t in timings) + f"   {ratio:.2f}")


if __name__ == "__main__":
    main()
