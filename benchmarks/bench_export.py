"""Benchmark the Excel export against pandas' to_excel (openpyxl engine), in one run.

Writes a 100,000-row commitments table (synthetic, with the clean table's columns) both
ways and prints the time and peak memory (tracemalloc) of each. funding's writer uses
openpyxl's write-only mode and still marks the table up as an Excel table, with a number
format per column and every text cell stored as text (never a formula).

Targets (issue 5): at most 0.7 times pandas' time, under 50 MB of extra memory, tables
still marked up. Figures are printed, never asserted.

    python benchmarks/bench_export.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook

from funding.export import Column, Sheet, POUNDS, COUNT, _write_table_sheet


def commitments(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    themes = np.array(["early-help", "family-hubs", "mental-health", "youth", "serious-violence", "education"])
    return pd.DataFrame({
        "commitment_id": [f"c{i:012x}" for i in range(n)],
        "amount_gbp": rng.integers(1, 1000, n) * 1_000_000,
        "theme": themes[rng.integers(0, len(themes), n)],
        "department": np.where(rng.random(n) < 0.5, "DfE", "DHSC"),
        "fy_start": np.where(rng.random(n) < 0.8, "2022-23", ""),
        "n_years": rng.integers(1, 4, n),
        "counted": rng.random(n) < 0.8,
        "quote": ["We are investing £%dm in family hubs and Start for Life services across England." % i for i in range(n)],
    })


COLUMNS = (
    Column("Commitment ID", "commitment_id"), Column("Amount (£)", "amount_gbp", POUNDS), Column("Theme", "theme"),
    Column("Department", "department"), Column("First financial year", "fy_start"), Column("Number of years", "n_years", COUNT),
    Column("Counted in totals", "counted"), Column("Quote", "quote", width=80),
)


def ours(frame: pd.DataFrame, path: Path) -> None:
    wb = Workbook(write_only=True)
    _write_table_sheet(wb, Sheet("Commitments", "Commitments", "Synthetic commitments for the benchmark.", COLUMNS, frame))
    wb.save(path)


def pandas_way(frame: pd.DataFrame, path: Path) -> None:
    frame.to_excel(path, engine="openpyxl", index=False, sheet_name="Commitments")


def measure(function, frame: pd.DataFrame, path: Path) -> tuple[float, float]:
    gc.collect()
    start = time.perf_counter()
    function(frame, path)
    seconds = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    function(frame, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the table (default 100,000)")
    args = parser.parse_args(argv)
    frame = commitments(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        ours_path, pandas_path = Path(folder) / "ours.xlsx", Path(folder) / "pandas.xlsx"
        print(f"writing {args.rows:,d} rows both ways ...", file=sys.stderr)
        pandas_time, pandas_memory = measure(pandas_way, frame, pandas_path)
        ours_time, ours_memory = measure(ours, frame, ours_path)
        tables = len(load_workbook(ours_path, read_only=False)["Commitments"].tables)
    print(f"\nExcel export of a {args.rows:,d}-row commitments table (8 columns)\n")
    print(f"{'':34}{'seconds':>9}{'peak MB':>10}")
    print(f"{'pandas to_excel (openpyxl)':34}{pandas_time:9.2f}{pandas_memory:10.1f}")
    print(f"{'funding (write-only, marked up)':34}{ours_time:9.2f}{ours_memory:10.1f}")
    print(f"\ntime ratio funding / pandas: {ours_time / pandas_time:.2f} (target <= 0.7)")
    print(f"funding's extra memory: {ours_memory:.1f} MB (target < 50 MB); Excel tables in the sheet: {tables}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
