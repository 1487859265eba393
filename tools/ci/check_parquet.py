#!/usr/bin/env python3
"""Checks that a campaign's Parquet files hold the same rows as their CSV twins, read by an
independent reader (pyarrow): same columns in the same order, same number of rows, and every
cell equal (numbers compared as numbers, exactly; an empty CSV cell is a Parquet null).

    check_parquet.py CAMPAIGN_DIR        # runs.{csv,parquet}, points.{csv,parquet} if present

Exit 0 when every pair agrees, 1 on a difference, 2 when a file is missing.
"""
import csv
import math
import sys
from pathlib import Path

import pyarrow.parquet as pq


def same(csv_cell: str, value) -> bool:
    if value is None:
        return csv_cell == ""
    if isinstance(value, bool):
        return csv_cell.lower() == str(value).lower()
    if isinstance(value, (int, float)):
        try:
            x = float(csv_cell)
        except ValueError:
            return False
        if isinstance(value, float) and math.isnan(value):
            return math.isnan(x)
        return x == float(value)
    return csv_cell == str(value)


def check(dir_: Path, stem: str) -> int:
    c, p = dir_ / f"{stem}.csv", dir_ / f"{stem}.parquet"
    if not c.exists() and not p.exists():
        return 0
    if not (c.exists() and p.exists()):
        print(f"{stem}: one of {c.name} / {p.name} is missing", file=sys.stderr)
        return 2
    with c.open(newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    table = pq.read_table(p)
    if table.column_names != header:
        print(f"{stem}: columns differ:\n  csv     {header}\n  parquet {table.column_names}", file=sys.stderr)
        return 1
    if table.num_rows != len(body):
        print(f"{stem}: {len(body)} CSV rows, {table.num_rows} Parquet rows", file=sys.stderr)
        return 1
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    bad = 0
    for r, row in enumerate(body):
        for j, cell in enumerate(row):
            if not same(cell, columns[j][r]):
                bad += 1
                if bad <= 10:
                    print(f"{stem} row {r + 1} {header[j]}: csv {cell!r}, parquet {columns[j][r]!r}", file=sys.stderr)
    if bad:
        print(f"{stem}: {bad} cells differ", file=sys.stderr)
        return 1
    print(f"{stem}: {len(body)} rows x {len(header)} columns identical in CSV and Parquet")
    return 0


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = Path(sys.argv[1])
    if not (d / "runs.csv").exists():
        print(f"{d}: no runs.csv", file=sys.stderr)
        return 2
    return max(check(d, "runs"), check(d, "points"))


if __name__ == "__main__":
    sys.exit(main())
