"""Bulwark from Python: runs, campaigns, scenarios, the catalog, radar calculators and the tracker.

Results come as pandas DataFrames (which carry the Arrow PyCapsule interface, so
``polars.DataFrame(t)`` and ``pyarrow.table(t)`` take them as they are), with the same column
names and values as the CLI's files. The engine runs in Rust with the GIL released.

>>> import bulwark
>>> run = bulwark.run(seed=3)              # the embedded reference scenario
>>> run.summary["leakers"], len(run.tracks)
"""
from __future__ import annotations

from . import distributed, radar, scenario
from ._bulwark import BulwarkError, InputError, ScenarioError, __version__
from ._campaign import Campaign, campaign, merge
from ._catalog import CatalogEntry, catalog
from ._run import TABLES, Run, load_run, run
from ._track import TrackResult, track
from .scenario import Scenario

__all__ = [
    "TABLES",
    "BulwarkError",
    "Campaign",
    "CatalogEntry",
    "InputError",
    "Run",
    "Scenario",
    "ScenarioError",
    "TrackResult",
    "__version__",
    "campaign",
    "catalog",
    "distributed",
    "load_run",
    "merge",
    "radar",
    "run",
    "scenario",
    "track",
]
