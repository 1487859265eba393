"""`bulwark.run`: one run of a scenario, its outputs as DataFrames."""
from __future__ import annotations

import json
import os
import pathlib
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _bulwark
from ._tables import PathLike, Tables, table
from .scenario import REFERENCE_NAME

if TYPE_CHECKING:
    from .scenario import Scenario

#: Table name → the file `bulwark run` writes it to. ``exposure`` exists in runs of an engine
#: that writes ``exposure.csv``; ``Run.exposure`` says so when a run has none.
TABLES = {
    "tracks": "tracks.csv",
    "truth": "truth.csv",
    "timeline": "timeline.csv",
    "threats": "threats.csv",
    "events": "events.jsonl",
    "exposure": "exposure.csv",
    "fratricide": "fratricide.csv",
}


class Run(Tables):
    """The outputs of one run: ``summary`` (summary.json as a dict), ``summary_json`` (its exact
    text), and the tables ``tracks``, ``truth``, ``timeline``, ``threats``, ``events``,
    ``exposure``, ``fratricide`` as pandas DataFrames (built on first use). ``arrow(name)`` and
    ``polars(name)`` give the other forms; ``files`` the exact texts of the CLI's files by
    name; ``dir`` the run directory, if it has one."""

    TABLES = TABLES

    def __init__(self, files: dict[str, str], dir: Optional[PathLike] = None) -> None:
        super().__init__(files)
        self.dir: Optional[pathlib.Path] = None if dir is None else pathlib.Path(dir)
        self.summary_json: str = files["summary.json"]
        self.summary: dict[str, Any] = json.loads(self.summary_json)

    def _missing(self, name: str, file: str) -> str:
        where = f" in {self.dir}" if self.dir is not None else ""
        return f"this run wrote no {file}{where} (its engine does not write that table)"

    @property
    def seed(self) -> int:
        return int(self.summary["seed"])

    tracks = table("tracks")
    truth = table("truth")
    timeline = table("timeline")
    threats = table("threats")
    events = table("events")
    exposure = table("exposure", "``exposure.csv`` as a DataFrame; raises ``BulwarkError`` if this run has none.")
    fratricide = table(
        "fratricide",
        "``fratricide.csv``: every fire order, launch and kill against a friendly or civil object "
        "(object, who fired, when, the identification evidence then); no rows when there was none.",
    )

    def __repr__(self) -> str:
        s = self.summary
        return f"Run(seed={s.get('seed')}, leakers={s.get('leakers')}, tracks={self.files['tracks.csv'].count(chr(10)) - 1} rows)"


def load_run(dir: PathLike) -> Run:
    """The run in directory `dir` (written by ``bulwark run --out`` or ``bulwark.run(out=…)``):
    every file there by name, ``summary.json`` required."""
    d = pathlib.Path(dir)
    if not (d / "summary.json").is_file():
        raise _bulwark.InputError(f"{d}: not a run directory (no summary.json)")
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(d.iterdir()) if p.is_file() and not p.name.startswith(".")}
    return Run(files, d)


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
    writes the CLI's files there. Raises ``ScenarioError`` (with ``file``, ``line``,
    ``column``) on a bad scenario."""
    text, path = _source(scenario)
    files = _bulwark.run(text, path, seed, None if out is None else os.fspath(out))
    return Run(files, out)
