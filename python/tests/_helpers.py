"""Helpers of the tests: the repository root and the CLI."""
from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def bulwark_bin() -> str:
    """The `bulwark` CLI: $BULWARK_BIN, else the workspace's release build."""
    path = os.environ.get("BULWARK_BIN") or str(ROOT / "target" / "release" / "bulwark")
    if not os.path.exists(path):
        pytest.fail(f"no bulwark CLI at {path}: cargo build --release -p bulwark-cli, or set BULWARK_BIN")
    return path


def cli(*args: str, check: bool = True, cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([bulwark_bin(), *args], capture_output=True, text=True, check=check, cwd=cwd)
