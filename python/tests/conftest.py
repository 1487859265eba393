"""Shared fixtures: one CLI run and one Python run of the reference scenario."""
from __future__ import annotations

import pathlib

import pytest
from _helpers import cli


@pytest.fixture(scope="session")
def cli_run3(tmp_path_factory) -> pathlib.Path:
    """`bulwark run --seed 3 --out DIR`."""
    out = tmp_path_factory.mktemp("cli3")
    cli("run", "--seed", "3", "--out", str(out))
    return out


@pytest.fixture(scope="session")
def py_run3(tmp_path_factory):
    """`bulwark.run(seed=3, out=DIR)` and DIR."""
    import bulwark

    out = tmp_path_factory.mktemp("py3")
    return bulwark.run(seed=3, out=out), out
