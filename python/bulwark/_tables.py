"""Texts of the CLI's files to Arrow tables and DataFrames, and DataFrames back to CSV."""
from __future__ import annotations

import functools
import io
import os
from typing import Any, Union

import pyarrow as pa
import pyarrow.csv as pacsv

FrameLike = Any  # a pandas/polars DataFrame, a pyarrow Table or any Arrow PyCapsule stream
PathLike = Union[str, "os.PathLike[str]"]
CONVERT = pacsv.ConvertOptions(strings_can_be_null=True)


def csv_table(text: str) -> pa.Table:
    """Parses a CSV text as the CLI wrote it; empty fields are nulls and a column with no value
    is float64 (as pandas reads them)."""
    table = pacsv.read_csv(io.BytesIO(text.encode()), convert_options=CONVERT)
    for i, f in enumerate(table.schema):
        if pa.types.is_null(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.float64()))
    return table


def jsonl_table(text: str) -> pa.Table:
    """Parses a JSON Lines event log: one row per event, columns the union of the keys."""
    import pandas as pd

    if not text:
        return pa.table({})
    frame = pd.read_json(io.StringIO(text), lines=True, dtype=False)
    return pa.Table.from_pandas(frame, preserve_index=False)


def to_csv_text(data: FrameLike | PathLike) -> tuple[str, str]:
    """A CSV file (read as it is) or an Arrow-compatible table (written as CSV); returns (text, name)."""
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        with open(path, encoding="utf-8") as f:
            return f.read(), path
    table = data if isinstance(data, pa.Table) else pa.table(data)
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().decode(), f"<{type(data).__name__}>"


class Tables:
    """Named tables parsed from the texts of a CLI output directory (``files``: name → text),
    each on first use: ``arrow(name)``, ``pandas(name)``, ``polars(name)``. A subclass names
    its tables in ``TABLES`` (table → file) and says in ``_missing`` why one is absent."""

    TABLES: dict[str, str] = {}

    def __init__(self, files: dict[str, str]) -> None:
        self.files: dict[str, str] = files
        self._arrow: dict[str, pa.Table] = {}

    def _missing(self, name: str, file: str) -> str:
        return f"no {file} among the outputs"

    def arrow(self, name: str) -> pa.Table:
        """Table `name` (see ``TABLES``) as a pyarrow Table."""
        from ._bulwark import BulwarkError

        if name not in self.TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(self.TABLES)}")
        if name not in self._arrow:
            file = self.TABLES[name]
            if file not in self.files:
                raise BulwarkError(f"no {name} table: {self._missing(name, file)}")
            text = self.files[file]
            self._arrow[name] = jsonl_table(text) if file.endswith(".jsonl") else csv_table(text)
        return self._arrow[name]

    def pandas(self, name: str) -> Any:
        """Table `name` as a pandas DataFrame."""
        return self.arrow(name).to_pandas()

    def polars(self, name: str) -> Any:
        """Table `name` as a polars DataFrame."""
        import polars as pl

        return pl.DataFrame(self.arrow(name))


def table(name: str, doc: str = "") -> Any:
    """A cached property of a ``Tables`` subclass: table `name` as a pandas DataFrame."""

    def get(self: Tables) -> Any:
        return self.pandas(name)

    get.__doc__ = doc or f"The ``{name}`` table as a pandas DataFrame."
    return functools.cached_property(get)
