"""Scenarios in code: load, change values by path, validate."""
from __future__ import annotations

import json
import os
from typing import Any, Mapping, Optional

from . import _bulwark
from ._tables import PathLike

REFERENCE_NAME = "scenarios/reference.toml (embedded)"


class Scenario:
    """A validated scenario: its TOML ``text`` and the ``path`` that names it in messages and
    anchors its relative paths (None for the embedded reference scenario)."""

    def __init__(self, text: str, path: Optional[str] = None) -> None:
        self.text = text
        self.path = path
        self.name, self.seed = _bulwark.validate(text, path or REFERENCE_NAME)

    def with_values(self, values: Mapping[str, Any]) -> Scenario:
        """A copy with each value set by path ``section.name.key`` (e.g.
        ``{"threat.CM raid west.count": 8, "defence.1st battalion.system": "s300pmu2"}``),
        written into the text in place and validated. A bad path raises ``InputError`` naming
        what exists there; a bad value ``ScenarioError`` at its line and column."""
        text = _bulwark.with_values(self.text, json.dumps(dict(values)))
        return Scenario(text, self.path)

    def run(self, seed: Optional[int] = None, out: Optional[PathLike] = None):  # -> Run
        from ._run import run

        return run(self, seed=seed, out=out)

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, seed={self.seed}, path={self.path!r})"


def load(path: PathLike) -> Scenario:
    """Reads and validates the scenario file at `path`; raises ``ScenarioError`` at file:line:col."""
    p = os.fspath(path)
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise _bulwark.InputError(f"{p}: cannot read: {e}") from None
    return Scenario(text, p)


def from_text(text: str, path: Optional[str] = None) -> Scenario:
    """Validates scenario TOML `text`; `path` names it in messages and anchors relative paths."""
    return Scenario(text, path or "<scenario>")


def reference() -> Scenario:
    """The embedded reference scenario."""
    return Scenario(_bulwark.reference_text(), None)
