"""`bulwark.run`: one run of a scenario, its outputs as DataFrames."""
from __future__ import annotations

import functools
import json
import os
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _bulwark
from ._tables import PathLike, csv_table, jsonl_table
from .scenario import REFERENCE_NAME

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from .scenario import Scenario

#: Table name → the file `bulwark run` writes it to.
TABLES = {
    "tracks": "tracks.csv",
    "truth": "truth.csv",
    "timeline": "timeline.csv",
    "threats": "threats.csv",
    "events": "events.jsonl",
}


class Run:
    """The outputs of one run: ``summary`` (summary.json as a dict), ``summary_json`` (its exact
    text), and the tables ``tracks``, ``truth``, ``timeline``, ``threats``, ``events`` as pandas
    DataFrames (built on first use). ``arrow(name)`` and ``polars(name)`` give the other forms;
    ``files`` the exact texts of the CLI's files by name."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files: dict[str, str] = files
        self.summary_json: str = files["summary.json"]
        self.summary: dict[str, Any] = json.loads(self.summary_json)
        self._arrow: dict[str, pa.Table] = {}

    @property
    def seed(self) -> int:
        return int(self.summary["seed"])

    def arrow(self, name: str) -> pa.Table:
        """Table `name` (see ``TABLES``) as a pyarrow Table."""
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        if name not in self._arrow:
            text = self.files[TABLES[name]]
            self._arrow[name] = jsonl_table(text) if name == "events" else csv_table(text)
        return self._arrow[name]

    def pandas(self, name: str) -> pd.DataFrame:
        return self.arrow(name).to_pandas()

    def polars(self, name: str) -> pl.DataFrame:
        import polars as pl

        return pl.DataFrame(self.arrow(name))

    @functools.cached_property
    def tracks(self) -> pd.DataFrame:
        return self.pandas("tracks")

    @functools.cached_property
    def truth(self) -> pd.DataFrame:
        return self.pandas("truth")

    @functools.cached_property
    def timeline(self) -> pd.DataFrame:
        return self.pandas("timeline")

    @functools.cached_property
    def threats(self) -> pd.DataFrame:
        return self.pandas("threats")

    @functools.cached_property
    def events(self) -> pd.DataFrame:
        return self.pandas("events")

    def __repr__(self) -> str:
        s = self.summary
        return f"Run(seed={s.get('seed')}, leakers={s.get('leakers')}, tracks={self.files['tracks.csv'].count(chr(10)) - 1} rows)"


def _source(scenario: Union[None, Scenario, PathLike]) -> tuple[Optional[str], Optional[str]]:
    """(text, path) for the native layer: a Scenario, a path, or TOML text."""
    from .scenario import Scenario

    if scenario is None:
        return None, None
    if isinstance(scenario, Scenario):
        return scenario.text, scenario.path or REFERENCE_NAME
    if isinstance(scenario, os.PathLike):
        return None, os.fspath(scenario)
    if isinstance(scenario, str):
        if "\n" in scenario or "[" in scenario:
            return scenario, None
        return None, scenario
    raise TypeError(f"scenario: expected None, a Scenario, a path or TOML text, got {type(scenario).__name__}")


def run(
    scenario: Union[None, Scenario, PathLike] = None,
    seed: Optional[int] = None,
    out: Optional[PathLike] = None,
) -> Run:
    """Runs `scenario` — None (the embedded reference scenario), a ``Scenario``, a file path or
    TOML text — with `seed` (default: the scenario's own, as ``bulwark run``). With `out`, also
    writes the CLI's six files there. Raises ``ScenarioError`` (with ``file``, ``line``,
    ``column``) on a bad scenario."""
    text, path = _source(scenario)
    files = _bulwark.run(text, path, seed, None if out is None else os.fspath(out))
    return Run(files)
